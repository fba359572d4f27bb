/**
 * Time as the client and the emulator see it. Benchmarks share a scaled clock between both so that rate-limit
 * buckets refill `scale` times faster while every ratio (burst, refill, reset) stays as Auth0 publishes it.
 *
 * @example
 * const clock = scaledClock(60); // one real second is one virtual minute
 * await clock.sleep(60_000);      // returns after about one real second
 */
export interface Clock {
  /** Milliseconds since the UNIX epoch, in this clock's time. */
  now(): number;
  /** Waits `ms` of this clock's time. The timer does not keep the process alive on its own. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Node fires a longer timer after 1 ms (with a TimeoutOverflowWarning): a caller asking that much would spin. */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (!(ms <= LONGEST_TIMER_MS))
      return reject(
        new RangeError(`sleep of ${ms} ms is longer than a timer can wait (${LONGEST_TIMER_MS} ms)`),
      );
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const realClock: Clock = { now: () => Date.now(), sleep: sleepReal };

/** A clock running `scale` times faster than real time, starting at `origin` (real and virtual agree then). */
export function scaledClock(scale: number, origin: number = Date.now()): Clock {
  if (!(scale > 0)) throw new Error(`clock scale must be > 0, got ${scale}`);
  return {
    now: () => origin + (Date.now() - origin) * scale,
    sleep: (ms, signal) => sleepReal(ms / scale, signal),
  };
}
