/**
 * What the transport does after one attempt, decided without I/O so that it can be read and tested as a
 * table. The shared retry budget and the wait bounds (bounds.ts) have the last word on every retry; this only
 * says which kind of retry, if any, the outcome allows.
 *
 * @example
 * nextStep({ kind: "answer", status: 503 }, { attempt: 0, maxRetries: 5, retrySafe: true, mayRenewToken: false });
 * // "backoff"
 */

/** What one attempt gave, as far as the decision needs it. */
export type AttemptResult = { kind: "network" } | { kind: "timeout" } | { kind: "answer"; status: number };

export interface RetryState {
  /** Backoff retries this request has made so far (5xx and broken connections). */
  attempt: number;
  maxRetries: number;
  /** Whether the request may be sent again after a 5xx or a broken connection (reads, idempotent writes). */
  retrySafe: boolean;
  /** A 401 may be answered by renewing the token once: the request carried a renewable token not yet renewed. */
  mayRenewToken: boolean;
}

/**
 * - `done`: a 2xx, the answer is read.
 * - `backoff`: retry after an exponential backoff (a 5xx or a broken connection, safe to repeat, within the
 *   per-request cap).
 * - `rate-limited`: a 429, never processed by the API: retry after the wait the answer names.
 * - `renew-token`: a 401, once: renew the token and retry.
 * - `give-up`: fail with the answer's meaning.
 */
export type RetryStep = "done" | "backoff" | "rate-limited" | "renew-token" | "give-up";

export function nextStep(result: AttemptResult, state: RetryState): RetryStep {
  const mayBackOff = state.retrySafe && state.attempt < state.maxRetries;
  if (result.kind !== "answer") return mayBackOff ? "backoff" : "give-up";
  const { status } = result;
  if (status >= 200 && status < 300) return "done";
  if (status === 429) return "rate-limited";
  if (status === 401 && state.mayRenewToken) return "renew-token";
  if (status >= 500 && mayBackOff) return "backoff";
  return "give-up";
}

/**
 * How long to wait after a 429: `Retry-After` first, else the bucket's reset, else a backoff (a reset in the
 * past or unreadable gives no wait to trust). `cause` names the choice for the error a refused wait becomes.
 *
 * @example
 * rateLimitWait({ retryAfterMs: undefined, resetAtMs: 61_000, now: 1_000, backoffMs: 250 });
 * // { waitMs: 60_050, cause: "A 429 with x-ratelimit-reset 1970-01-01T00:01:01.000Z" }
 */
export function rateLimitWait(answer: {
  retryAfterMs: number | undefined;
  /** The bucket's reset, when one is given and still ahead. */
  resetAtMs: number | undefined;
  retryAfterHeader?: string;
  now: number;
  backoffMs: number;
}): { waitMs: number; cause: string } {
  if (answer.retryAfterMs !== undefined)
    return { waitMs: answer.retryAfterMs, cause: `A 429 with Retry-After ${answer.retryAfterHeader ?? ""}` };
  if (answer.resetAtMs !== undefined)
    return {
      // 50 ms past the reset: the bucket has refilled by the time the request arrives.
      waitMs: answer.resetAtMs - answer.now + 50,
      cause: `A 429 with x-ratelimit-reset ${new Date(answer.resetAtMs).toISOString()}`,
    };
  return { waitMs: answer.backoffMs, cause: "A 429 without a usable reset (backoff)" };
}
