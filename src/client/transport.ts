import { Agent, type Dispatcher, request } from "undici";
import type { z } from "zod";
import type { EndpointGroup, HttpMethod } from "../api/endpoints";
import { type Clock, realClock } from "../clock";
import { BOUND_SETTINGS, WaitBounds } from "./bounds";
import { type Classification, classifyAnswer, type ErrorKind } from "./classify";
import { Semaphore } from "./concurrency";
import { CUSTOM_DOMAIN_HEADER, carriesCustomDomainHeader } from "./custom-domain";
import {
  DEFAULT_MAX_RETRIES_PER_REQUEST,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY_BUDGET,
  MAX_RESPONSE_BYTES,
} from "./defaults";
import {
  type ClientErrorCode,
  hintForClassification,
  MANAGEMENT_API_SCOPES_HINT,
  ManagementApiError,
} from "./errors";
import { RateLimitPacer, RetryBudget, readRateLimit, readRetryAfter } from "./rate-limit";
import { redact } from "./redact";
import { nextStep, rateLimitWait } from "./retry-policy";
import { errorBodySchema } from "./schemas";

/** A rate-limit bucket: an endpoint group of the table, or the token endpoint's own. */
export type RateLimitGroup = EndpointGroup | "oauth-token";

/** The longest delay a Node timer accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One API call as the client describes it. */
export interface RequestSpec {
  method: HttpMethod;
  /** Path with every segment already URL-encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON, or URLSearchParams for a form; a function is called again for every attempt (fresh assertions). */
  body?: unknown;
  /** Rate-limit bucket the call spends, e.g. "member-roles:write"; paces calls of the same group. */
  group: RateLimitGroup;
  /**
   * Whether a 5xx or a broken connection may be retried. True for reads, and for member-role writes, which
   * are idempotent: re-adding an assigned role and removing an absent one change nothing (docs/auth0-api.md, "The endpoints used").
   * 429s are always retried: the API did not process the request.
   */
  retrySafe: boolean;
  /** False only for the token endpoint itself. */
  authenticated?: boolean;
  /**
   * The scope the call needs: when the token says which it grants and this is not among them, the call is
   * refused here without being sent (it could only answer 403, and spend the tenant's rate limit doing so).
   */
  scope?: string;
  /** Other scopes any one of which also authorises the call. */
  alsoAccepted?: readonly string[];
  /** Endpoint-specific meaning and fix of a failure (the token endpoint's errors differ from the API's). */
  classify?: (status: number, body: ErrorBody) => Classification;
  hintFor?: (status: number, body: ErrorBody) => string | undefined;
}

/** Supplies the bearer token; `renew` is asked once after a 401 for an expired token. */
export interface TokenSource {
  get(): Promise<string>;
  /**
   * The scopes the current token grants, once `get` has given one: the token answer's `scope`, or a static
   * token's `scope` claim. Undefined when unknown (an opaque token, an answer without `scope`).
   */
  granted(): ReadonlySet<string> | undefined;
  /** False once `token` is due for renewal (checked again when a queued call gets its slot). */
  isCurrent(token: string): boolean;
  renew(rejected: string): Promise<string | undefined>;
  secrets(): string[];
}

export interface TransportOptions {
  baseUrl: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Retries all requests of this transport may spend together in any minute (0: none). */
  retryBudget?: number;
  maxRetriesPerRequest?: number;
  /** Deadline for one request's whole answer, headers and body. */
  requestTimeoutMs?: number;
  /** Longest single wait (rate-limit reset, Retry-After, pacing, backoff) before failing with `wait-limit`. */
  maxWaitMs?: number;
  /** Deadline for everything this transport does, from its first request. */
  operationTimeoutMs?: number;
  /** What sets that deadline, as its message names it (default: the provider's setting). */
  operationSetting?: string;
  /** What to do after the deadline, as its message says it (default: the provider's "run again"). */
  operationAdvice?: string;
  /** First backoff step for 5xx and network errors, doubled per attempt with full jitter. */
  backoffBaseMs?: number;
  clock?: Clock;
  /** `auth0:customDomainHeader`: sent as `Auth0-Custom-Domain` on the paths Auth0 reads it on. */
  customDomainHeader?: string;
  /** For tests: undici's MockAgent. Default: a keep-alive Agent owned (and closed) by the transport. */
  dispatcher?: Dispatcher;
}

