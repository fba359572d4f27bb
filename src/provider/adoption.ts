import type { DesiredState } from "../model/desired";
import type { RecordedState } from "../model/plan";
import { both, minus } from "../model/role-sets";
import type { RunContext } from "./context";
import { MEMBER_KIND, type ResourceKind } from "./kind";
import type { LiveRoles } from "./live-roles";

/**
 * Reads members this resource starts to manage (all of them on create, new ones on update), to adopt what
 * they hold. The listing lags writes (Auth0 serves it from a search index): a member it shows holding a
 * declared role (whose POST would be skipped) or, in authoritative mode, another role (to be recorded as
 * held) is read again from the primary store. The listing alone never decides that a write is not needed.
 */
export function readForAdoption(
  ctx: RunContext,
  desired: DesiredState,
  users: readonly string[],
  kind: ResourceKind = MEMBER_KIND,
): Promise<LiveRoles> {
  return kind.readLive(ctx, desired.organizationId, users, {
    confirm: (userId, listed) => {
      const wanted = desired.holders[userId] ?? [];
      return listed.some((r) => wanted.includes(r) || desired.mode === "authoritative");
    },
  });
}

/**
 * Records what adopted members hold where it differs from `members`, in `tenantDiffers`: roles held beyond
 * it are never removed by this run (no preview showed them leaving). Authoritative mode records every role
 * (a refresh then shows the undeclared ones, and the preview after it their removal); additive mode only the
 * declared ones, since roles it does not declare are not its business. Only primary-store reads count.
 */
export function adopt(state: RecordedState, read: LiveRoles, desired: DesiredState): RecordedState {
  const tenantDiffers = { ...state.tenantDiffers };
  for (const userId of read.confirmed) {
    const wanted = desired.holders[userId] ?? [];
    const baseline = state.holders[userId] ?? [];
    const live = read.live[userId] ?? [];
    const held = state.mode === "authoritative" ? live : both(live, wanted);
    const difference = { missing: minus(baseline, held), extra: minus(held, baseline) };
    if (difference.missing.length > 0 || difference.extra.length > 0) tenantDiffers[userId] = difference;
    else delete tenantDiffers[userId];
  }
  return { ...state, tenantDiffers };
}
