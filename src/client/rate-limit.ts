import { RESET_MILLISECONDS_THRESHOLD } from "../api/limits";
import type { Clock } from "../clock";
import { PLAUSIBLE_RESET_SKEW_MS } from "./defaults";

/** What one response says about its bucket (`x-ratelimit-*`), with the reset as epoch milliseconds. */
export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  resetAtMs: number;
}

/** A header read: the value the client may act on (if any), and a note when the raw value could not be right. */
export interface HeaderReading<T> {
  value?: T;
  /** Why the raw value was reinterpreted or ignored, for error messages. */
  note?: string;
}

/** Response headers as undici gives them. */
export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `x-ratelimit-reset` (UNIX seconds when tokens are next added) as epoch milliseconds, or a note saying why it
 * cannot be right: not a number (ignored); milliseconds instead of seconds (read as milliseconds: as seconds it
 * would be thousands of years ahead); more than a day ahead or behind (ignored: no bucket refills that slowly,
 * and a wait on it would never end). A reset a little in the past is kept: the tokens are back.
 *
 * @example
 * readReset("1700000000", now).value;    // 1700000000000
 * readReset("1700000000000", now).note;  // "x-ratelimit-reset 1700000000000 is in milliseconds, not seconds; read as such"
 */
export function readReset(raw: string | undefined, now: number): HeaderReading<number> {
  if (raw === undefined || raw.trim() === "") return {};
  const text = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(text))
    return { note: `x-ratelimit-reset "${text.slice(0, 40)}" is not a time in seconds; ignored` };
  const n = Number(text);
  const inMilliseconds = n >= RESET_MILLISECONDS_THRESHOLD;
  const resetAtMs = inMilliseconds ? n : n * 1000;
  if (resetAtMs > now + PLAUSIBLE_RESET_SKEW_MS)
    return {
      note: `x-ratelimit-reset ${text} (${iso(resetAtMs)}) is more than a day ahead, which no rate-limit bucket does; ignored`,
    };
  if (resetAtMs < now - PLAUSIBLE_RESET_SKEW_MS)
    return { note: `x-ratelimit-reset ${text} (${iso(resetAtMs)}) is more than a day in the past; ignored` };
  return inMilliseconds
    ? { value: resetAtMs, note: `x-ratelimit-reset ${text} is in milliseconds, not seconds; read as such` }
    : { value: resetAtMs };
}

/**
 * Reads `x-ratelimit-limit`, `-remaining` and `-reset`. No snapshot when any is absent or cannot be right (see
 * `readReset`), so a proxy that strips or garbles them degrades to "unknown", never to a wrong wait.
 *
 * @example
 * readRateLimit({ "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000" }, now);
 */
export function readRateLimit(headers: HeaderBag, now: number): HeaderReading<RateLimitSnapshot> {
  const limit = Number(header(headers, "x-ratelimit-limit") ?? Number.NaN);
  const remaining = Number(header(headers, "x-ratelimit-remaining") ?? Number.NaN);
  const reset = readReset(header(headers, "x-ratelimit-reset"), now);
  const counts = [limit, remaining].every((n) => Number.isFinite(n) && n >= 0);
  if (!counts || reset.value === undefined) return reset.note ? { note: reset.note } : {};
  return { value: { limit, remaining, resetAtMs: reset.value }, ...(reset.note ? { note: reset.note } : {}) };
}

/**
 * `Retry-After` as milliseconds to wait: delta seconds or an HTTP date. Auth0 sending it is unconfirmed;
 * honour it when present. Negative numbers, dates in the past and garbage are ignored (with a note).
 */
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export function readRetryAfter(headers: HeaderBag, now: number): HeaderReading<number> {
  const raw = header(headers, "retry-after")?.trim();
  if (raw === undefined || raw === "") return {};
  // Seconds up to a year are believable; a larger figure is not a wait anyone means (and past year 275760 a
  // Date cannot even be formed to report it).
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const ms = Number(raw) * 1000;
    if (ms <= ONE_YEAR_MS) return { value: ms };
    return { note: `Retry-After "${raw.slice(0, 40)}" seconds is not a believable wait; ignored` };
  }
  const date = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isFinite(date) && date >= now) return { value: date - now };
  return {
    note: Number.isFinite(date)
      ? `Retry-After "${raw.slice(0, 40)}" is in the past; ignored`
      : `Retry-After "${raw.slice(0, 40)}" is neither seconds nor an HTTP date; ignored`,
  };
}

