/**
 * Every decision the transport's request loop asks for, made here by one `RetryPolicy` per transport (one
 * client, one Pulumi operation): how long to pace a group before sending (rate-limit.ts's pacer), and after
 * each attempt whether to read the answer, wait and send again, renew the token, or fail, and why. Nothing
 * waits without a bound: each wait is checked against the longest wait and the operation deadline
 * (bounds.ts), each retry against the per-request cap and the shared retry budget. The transport sends and
 * reads; it decides nothing of this.
 *
 * @example
 * nextStep({ kind: "answer", status: 503 }, { attempt: 0, maxRetries: 5, retrySafe: true, mayRenewToken: false });
 * // "backoff"
 */
import type { Clock } from "../clock";
import { BOUND_SETTINGS, WaitBounds, type WaitBoundsOptions } from "./bounds";
import { classifyAnswer, type ErrorKind } from "./classify";
import { DEFAULT_MAX_RETRIES_PER_REQUEST, DEFAULT_RETRY_BUDGET, MAX_RESPONSE_BYTES } from "./defaults";
import { hintForClassification } from "./errors";
import { type HeaderBag, RateLimitPacer, RetryBudget, readRateLimit, readRetryAfter } from "./rate-limit";
import { type ErrorBody, parseErrorBody } from "./schemas";
import type { RequestSpec } from "./transport";

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

/** The step an outcome allows, as a table (no I/O, no budget: `RetryPolicy.after` applies those). */
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
      cause: `A 429 with x-ratelimit-reset ${iso(answer.resetAtMs)}`,
    };
  return { waitMs: answer.backoffMs, cause: "A 429 without a usable reset (backoff)" };
}

/** What one attempt gave, as the transport hands it to the policy. */
export type AttemptOutcome =
  | { kind: "answer"; status: number; headers: HeaderBag; text: string }
  | { kind: "network"; message: string }
  | { kind: "timeout"; message: string }
  | { kind: "too-large"; status: number }
  /** The call's token fell due for renewal while it waited for a slot: nothing was sent. */
  | { kind: "stale-token" };

/** A failure as decided here; the transport makes it a `ManagementApiError`, its secrets removed. */
export interface Failure {
  kind: ErrorKind;
  status?: number;
  body?: ErrorBody;
  hint: string;
}

/** What the loop does next: read the answer, send again (after `waitMs`), renew the token and send again (else fail), or fail. */
export type Verdict =
  | { do: "read"; text: string }
  | { do: "again"; waitMs?: number }
  | { do: "renew"; failure: Failure }
  | { do: "fail"; failure: Failure };

/** The policy's options: the retry limits here, the wait bounds of bounds.ts. */
export interface RetryPolicyOptions extends WaitBoundsOptions {
  /** Retries all requests of this transport may spend together in any minute (0: none). */
  retryBudget?: number;
  maxRetriesPerRequest?: number;
  /** First backoff step for 5xx and network errors, doubled per attempt with full jitter. */
  backoffBaseMs?: number;
}

/** One request's count of what it has tried so far. */
type Tries = ReturnType<RetryPolicy["start"]>;

/** Renewals of a token that expired while its call waited for a slot, before the call fails. */
const MAX_STALE_TOKENS = 3;

const iso = (ms: number) => new Date(ms).toISOString();
const fail = (failure: Failure): Verdict => ({ do: "fail", failure });

/** The pacing and retry decisions of one transport: its pacer, retry budget and wait bounds. */
export class RetryPolicy {
  private readonly bounds: WaitBounds;
  private readonly pacer: RateLimitPacer;
  private readonly budget: RetryBudget;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;

  constructor(
    private readonly clock: Clock,
    /** The transport's counts, kept up to date here. */
    private readonly stats: { retries: number; rateLimited: number },
    options: RetryPolicyOptions,
  ) {
    this.pacer = new RateLimitPacer(clock);
    this.budget = new RetryBudget(options.retryBudget ?? DEFAULT_RETRY_BUDGET, clock);
    this.bounds = new WaitBounds(clock, options);
    this.maxRetries = options.maxRetriesPerRequest ?? DEFAULT_MAX_RETRIES_PER_REQUEST;
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
  }

  /** A request begins (the first one starts the operation's deadline): its count of tries. */
  start() {
    this.bounds.start();
    return { backoffs: 0, rateLimited: 0, renewedToken: false, staleTokens: 0 };
  }

  /** Before each attempt: a failure once the operation deadline has passed (no new request may start). */
  expired(): Failure | undefined {
    const expired = this.bounds.expired();
    return expired && { kind: "wait-limit", hint: expired.hint };
  }

  /** Waits until `group` may send, then counts the request in flight; a wait past the bounds throws `refuse`'s error. */
  pace(group: string, refuse: (failure: Failure) => Error): Promise<void> {
    return this.pacer.acquire(group, (waitMs, resetAtMs) => {
      const cause = `Pacing ${group} (x-ratelimit-remaining 0 until x-ratelimit-reset ${iso(resetAtMs)})`;
      const refusal = this.bounds.refuse(waitMs, cause);
      if (refusal) throw refuse({ kind: "wait-limit", hint: refusal.hint });
    });
  }

  /** An attempt of `group` ended: with an answer's headers and status, or with none (no answer). */
  answered(group: string, headers?: HeaderBag, status?: number): void {
    this.pacer.settle(group, headers && readRateLimit(headers, this.clock.now()).value, status);
  }