/** Counts of what this transport did, for tests, logs and benchmarks. */
export interface TransportStats {
  requests: number;
  retries: number;
  rateLimited: number;
  byEndpoint: Record<string, number>;
}

/**
 * Sends Management API requests: bounded concurrency, pacing by `x-ratelimit-*`, a shared retry budget,
 * errors with hints. A hand-written loop rather than undici's RetryAgent because the retry decision needs
 * Auth0's `X-RateLimit-Reset`, one budget shared across requests, and a token renewal after an expired 401.
 * Nothing in it waits without a bound: each request has a deadline for its whole answer, each wait is checked
 * against the longest wait and the operation deadline (`WaitBounds`), and every body is read up to a size.
 */
/** Renewals of a token that expired while its call waited for a slot, before the call fails. */
const MAX_STALE_TOKENS = 3;

export class Transport {
  readonly stats: TransportStats = { requests: 0, retries: 0, rateLimited: 0, byEndpoint: {} };
  readonly bounds: WaitBounds;
  private readonly semaphore: Semaphore;
  private readonly pacer: RateLimitPacer;
  private readonly budget: RetryBudget;
  private readonly clock: Clock;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly backoffBaseMs: number;
  private tokens: TokenSource | undefined;
  private callBudget: { max: number; refuse: (made: number) => Error } | undefined;

  constructor(private readonly options: TransportOptions) {
    this.clock = options.clock ?? realClock;
    this.semaphore = new Semaphore(options.concurrency ?? 8);
    this.pacer = new RateLimitPacer(this.clock);
    this.budget = new RetryBudget(options.retryBudget ?? DEFAULT_RETRY_BUDGET, this.clock);
    this.bounds = new WaitBounds(this.clock, {
      maxWaitMs: options.maxWaitMs,
      operationTimeoutMs: options.operationTimeoutMs,
      operationSetting: options.operationSetting,
      operationAdvice: options.operationAdvice,
    });
    this.maxRetries = options.maxRetriesPerRequest ?? DEFAULT_MAX_RETRIES_PER_REQUEST;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // Node's timers hold at most 2^31-1 ms; a larger timeout would fire at once and fail every request.
    if (!(this.timeoutMs >= 1 && this.timeoutMs <= MAX_TIMER_MS))
      throw new Error(
        `${BOUND_SETTINGS.request} must be between 1 and ${MAX_TIMER_MS} ms (about 24 days), got ${this.timeoutMs}`,
      );
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ?? new Agent({ connections: options.concurrency ?? 8, keepAliveTimeout: 4_000 });
  }

