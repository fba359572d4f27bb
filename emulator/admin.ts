/**
 * The emulator's own routes under `/__emulator/` (not Auth0's): counters, faults, rate-limit buckets and the
 * tenant, for tests and scripts driving an emulator in another process.
 */
import { type Answer, envelope } from "./answers";
import type { FaultConfig } from "./faults";
import type { RequestBody } from "./http-body";
import type { TenantFixture } from "./tenant";

/** What the admin routes act on: the emulator's public controls. */
export interface AdminTarget {
  counts(): Record<string, number>;
  resetCounters(): void;
  refillRateLimits(): void;
  setFaults(config: FaultConfig): void;
  readonly faults: { readonly current: Readonly<FaultConfig> };
  readonly tenant: { toFixture(): TenantFixture };
  reset(fixture?: TenantFixture): void;
  setRolesOf(org: string, user: string, roles: string[]): void;
}

/** The answer to `method` on `/__emulator/<path>`. */
export function adminAnswer(target: AdminTarget, method: string, path: string, body: RequestBody): Answer {
  const json = body.kind === "empty" ? {} : body.value;
  const ok = (value: unknown = { ok: true }): Answer => ({ status: 200, body: value });
  switch (`${method} ${path}`) {
    case "GET counters":
      return ok(target.counts());
    case "POST counters/reset":
      target.resetCounters();
      return ok();
    case "POST rate-limits/reset":
      target.refillRateLimits();
      return ok();
    case "POST faults":
      target.setFaults(json as FaultConfig);
      return ok(target.faults.current);
    case "GET tenant":
      return ok(target.tenant.toFixture());
    case "POST reset":
      target.reset(body.kind === "empty" ? undefined : (json as TenantFixture));
      return ok();
    case "POST member-roles": {
      const { organizationId, userId, roles } = json as {
        organizationId: string;
        userId: string;
        roles: string[];
      };
      target.setRolesOf(organizationId, userId, roles);
      return ok();
    }
    default:
      return envelope(404, "Not Found");
  }
}
