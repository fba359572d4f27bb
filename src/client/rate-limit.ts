import type { Clock } from "./clock";

/** What one response says about its bucket (`x-ratelimit-*`), with the reset as epoch milliseconds. */
export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  resetAtMs: number;
}

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Reads `x-ratelimit-limit`, `-remaining` and `-reset` (UNIX seconds). Returns undefined when any is absent or
 * not a number, so a proxy that strips them degrades to "unknown", never to a wrong wait.
 *
 * @example
 * parseRateLimit({ "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000" });
 */
export function parseRateLimit(headers: HeaderBag): RateLimitSnapshot | undefined {
  const limit = Number(header(headers, "x-ratelimit-limit"));
  const remaining = Number(header(headers, "x-ratelimit-remaining"));
  const reset = Number(header(headers, "x-ratelimit-reset"));
  if (![limit, remaining, reset].every(Number.isFinite) || header(headers, "x-ratelimit-reset") === undefined)
    return undefined;
  return { limit, remaining, resetAtMs: reset * 1000 };
}

/**
 * `Retry-After` as milliseconds to wait: delta seconds or an HTTP date. Auth0 sending it is unconfirmed;
 * honour it when present.
 */
export function parseRetryAfter(headers: HeaderBag, now: number): number | undefined {
  const raw = header(headers, "retry-after");
  if (raw === undefined || raw === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Paces requests by endpoint group so a bucket is not run dry: when the last known `remaining`, less the
 * requests already in flight against it, reaches zero, the next request waits for the reset. Tokens refill
 * while it waits, so waiting to the (whole-second) reset loses little throughput.
 */
export class RateLimitPacer {
  private readonly groups = new Map<string, PacerGroup>();

  constructor(private readonly clock: Clock) {}

  private group(key: string): PacerGroup {
    let g = this.groups.get(key);
    if (!g) {
      g = { inFlight: 0, waiters: [] };
      this.groups.set(key, g);
    }
    return g;
  }

  /** Waits until the group may send, then counts the request as in flight. Call `settle` when it is answered. */
  async acquire(key: string): Promise<void> {
    const g = this.group(key);
    for (;;) {
      const s = g.snapshot;
      if (!s || s.remaining - g.inFlight > 0) break;
      const now = this.clock.now();
      if (now >= s.resetAtMs) {
        // Past the reset we only know that tokens were added: send one probe and learn the rest from its answer.
        g.snapshot = { ...s, remaining: g.inFlight + 1, resetAtMs: now + 1000 };
        break;
      }
      // Wake at the reset, or earlier when an answer brings fresh headers.
      const controller = new AbortController();
      const woken = new Promise<void>((resolve) => g.waiters.push(resolve));
      await Promise.race([this.clock.sleep(s.resetAtMs - now + 1, controller.signal).catch(() => {}), woken]);
      controller.abort();
    }
    g.inFlight++;
  }

  /** Records an answer (with its headers' snapshot, if any) and releases the in-flight slot. */
  settle(key: string, snapshot: RateLimitSnapshot | undefined): void {
    const g = this.group(key);
    g.inFlight = Math.max(0, g.inFlight - 1);
    if (snapshot) g.snapshot = snapshot;
    const waiters = g.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  /** Marks the group empty until `resetAtMs`, as a 429 says. */
  exhausted(key: string, resetAtMs: number): void {
    const g = this.group(key);
    g.snapshot = { limit: g.snapshot?.limit ?? 0, remaining: 0, resetAtMs };
  }
}

interface PacerGroup {
  snapshot?: RateLimitSnapshot;
  inFlight: number;
  waiters: Array<() => void>;
}

/** A number of retries shared by every request of one client (one Pulumi operation): no retry storms. */
export class RetryBudget {
  private used = 0;
  constructor(readonly total: number) {}
  /** Takes one retry; false when the budget is spent. */
  take(): boolean {
    if (this.used >= this.total) return false;
    this.used++;
    return true;
  }
  get spent(): number {
    return this.used;
  }
}

/** Bounded concurrency: at most `limit` holders at once, in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`concurrency must be at least 1, got ${limit}`);
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * Runs `task` over every item with at most `limit` at once, and returns each outcome in input order:
 * one failure never stops the others.
 *
 * @example
 * const results = await mapSettled(users, 8, (u) => client.listMemberRoles(org, u));
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const semaphore = new Semaphore(limit);
  return Promise.allSettled(items.map((item) => semaphore.run(() => task(item))));
}