  /**
   * A bound on the requests this transport sends in all (every one: token, reads, pages, retries): the one
   * past `max` is not sent, and `refuse(made)` is thrown instead. Checked and counted in one synchronous step,
   * so calls in flight together never pass it.
   */
  limitRequests(max: number, refuse: (made: number) => Error): void {
    this.callBudget = { max, refuse };
  }

  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  /**
   * The scopes the token grants (getting a token if none is held: the one request every run makes anyway);
   * undefined when the token does not say.
   */
  async grantedScopes(): Promise<ReadonlySet<string> | undefined> {
    await this.bearer();
    return this.tokens!.granted();
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Sends `spec`, retrying where allowed, and validates a JSON answer with `schema` (204 gives undefined). */
  async send<S extends z.ZodTypeAny>(spec: RequestSpec, schema?: S): Promise<z.infer<S> | undefined> {
    this.bounds.start();
    let attempt = 0;
    let rateLimited = 0;
    let renewedToken = false;
    let staleTokens = 0;
    for (;;) {
      const expired = this.bounds.expired();
      if (expired) throw this.fail(spec, "WAIT_LIMIT", "wait-limit", { hint: expired.hint });
      // The token is obtained before taking a concurrency slot: a renewal needs a slot of its own, and slots
      // held by calls waiting for that renewal would otherwise deadlock it.
      const token = spec.authenticated === false ? undefined : await this.bearer();
      const granted = token === undefined ? undefined : this.tokens!.granted();
      if (
        spec.scope !== undefined &&
        granted !== undefined &&
        ![spec.scope, ...(spec.alsoAccepted ?? [])].some((s) => granted.has(s))
      )
        throw this.fail(spec, "SCOPE_NOT_GRANTED", "insufficient-scope", {
          hint: `Not sent: the access token does not grant ${spec.scope}, which this call needs. ${MANAGEMENT_API_SCOPES_HINT}`,
        });
      const outcome = await this.semaphore.run(() =>
        // A call that waited for its slot past the token's renewal time gives the slot back and renews first.
        token !== undefined && !this.tokens!.isCurrent(token)
          ? Promise.resolve<AttemptOutcome>({ kind: "stale-token" })
          : this.attempt(spec, token),
      );
      if (outcome.kind === "stale-token") {
        // Bounded: a token that is due for renewal again by the time a slot is free (a lifetime shorter than
        // the wait for a slot) would otherwise spin until the operation deadline.
        if (++staleTokens > MAX_STALE_TOKENS)
          throw this.fail(spec, "TOKEN_ERROR", "unauthorized", {
            hint: `The access token was due for renewal ${staleTokens} times before this request could be sent: the token endpoint issues tokens that live shorter than a request waits for its turn. Raise the API's token lifetime (Dashboard > Applications > APIs > Auth0 Management API > Token Expiration; expires_in) or lower orgMemberRoles:concurrency.`,
          });
        continue;
      }
      if (outcome.kind === "too-large")
        throw this.fail(spec, "UNEXPECTED_RESPONSE", "unexpected-response", {
          status: outcome.status,
          hint: `The answer is larger than ${MAX_RESPONSE_BYTES} bytes, far beyond any answer the API documents; reading stopped there. Check auth0:domain points at the tenant.`,
        });
      const step = nextStep(outcome, {
        attempt,
        maxRetries: this.maxRetries,
        retrySafe: spec.retrySafe,
        mayRenewToken:
          !renewedToken &&
          spec.authenticated !== false &&
          this.tokens !== undefined &&
          outcome.kind === "answer" &&
          !!outcome.token,
      });
      if (outcome.kind === "network" || outcome.kind === "timeout") {
        if (step === "backoff" && this.takeRetry()) {
          await this.wait(spec, this.backoff(attempt++), `A retry after "${outcome.message}"`, {});
          continue;
        }
        const retries = spec.retrySafe
          ? "Retries were spent"
          : "Not retried: the request may not be safe to repeat";
        throw outcome.kind === "timeout"
          ? this.fail(spec, "TIMEOUT", "timeout", {
              hint: `${outcome.message}. ${retries}; run again, or raise ${BOUND_SETTINGS.request} if the tenant is slow.`,
            })
          : this.fail(spec, "NETWORK_ERROR", "network", {
              hint: `${outcome.message}. ${retries}; run again.`,
            });
      }
      const { status, headers, text } = outcome;
      if (step === "done") return this.parse(spec, text, schema);
      const body = parseErrorBody(text);
      if (step === "rate-limited") {
        this.stats.rateLimited++;
        const now = this.clock.now();
        const limits = readRateLimit(headers, now);
        const retryAfter = readRetryAfter(headers, now);
        const reset = limits.value && limits.value.resetAtMs > now ? limits.value.resetAtMs : undefined;
        const past =
          limits.value && reset === undefined
            ? `x-ratelimit-reset ${new Date(limits.value.resetAtMs).toISOString()} is already past; backed off instead`
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
          backoffMs: this.backoff(rateLimited),
        });
        // The whole group waits, not only this request: without a usable reset (a proxy stripping the
        // headers) the others would otherwise keep sending into the empty bucket and spend the retry budget.
        this.pacer.exhausted(spec.group, reset ?? now + waitMs);
        rateLimited++;
        const refusal = this.bounds.refuse(waitMs, cause);
        if (refusal)
          throw this.fail(spec, "WAIT_LIMIT", "wait-limit", {
            status,
            body,
            hint: `${refusal.hint}${notes}`,
          });
        // A 429 was not processed, and each wait is bounded: only the shared budget limits these.
        if (!this.takeRetry()) {
          const limit = limits.value
            ? `limit ${limits.value.limit} with ${limits.value.remaining} remaining, resets at ${new Date(limits.value.resetAtMs).toISOString()}`
            : "no usable x-ratelimit headers";
          throw this.fail(spec, "RETRY_BUDGET_EXHAUSTED", "rate-limited", {
            status,
            body,
            hint: `Rate limit of ${spec.group} reached (${limit}) and the retry budget is spent (at most ${this.budget.perMinute} retries a minute, orgMemberRoles:retryBudget; ${this.budget.spent} taken). Lower concurrency or run again after the reset.${notes}`,
          });
        }
        await this.clock.sleep(waitMs);
        continue;
      }
      if (step === "renew-token") {
        renewedToken = true;
        if (await this.tokens!.renew(outcome.token!)) continue;
      }
      if (step === "backoff" && this.takeRetry()) {
        await this.wait(spec, this.backoff(attempt++), `A retry after a ${status} answer`, { status, body });
        continue;
      }
      const meaning =
        spec.classify?.(status, body) ??
        classifyAnswer(status, body.errorCode, body.message ?? body.error_description);
      throw this.fail(spec, "HTTP_ERROR", meaning.kind, {
        status,
        body,
        hint: spec.hintFor?.(status, body) ?? hintForClassification(meaning, status),
      });
    }
  }

  /**
   * An error about `spec` (or any call this transport made), with every field redacted of the transport's
   * secrets. The one way errors are built, also for paging errors found by the client above.
   */
  fail(
    spec: Pick<RequestSpec, "method" | "path">,
    code: ClientErrorCode,
    kind: ErrorKind,
    extra: { status?: number; body?: ErrorBody; hint: string },
  ): ManagementApiError {
    const apiMessage = extra.body?.message ?? extra.body?.error_description;
    // The token endpoint names its error in `error` ({error, error_description}); the API in `errorCode`.
    const errorCode = extra.body?.errorCode ?? (extra.body?.error_description ? extra.body.error : undefined);
    return new ManagementApiError({
      code,
      kind,
      method: spec.method,
      path: spec.path,
      ...(extra.status !== undefined ? { status: extra.status } : {}),
      ...(errorCode ? { errorCode } : {}),
      ...(apiMessage ? { apiMessage } : {}),
      hint: extra.hint,
      secrets: this.secrets(),
    });
  }

  /** Sleeps `waitMs` unless that passes a bound: then fails with `wait-limit`, naming the bound and the fix. */
  private async wait(
    spec: RequestSpec,
    waitMs: number,
    cause: string,
    answer: { status?: number; body?: ErrorBody },
  ): Promise<void> {
    const refusal = this.bounds.refuse(waitMs, cause);
    if (refusal) throw this.fail(spec, "WAIT_LIMIT", "wait-limit", { ...answer, hint: refusal.hint });
    await this.clock.sleep(waitMs);
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

  private async bearer(): Promise<string> {
    if (!this.tokens) throw new Error("Transport has no token source");
    return this.tokens.get();
  }

  private async attempt(spec: RequestSpec, token: string | undefined): Promise<AttemptOutcome> {
    const url = new URL(spec.path, this.options.baseUrl);
    for (const [k, v] of Object.entries(spec.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: "application/json" };
    if (token !== undefined) headers["authorization"] = `Bearer ${token}`;
    if (this.options.customDomainHeader && carriesCustomDomainHeader(url.pathname))
      headers[CUSTOM_DOMAIN_HEADER] = this.options.customDomainHeader;
    let body: string | undefined;
    const payload = typeof spec.body === "function" ? (spec.body as () => unknown)() : spec.body;
    if (payload !== undefined) {
      const form = payload instanceof URLSearchParams;
      body = form ? payload.toString() : JSON.stringify(payload);
      headers["content-type"] = form ? "application/x-www-form-urlencoded" : "application/json";
    }
    await this.pacer.acquire(spec.group, (waitMs, resetAtMs) => {
      const cause = `Pacing ${spec.group} (x-ratelimit-remaining 0 until x-ratelimit-reset ${new Date(resetAtMs).toISOString()})`;
      const refusal = this.bounds.refuse(waitMs, cause);
      if (refusal) throw this.fail(spec, "WAIT_LIMIT", "wait-limit", { hint: refusal.hint });
    });
    if (this.callBudget && this.stats.requests >= this.callBudget.max)
      throw this.callBudget.refuse(this.stats.requests);
    this.stats.requests++;
    const endpoint = `${spec.method} ${spec.group}`;
    this.stats.byEndpoint[endpoint] = (this.stats.byEndpoint[endpoint] ?? 0) + 1;
    // undici's headersTimeout and bodyTimeout are idle timers: a body trickling a byte at a time would never
    // trip them. This timer is the deadline for the whole answer.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    try {
      const res = await request(url, {
        method: spec.method,
        headers,
        body: body ?? null,
        dispatcher: this.dispatcher,
        signal: deadline.signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const resHeaders = res.headers as Record<string, string | string[] | undefined>;
      const text = await readLimited(res.body, MAX_RESPONSE_BYTES);
      this.pacer.settle(spec.group, readRateLimit(resHeaders, this.clock.now()).value, res.statusCode);
      if (text === undefined) return { kind: "too-large", status: res.statusCode };
      return { kind: "answer", status: res.statusCode, headers: resHeaders, text, token };
    } catch (err) {
      this.pacer.settle(spec.group, undefined);
      const code = (err as { code?: string }).code;
      if (deadline.signal.aborted || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT")
        return {
          kind: "timeout",
          message: `No complete answer (headers and body) within ${this.timeoutMs} ms (${BOUND_SETTINGS.request})`,
        };
      const message = redact(err instanceof Error ? err.message : String(err), this.secrets());
      return { kind: "network", message: code ? `${code}: ${message}` : message };
    } finally {
      clearTimeout(timer);
    }
  }

  private parse<S extends z.ZodTypeAny>(spec: RequestSpec, text: string, schema?: S): z.infer<S> | undefined {
    if (!schema) return undefined;
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw this.fail(spec, "UNEXPECTED_RESPONSE", "unexpected-response", {
        hint: "The answer is not JSON, as the API documents it.",
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw this.fail(spec, "UNEXPECTED_RESPONSE", "unexpected-response", {
        hint: `The answer does not have the documented shape${where}: ${issue?.message ?? "invalid"}.`,
      });
    }
    return parsed.data;
  }

  private secrets(): string[] {
    return this.tokens?.secrets() ?? [];
  }
}

export type ErrorBody = z.infer<typeof errorBodySchema>;

type AttemptOutcome =
  | {
      kind: "answer";
      status: number;
      headers: Record<string, string | string[] | undefined>;
      text: string;
      token: string | undefined;
    }
  | { kind: "network"; message: string }
  | { kind: "timeout"; message: string }
  | { kind: "too-large"; status: number }
  | { kind: "stale-token" };

/** The body as text, or undefined once it passes `maxBytes` (the rest is not read). */
async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
