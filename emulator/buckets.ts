import type { Bucket } from "./contract";
/**
 * Token buckets as Auth0 describes its rate limits: a burst (bucket size) and a sustained refill rate.
 * A request is checked against the tenant's global bucket, then its endpoint group's bucket.
 */
export interface BucketSpec {
  burst: number;
  perSecond: number;
}

export interface RateLimitProfile {
  name: string;
  global?: BucketSpec;
  groups: Partial<Record<Bucket, BucketSpec>>;
}

const perMinute = (n: number) => n / 60;

/** The endpoint groups' buckets, the same on Essentials, Professional and Enterprise (production or not). */
const ENTERPRISE_GROUPS: RateLimitProfile["groups"] = {
  "member-roles:read": { burst: 20, perSecond: perMinute(200) },
  "member-roles:write": { burst: 20, perSecond: perMinute(200) },
  "members:read": { burst: 40, perSecond: perMinute(500) },
  "members:write": { burst: 20, perSecond: perMinute(200) },
};

/**
 * Auth0's published figures (docs/auth0-api.md, "Rate limits"). `none` has no limits but still sends headers.
 *
 * @example
 * new Emulator({ rateLimits: RATE_LIMIT_PROFILES.enterprise });
 */
export const RATE_LIMIT_PROFILES: Record<
  "none" | "free" | "enterprise" | "enterprise-nonprod",
  RateLimitProfile
> = {
  none: { name: "none", groups: {} },
  free: { name: "free", global: { burst: 2, perSecond: 2 }, groups: {} },
  enterprise: {
    name: "enterprise",
    global: { burst: 50, perSecond: 16 },
    groups: ENTERPRISE_GROUPS,
  },
  "enterprise-nonprod": {
    name: "enterprise-nonprod",
    global: { burst: 10, perSecond: 2 },
    groups: ENTERPRISE_GROUPS,
  },
};

export interface BucketReading {
  limit: number;
  remaining: number;
  /** UNIX seconds at which a token is next added (now, when full). */
  resetSec: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.burst;
    this.last = now;
  }

  private refill(now: number): void {
    const elapsedSec = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.spec.burst, this.tokens + elapsedSec * this.spec.perSecond);
    this.last = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Gives back a token taken by a request that a later bucket refused. */
  giveBack(): void {
    this.tokens = Math.min(this.spec.burst, this.tokens + 1);
  }

  read(now: number): BucketReading {
    this.refill(now);
    const whole = Math.floor(this.tokens);
    const untilNextMs =
      whole >= this.spec.burst ? 0 : ((1 - (this.tokens - whole)) / this.spec.perSecond) * 1000;
    return { limit: this.spec.burst, remaining: whole, resetSec: Math.ceil((now + untilNextMs) / 1000) };
  }
}

/** The tenant's buckets: global first, then the endpoint group's. */
export class RateLimiter {
  private global: TokenBucket | undefined;
  private readonly groups = new Map<Bucket, TokenBucket>();

  constructor(
    readonly profile: RateLimitProfile,
    now: number,
  ) {
    if (profile.global) this.global = new TokenBucket(profile.global, now);
    for (const [group, spec] of Object.entries(profile.groups) as Array<[Bucket, BucketSpec]>)
      this.groups.set(group, new TokenBucket(spec, now));
  }

  /** Spends a token of both buckets; on refusal, says which bucket refused. */
  check(
    group: Bucket | undefined,
    now: number,
  ): { ok: true; reading: BucketReading } | { ok: false; reading: BucketReading } {
    const groupBucket = group ? this.groups.get(group) : undefined;
    if (this.global && !this.global.take(now)) return { ok: false, reading: this.global.read(now) };
    if (groupBucket && !groupBucket.take(now)) {
      this.global?.giveBack();
      return { ok: false, reading: groupBucket.read(now) };
    }
    return { ok: true, reading: this.reading(group, now) };
  }

  /** What the headers report: the more restrictive of the two buckets (fewer remaining). */
  reading(group: Bucket | undefined, now: number): BucketReading {
    const readings = [this.global, group ? this.groups.get(group) : undefined]
      .filter((b): b is TokenBucket => b !== undefined)
      .map((b) => b.read(now));
    if (readings.length === 0) return { limit: 1000, remaining: 1000, resetSec: Math.ceil(now / 1000) };
    return readings.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  }
}