/**
 * Paces requests by endpoint group so a bucket is not run dry: when the last known `remaining`, less the
 * requests already in flight against it, reaches zero, the next request waits for the reset. Tokens refill
 * while it waits, so waiting to the (whole-second) reset loses little throughput.
 *
 * The buckets are tenant-wide: the shard stacks of a pipeline each run a process that reads the same
 * `x-ratelimit-remaining`. Two habits keep those processes from taking one another's tokens:
 *   - until the process's first answer, one request is in flight (its headers say what is left; eight
 *     requests sent blind by each of four processes overrun a bucket of 20), and a group that has sent
 *     nothing yet starts from the newest reading of any group (the global bucket is behind them all);
 *   - every wait for a reset ends at a random point of a window past it (`spreadMs`), so the processes that
 *     drained the bucket do not all wake at the same whole second for the few tokens added. A 429 doubles
 *     the window (the bucket was shared: another process took what the headers promised), every other
 *     answer narrows it a little (additive decrease), so it settles where the processes' probes fit the
 *     refill, and shrinks back to nothing for a process alone. Measured with test/integration/shared-buckets.
 */
export class RateLimitPacer {
  private readonly groups = new Map<string, PacerGroup>();
  /** The newest snapshot of any group (see `acquire`). */
  private latest: RateLimitSnapshot | undefined;
  /** Whether any answer came back (with or without rate-limit headers): until then one request at a time. */
  private answered = false;
  /** Requests waiting for any answer of the process (the first one, or fresh headers: see `acquire`). */
  private readonly answers: Array<() => void> = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  private group(key: string): PacerGroup {
    let g = this.groups.get(key);
    if (!g) {
      g = { inFlight: 0, waiters: [], spreadMs: 0, sharers: PACING.firstSharers };
      this.groups.set(key, g);
    }
    return g;
  }

  private inFlight(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.inFlight;
    return n;
  }

  /**
   * Waits until the group may send, then counts the request as in flight. Call `settle` when it is answered.
   * `guard` sees every wait before it starts and throws to refuse it (a wait past the client's bounds).
   */
  async acquire(key: string, guard?: (waitMs: number, resetAtMs: number) => void): Promise<void> {
    const g = this.group(key);
    for (;;) {
      // A group not answered yet starts from the newest reading of any group: the global bucket is behind
      // them all, and a first request sent blind into a drained one is a 429.
      if (!g.snapshot && this.latest) g.snapshot = { ...this.latest };
      const s = g.snapshot;
      if (!s) {
        // Nothing known yet: the process's first request goes alone; the first answer wakes the others.
        if (this.answered || this.inFlight() === 0) break;
        await new Promise<void>((resolve) => this.answers.push(resolve));
        continue;
      }
      // Every request of the process counts, whatever its group: the tenant's global bucket is behind every
      // group's headers (they report the more restrictive of the two), and each group would otherwise spend
      // the same global tokens again.
      const inFlight = this.inFlight();
      const now = this.clock.now();
      if (s.remaining - inFlight > 0) {
        // Tokens remain: this process sends its share of them at once; past it, the reset (with its spread)
        // decides, as for an empty bucket, unless the reset is far (no refill this quick gives one, and the
        // wait bound would refuse it): then one more as each answer brings fresh headers.
        if (inFlight < Math.floor(s.remaining / g.sharers)) break;
        if (s.resetAtMs - now > PACING.shareResetWaitMs) {
          if (inFlight === 0) break;
          await new Promise<void>((resolve) => this.answers.push(resolve));
          continue;
        }
      }
      if (now >= s.resetAtMs) {
        // Past the reset we only know that tokens were added: send one probe and learn the rest from its answer.
        g.snapshot = { ...s, remaining: g.inFlight + 1, resetAtMs: now + 1000 };
        break;
      }
      // Wake at the reset, or earlier when an answer brings fresh headers.
      const waitMs = s.resetAtMs - now + 1;
      guard?.(waitMs, s.resetAtMs);
      const controller = new AbortController();
      const woken = new Promise<void>((resolve) => g.waiters.push(resolve));
      await Promise.race([this.clock.sleep(waitMs, controller.signal).catch(() => {}), woken]);
      controller.abort();
    }
    g.inFlight++;
  }

