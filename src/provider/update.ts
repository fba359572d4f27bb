import type * as pulumi from "@pulumi/pulumi";
import {
  knownUsers,
  lostRoles,
  planUpdate,
  type RecordedState,
  release,
  reobserve,
  settle,
  uncertainMembers,
  withLost,
  withoutClaimed,
} from "../model/plan";
import { recordedOf } from "../model/stored-state";
import { confirmedLive, readForAdoption } from "./adoption";
import { applyInRun } from "./apply";
import type { RunContext } from "./context";
import { expiryProps } from "./expiry";
import { applyFailure } from "./failure";
import type { ResourceKind } from "./kind";
import { extrasOf, membershipsAdded, outputs } from "./outputs";

/**
 * `update`: from the recorded state to the checked inputs (model/plan.ts `planUpdate`), keeping away from
 * what other resources of the run declare (`withoutClaimed`). Members new to this resource are adopted as on
 * create: what they hold is read, not assumed empty. A switch to authoritative adopts every member: the
 * additive state knew only its own roles.
 */
export async function update(
  ctx: RunContext,
  kind: ResourceKind,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const desired = kind.desired(ctx, news);
  const org = desired.organizationId;
  // Another resource of the run may be writing to these members: its writes land first, then this plan
  // starts from them (a role it removed that this resource declares is given back).
  await ctx.writes.idle(org, Object.keys(desired.holders));
  const recordedState = await settleUncertain(ctx, recordedOf(olds, kind.map), kind);
  const known = withLost(
    recordedState,
    lostRoles(recordedState, desired.holders, (u) => ctx.writes.removedFrom(org, u)),
  );
  const joined = await kind.prepareWrite(ctx, "Update", known.holders, desired);
  const widening = known.mode === "additive" && desired.mode === "authoritative";
  const knownBefore = new Set(knownUsers(known));
  const newcomers = Object.keys(desired.holders).filter((u) => widening || !knownBefore.has(u));
  const before =
    newcomers.length > 0
      ? reobserve(
          { ...known, mode: desired.mode },
          confirmedLive(await readForAdoption(ctx, desired, newcomers, kind)),
          (id) => desired.holders[id] ?? [],
        )
      : known;
  const claimed = ctx.claims.of(org);
  const plan = withoutClaimed(planUpdate(before, desired.holders, desired.mode), desired.holders, claimed);
  const report = await applyInRun(ctx, org, plan, kind);
  // A member dropped here that another resource of this run declares has moved (or stays with its other
  // owners): what this resource owned of it is settled, and once its removal is done it is forgotten here.
  const failed = new Set(report.failed.map((f) => f.change.holder));
  // Only after a successful update: a failed one keeps the old `members` (the engine keeps the old inputs),
  // and with them what this resource owned and what the tenant lacks.
  const movedAway =
    failed.size > 0
      ? []
      : knownUsers(before).filter((u) => !(u in desired.holders) && claimed(u) !== undefined);
  // A failed update leaves the engine's recorded inputs as they were: `members` stays what they show. A
  // member new to the resource is recorded with no roles shown (the preview showed it joining, nothing
  // leaving), so a refresh still reads it as declared and shows every role it holds.
  const joiningNow = Object.keys(desired.holders).filter((u) => !(u in known.holders));
  const recordAs =
    report.failed.length > 0
      ? {
          members: { ...Object.fromEntries(joiningNow.map((u) => [u, []])), ...known.holders },
          mode: known.mode,
        }
      : { members: desired.holders, mode: desired.mode };
  const after = {
    ...release(settle(before, desired.holders, desired.mode, report.outcomes, recordAs), movedAway),
    ...membershipsAdded(olds["addedMembers"] as string[] | undefined, desired.addedMembers, joined),
    ...extrasOf(kind, desired),
    ...expiryProps(news),
  };
  if (report.failed.length > 0) throw applyFailure("Update", id, report, after, kind);
  return { outs: outputs(kind, after) };
}

/**
 * Members a failed write left uncertain are read again from the primary store (one call each), so the plan
 * starts from what they hold: a removal that landed unanswered is not claimed as held, an addition that
 * landed is not sent again.
 */
async function settleUncertain(
  ctx: RunContext,
  state: RecordedState,
  kind: ResourceKind,
): Promise<RecordedState> {
  const users = uncertainMembers(state);
  if (users.length === 0) return state;
  const read = await kind.readLive(ctx, state.organizationId, users, {
    perMemberUpTo: Number.POSITIVE_INFINITY,
  });
  return reobserve(state, confirmedLive(read));
}