  /** What to do after `outcome`; `renewable`: the attempt carried a token that may be renewed. */
  after(
    spec: Pick<RequestSpec, "group" | "retrySafe" | "classify" | "hintFor">,
    outcome: AttemptOutcome,
    tries: Tries,
    renewable: boolean,
  ): Verdict {
    if (outcome.kind === "stale-token")
      // Bounded: a token that is due for renewal again by the time a slot is free (a lifetime shorter than
      // the wait for a slot) would otherwise spin until the operation deadline.
      return ++tries.staleTokens > MAX_STALE_TOKENS
        ? fail({
            kind: "unauthorized",
            hint: `The access token was due for renewal ${tries.staleTokens} times before this request could be sent: the token endpoint issues tokens that live shorter than a request waits for its turn. Raise the API's token lifetime (Dashboard > Applications > APIs > Auth0 Management API > Token Expiration; expires_in) or lower orgMemberRoles:concurrency.`,
          })
        : { do: "again" };
    if (outcome.kind === "too-large")
      return fail({
        kind: "unexpected-response",
        status: outcome.status,
        hint: `The answer is larger than ${MAX_RESPONSE_BYTES} bytes, far beyond any answer the API documents; reading stopped there. Check auth0:domain points at the tenant.`,
      });
    const step = nextStep(outcome, {
      attempt: tries.backoffs,
      maxRetries: this.maxRetries,
      retrySafe: spec.retrySafe,
      mayRenewToken: renewable && !tries.renewedToken,
    });
    if (outcome.kind !== "answer") {
      if (step === "backoff" && this.takeRetry())
        return this.backOff(tries, `A retry after "${outcome.message}"`);
      const retries = spec.retrySafe
        ? "Retries were spent"
        : "Not retried: the request may not be safe to repeat";
      return fail(
        outcome.kind === "timeout"
          ? {
              kind: "timeout",
              hint: `${outcome.message}. ${retries}; run again, or raise ${BOUND_SETTINGS.request} if the tenant is slow.`,
            }
          : { kind: "network", hint: `${outcome.message}. ${retries}; run again.` },
      );
    }
    if (step === "done") return { do: "read", text: outcome.text };
    const { status } = outcome;
    const body = parseErrorBody(outcome.text);
    if (step === "rate-limited") return this.rateLimited(spec.group, outcome.headers, status, body, tries);
    if (step === "backoff" && this.takeRetry())
      return this.backOff(tries, `A retry after a ${status} answer`, { status, body });
    const meaning =
      spec.classify?.(status, body) ??
      classifyAnswer(status, body.errorCode, body.message ?? body.error_description);
    const failure = {
      kind: meaning.kind,
      status,
      body,
      hint: spec.hintFor?.(status, body) ?? hintForClassification(meaning, status),
    };
    if (step !== "renew-token") return fail(failure);
    tries.renewedToken = true;
    return { do: "renew", failure };
  }

  /**
   * A 429: the wait its headers name (bounded), for the whole group, not only this request: without a usable
   * reset (a proxy stripping the headers) the others would otherwise keep sending into the empty bucket and
   * spend the retry budget. A 429 was not processed, and each wait is bounded: only the shared budget limits these.
   */
  private rateLimited(
    group: string,
    headers: HeaderBag,
    status: number,
    body: ErrorBody,
    tries: Tries,
  ): Verdict {
    this.stats.rateLimited++;
    const now = this.clock.now();
    const limits = readRateLimit(headers, now);
    const retryAfter = readRetryAfter(headers, now);
    const reset = limits.value && limits.value.resetAtMs > now ? limits.value.resetAtMs : undefined;
    const past =
      limits.value && reset === undefined
        ? `x-ratelimit-reset ${iso(limits.value.resetAtMs)} is already past; backed off instead`
        : undefined;
    const notes = [retryAfter.note, limits.note, past]
      .filter(Boolean)
      .map((n) => ` (${n}.)`)
      .join("");
    const { waitMs, cause } = rateLimitWait({
      retryAfterMs: retryAfter.value,
      retryAfterHeader: String(headers["retry-after"]),
      resetAtMs: reset,
      now,
      backoffMs: this.backoff(tries.rateLimited++),
    });
    this.pacer.exhausted(group, reset ?? now + waitMs);
    const refusal = this.bounds.refuse(waitMs, cause);
    if (refusal) return fail({ kind: "wait-limit", status, body, hint: `${refusal.hint}${notes}` });
    if (this.takeRetry()) return { do: "again", waitMs };
    const limit = limits.value
      ? `limit ${limits.value.limit} with ${limits.value.remaining} remaining, resets at ${iso(limits.value.resetAtMs)}`
      : "no usable x-ratelimit headers";
    return fail({
      kind: "rate-limited",
      status,
      body,
      hint: `Rate limit of ${group} reached (${limit}) and the retry budget is spent (at most ${this.budget.perMinute} retries a minute, orgMemberRoles:retryBudget; ${this.budget.spent} taken). Lower concurrency or run again after the reset.${notes}`,
    });
  }

  /** The next backoff of this request, unless it passes a bound: then a `wait-limit` naming the bound and the fix. */
  private backOff(tries: Tries, cause: string, answer: { status?: number; body?: ErrorBody } = {}): Verdict {
    const waitMs = this.backoff(tries.backoffs++);
    const refusal = this.bounds.refuse(waitMs, cause);
    return refusal ? fail({ kind: "wait-limit", ...answer, hint: refusal.hint }) : { do: "again", waitMs };
  }

  private takeRetry(): boolean {
    if (!this.budget.take()) return false;
    this.stats.retries++;
    return true;
  }

  /** Full-jitter exponential backoff, never longer than the longest wait allowed. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.bounds.maxWaitMs, this.backoffBaseMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}
