import { type Answer, envelope, rateHeaders, tooManyRequests, withHeaders } from "./answers";

/**
 * Fault injection: what the emulator does wrong on purpose, set from config (`--faults`) or from a test
 * (`emulator.setFaults(...)`, `POST /__emulator/faults`). Faults apply to `/api/v2` requests only.
 */
export interface FaultConfig {
  /** Fail the next N API requests with this status (500 or 503). */
  failNext?: { count: number; status?: 500 | 503 };
  /** Fail this fraction (0..1) of API requests. */
  failRate?: { fraction: number; status?: 500 | 503 };
  /**
   * Where a failing write fails: "before" (nothing applied) or "after" (applied, then a 5xx), as a real
   * server can fail after committing. Default "before".
   */
  failPhase?: "before" | "after";
  /** Destroy the connection without an answer for the next N requests. */
  resetNext?: number;
  /** ... or for this fraction of requests. */
  resetRate?: number;
  /** Extra delay before every API answer, in real milliseconds. */
  latencyMs?: number;
  /** Delay only the next N API answers by `ms` (answers slower than a client's timeout). */
  slowNext?: { count: number; ms: number };
  /** After this many more API requests, every token issued so far is expired (a token expiring mid-run). */
  expireTokensAfter?: number;
  /** Answer the next N API requests with 429, the reset this many seconds away (a 429 storm). */
  storm?: { requests: number; resetInSeconds: number };
  /** The members listing lags behind writes by this many milliseconds (Auth0 serves it from a search index). */
  listingLagMs?: number;
  /** Seed for the random fractions, so a run can be repeated. */
  seed?: number;
  /** Limit failNext and failRate to requests of this method (e.g. "POST": writes fail, the reads before them pass). */
  failOnly?: "GET" | "POST" | "DELETE";
}

/** Small deterministic PRNG (mulberry32). */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "fail"; status: number; phase: "before" | "after" }
  | { kind: "storm"; resetInSeconds: number };

/** A decision with no fault: the token endpoint and the admin routes never get one. */
export const NO_FAULT: FaultDecision = { kind: "none" };

/**
 * The stages of an API request at which a fault acts: on arrival (before the body is read), once the request
 * is authorised (before the rate limiter counts it), once admitted by the rate limiter (before the handler),
 * and once handled (after the handler changed the tenant).
 */
export type FaultStage = "arrival" | "authorised" | "admitted" | "handled";

/**
 * The one place a fault decision becomes behaviour: what `decision` does at `stage`, if anything. "drop":
 * destroy the connection without an answer; an answer: send it instead of going on.
 *
 * @example
 * faultAt("admitted", { kind: "fail", status: 503, phase: "before" }); // the 503 envelope, tenant untouched
 */
export function faultAt(stage: "arrival", decision: FaultDecision): "drop" | undefined;
export function faultAt(
  stage: "authorised",
  decision: FaultDecision,
  at: { now: number; limit: () => number },
): Answer | undefined;
export function faultAt(stage: "admitted" | "handled", decision: FaultDecision): Answer | undefined;
export function faultAt(
  stage: FaultStage,
  decision: FaultDecision,
  at?: { now: number; limit: () => number },
): Answer | "drop" | undefined {
  switch (stage) {
    case "arrival":
      return decision.kind === "reset" ? "drop" : undefined;
    case "authorised": {
      if (decision.kind !== "storm" || !at) return undefined;
      // A storm answers 429 whatever the bucket holds, with a reset `resetInSeconds` away.
      const resetSec = Math.ceil(at.now / 1000) + decision.resetInSeconds;
      return withHeaders(tooManyRequests(), rateHeaders({ limit: at.limit(), remaining: 0, resetSec }));
    }
    case "admitted":
      return decision.kind === "fail" && decision.phase === "before"
        ? envelope(decision.status, "Injected fault")
        : undefined;
    case "handled":
      // A failure after the write: the tenant changed, the client sees a 5xx.
      return decision.kind === "fail" ? envelope(decision.status, "Injected fault") : undefined;
  }
}

/** Decides, per request, which fault (if any) applies, consuming the "next N" counters. */
export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = randomSource(1);

  set(config: FaultConfig): void {
    this.config = structuredClone(config);
    this.random = randomSource(config.seed ?? 1);
  }

  get current(): Readonly<FaultConfig> {
    return this.config;
  }

  get listingLagMs(): number {
    return this.config.listingLagMs ?? 0;
  }

  /** True once, when the `expireTokensAfter` countdown reaches zero. */
  expireTokensNow(): boolean {
    const c = this.config;
    if (c.expireTokensAfter === undefined) return false;
    if (c.expireTokensAfter-- > 0) return false;
    delete c.expireTokensAfter;
    return true;
  }

  /** Extra delay for this request: the constant latency plus a slow answer if one is due. */
  delayMs(): number {
    const c = this.config;
    let ms = c.latencyMs ?? 0;
    if (c.slowNext && c.slowNext.count > 0) {
      c.slowNext.count--;
      ms += c.slowNext.ms;
    }
    return ms;
  }

  decide(method: string): FaultDecision {
    const c = this.config;
    if (c.storm && c.storm.requests > 0) {
      c.storm.requests--;
      return { kind: "storm", resetInSeconds: c.storm.resetInSeconds };
    }
    if (c.resetNext && c.resetNext > 0) {
      c.resetNext--;
      return { kind: "reset" };
    }
    if (c.resetRate && this.random() < c.resetRate) return { kind: "reset" };
    const phase = c.failPhase ?? "before";
    if (c.failOnly && c.failOnly !== method) return { kind: "none" };
    if (c.failNext && c.failNext.count > 0) {
      c.failNext.count--;
      return { kind: "fail", status: c.failNext.status ?? 503, phase };
    }
    if (c.failRate && this.random() < c.failRate.fraction)
      return { kind: "fail", status: c.failRate.status ?? 503, phase };
    return { kind: "none" };
  }
}