  /** Records an answer (with its headers' snapshot, if any) and releases the in-flight slot. */
  settle(key: string, snapshot: RateLimitSnapshot | undefined, status?: number): void {
    const g = this.group(key);
    g.inFlight = Math.max(0, g.inFlight - 1);
    this.answered = true;
    for (const wake of this.answers.splice(0)) wake();
    // Additive decrease: each answer that was not a 429 narrows the spread a little (see `exhausted`).
    if (status !== undefined && status !== 429) {
      g.spreadMs = Math.max(0, g.spreadMs - PACING.spreadDecreaseMs);
      g.sharers = Math.max(1, g.sharers - PACING.sharersDecrease);
    }
    // A snapshot must not end a spread wait that a 429 set (the bucket was shared and empty).
    if (snapshot && !(g.snapshot && g.snapshot.remaining === 0 && g.snapshot.resetAtMs > snapshot.resetAtMs))
      g.snapshot = snapshot.remaining > 0 ? snapshot : this.spread(g, snapshot.limit, snapshot.resetAtMs);
    if (snapshot) this.latest = g.snapshot;
    const waiters = g.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  /**
   * Marks the group empty until `resetAtMs`, as a 429 says, plus a random share of the spread window; then
   * doubles the window (250 ms, 500 ms, … at most 8 s) for the next wait: see the class comment. The first
   * 429 waits for the reset alone, so a process that meets one now and then loses no time to it.
   */
  exhausted(key: string, resetAtMs: number): void {
    const g = this.group(key);
    g.snapshot = this.spread(g, g.snapshot?.limit ?? 0, resetAtMs);
    g.spreadMs = Math.min(PACING.maxSpreadMs, Math.max(2 * g.spreadMs, PACING.minSpreadMs));
    g.sharers = Math.min(PACING.maxSharers, g.sharers + 1);
    this.latest = g.snapshot;
  }

  /** An empty bucket until `resetAtMs` plus a random share of the group's spread window. */
  private spread(g: PacerGroup, limit: number, resetAtMs: number): RateLimitSnapshot {
    return { limit, remaining: 0, resetAtMs: resetAtMs + this.random() * g.spreadMs };
  }
}

/** The pacer's tuning (see RateLimitPacer). */
const PACING = {
  /** The window past a reset over which a process's next probe is spread: its range, and its narrowing per answer. */
  minSpreadMs: 250,
  maxSpreadMs: 8000,
  spreadDecreaseMs: 10,
  /** How many processes this one assumes share a bucket: one more per 429, one fewer per 100 other answers. */
  maxSharers: 16,
  /**
   * Until answers say otherwise, a process assumes it shares the bucket with three others (the README's four
   * shard stacks): processes that start together would otherwise each spend the whole burst. A process alone
   * loses little: a full bucket still gives it a quarter of the burst at once, and it is back to 1 after 300 answers.
   */
  firstSharers: 4,
  sharersDecrease: 0.01,
  /** A reset further than this, with tokens left, is not waited for (see `acquire`). */
  shareResetWaitMs: 2000,
} as const;

interface PacerGroup {
  /** The window past a reset over which this process's next probe is spread (0 until a 429). */
  spreadMs: number;
  snapshot?: RateLimitSnapshot;
  /** The processes this one assumes spend the bucket (1: alone); it uses `remaining / sharers`. */
  sharers: number;
  inFlight: number;
  waiters: Array<() => void>;
}

/**
 * Retries shared by every request of one client (one Pulumi operation), as a rate: at most `perMinute` in
 * any minute, refilling continuously (a token bucket of that size). A burst of failures cannot turn into a
 * retry storm, and a long apply that meets ordinary 429s now and then keeps its retries, where a fixed count
 * would run out an hour in. 0: never retry.
 */
export class RetryBudget {
  private tokens: number;
  private refilledAt: number;
  private used = 0;

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perMinute;
    this.refilledAt = clock.now();
  }

  /** Takes one retry; false when none is left this minute. */
  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.refilledAt) * this.perMinute) / 60_000);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    this.used++;
    return true;
  }

  /** Retries taken so far, in all. */
  get spent(): number {
    return this.used;
  }
}
