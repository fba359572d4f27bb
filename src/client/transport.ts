import { Agent, type Dispatcher, request } from "undici";
import type { z } from "zod";
import type { EndpointGroup, HttpMethod } from "../api/endpoints";
import { type Clock, LONGEST_TIMER_MS, realClock } from "../clock";
import { BOUND_SETTINGS } from "./bounds";
import type { Classification } from "./classify";
import { Semaphore } from "./concurrency";
import { CUSTOM_DOMAIN_HEADER, carriesCustomDomainHeader } from "./custom-domain";
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_RESPONSE_BYTES } from "./defaults";
import { MANAGEMENT_API_SCOPES_HINT, ManagementApiError } from "./errors";
import type { HeaderBag } from "./rate-limit";
import { redact } from "./redact";
import { type AttemptOutcome, type Failure, RetryPolicy, type RetryPolicyOptions } from "./retry-policy";
import type { ErrorBody } from "./schemas";

/** A rate-limit bucket: an endpoint group of the table, or the token endpoint's own. */
export type RateLimitGroup = EndpointGroup | "oauth-token";

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

/** The transport's settings; the retry and wait bounds are the policy's (retry-policy.ts). */
export interface TransportOptions extends RetryPolicyOptions {
  baseUrl: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Deadline for one request's whole answer, headers and body. */
  requestTimeoutMs?: number;
  clock?: Clock;
  /** `auth0:customDomainHeader`: sent as `Auth0-Custom-Domain` on the paths Auth0 reads it on. */
  customDomainHeader?: string;
  /** For tests: undici's MockAgent. Default: a keep-alive Agent owned (and closed) by the transport. */
  dispatcher?: Dispatcher;
}

/**
 * Sends Management API requests: a small loop that asks its `RetryPolicy` (retry-policy.ts) before each
 * attempt (the deadline, the pacing) and after it (read, wait and send again, renew the token, fail), over
 * bounded concurrency, with errors naming cause and fix and never a credential. A hand-written loop rather
 * than undici's RetryAgent because the retry decision needs Auth0's `X-RateLimit-Reset`, one budget shared
 * across requests, and a token renewal after an expired 401. Each request has a deadline for its whole answer,
 * and every body is read up to a size.
 */
export class Transport {
  /** Counts of what this transport did, for tests, logs and benchmarks. */
  readonly stats = { requests: 0, retries: 0, rateLimited: 0, byEndpoint: {} as Record<string, number> };
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly semaphore: Semaphore;
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  private tokens: TokenSource | undefined;
  private callBudget: { max: number; refuse: (made: number) => Error } | undefined;

  constructor(private readonly options: TransportOptions) {
    this.clock = options.clock ?? realClock;
    this.policy = new RetryPolicy(this.clock, this.stats, options);
    this.semaphore = new Semaphore(options.concurrency ?? 8);
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // Node's timers hold at most 2^31-1 ms; a larger timeout would fire at once and fail every request.
    if (!(this.timeoutMs >= 1 && this.timeoutMs <= LONGEST_TIMER_MS))
      throw new Error(
        `${BOUND_SETTINGS.request} must be between 1 and ${LONGEST_TIMER_MS} ms (about 24 days), got ${this.timeoutMs}`,
      );
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
    if (!this.options.dispatcher) await this.dispatcher.close();
  }

  /** Sends `spec`, retrying as the policy allows, and validates a JSON answer with `schema` (204 gives undefined). */
  async send<S extends z.ZodTypeAny>(spec: RequestSpec, schema?: S): Promise<z.infer<S> | undefined> {
    const tries = this.policy.start();
    for (;;) {
      const expired = this.policy.expired();
      if (expired) throw this.fail(spec, expired);
      // The token is obtained before taking a concurrency slot: a renewal needs a slot of its own, and slots
      // held by calls waiting for that renewal would otherwise deadlock it.
      const token = spec.authenticated === false ? undefined : await this.bearer();
      const granted = token === undefined ? undefined : this.tokens!.granted();
      if (
        spec.scope !== undefined &&
        granted &&
        ![spec.scope, ...(spec.alsoAccepted ?? [])].some((s) => granted.has(s))
      )
        throw this.fail(spec, {
          kind: "insufficient-scope",
          hint: `Not sent: the access token does not grant ${spec.scope}, which this call needs. ${MANAGEMENT_API_SCOPES_HINT}`,
        });
      const outcome = await this.semaphore.run(() =>
        // A call that waited for its slot past the token's renewal time gives the slot back and renews first.
        token !== undefined && !this.tokens!.isCurrent(token)
          ? Promise.resolve<AttemptOutcome>({ kind: "stale-token" })
          : this.attempt(spec, token),
      );
      const next = this.policy.after(spec, outcome, tries, !!token);
      if (next.do === "read") return this.parse(spec, next.text, schema);
      if (next.do === "renew" && (await this.tokens!.renew(token!))) continue;
      if (next.do !== "again") throw this.fail(spec, next.failure);
      if (next.waitMs !== undefined) await this.clock.sleep(next.waitMs);
    }
  }

  /**
   * An error about `spec` (or any call this transport made), with every field redacted of the transport's
   * secrets. The one way errors are built, also for paging errors found by the client above.
   */
  fail(spec: Pick<RequestSpec, "method" | "path">, failure: Failure): ManagementApiError {
    const { kind, status, body, hint } = failure;
    const apiMessage = body?.message ?? body?.error_description;
    // The token endpoint names its error in `error` ({error, error_description}); the API in `errorCode`.
    const errorCode = body?.errorCode ?? (body?.error_description ? body.error : undefined);
    return new ManagementApiError({
      kind,
      method: spec.method,
      path: spec.path,
      ...(status !== undefined ? { status } : {}),
      ...(errorCode ? { errorCode } : {}),
      ...(apiMessage ? { apiMessage } : {}),
      hint,
      secrets: this.secrets(),
    });
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
    await this.policy.pace(spec.group, (failure) => this.fail(spec, failure));
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
      const resHeaders = res.headers as HeaderBag;
      const text = await readLimited(res.body, MAX_RESPONSE_BYTES);
      this.policy.answered(spec.group, resHeaders, res.statusCode);
      if (text === undefined) return { kind: "too-large", status: res.statusCode };
      return { kind: "answer", status: res.statusCode, headers: resHeaders, text };
    } catch (err) {
      this.policy.answered(spec.group);
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
      throw this.fail(spec, {
        kind: "unexpected-response",
        hint: "The answer is not JSON, as the API documents it.",
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw this.fail(spec, {
        kind: "unexpected-response",
        hint: `The answer does not have the documented shape${where}: ${issue?.message ?? "invalid"}.`,
      });
    }
    return parsed.data;
  }

  private secrets(): string[] {
    return this.tokens?.secrets() ?? [];
  }
}

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
