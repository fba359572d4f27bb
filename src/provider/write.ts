import type * as pulumi from "@pulumi/pulumi";
import { membershipRecorder } from "../audit/recorder";
import type { DesiredState, MemberRoles } from "../model/desired";
import {
  emptyState,
  knownUsers,
  lostRoles,
  planUpdate,
  release,
  reobserve,
  settle,
  uncertainMembers,
  withLost,
  withoutClaimed,
} from "../model/plan";
import { mirroredOf, type Recorded, toStored } from "../model/stored-state";
import { applyInRun } from "./apply";
import type { RunContext } from "./context";
import { applyFailure, refusedWrite } from "./failure";
import type { ResourceKind } from "./kind";
import type { LiveRoles } from "./live-roles";
import { requireScopes } from "./scope-gate";

/** `create`: an update from an empty state; what holders hold is adopted, not removed (as previewed). */
export async function create(
  ctx: RunContext,
  kind: ResourceKind,
  desired: DesiredState,
): Promise<pulumi.dynamic.CreateResult> {
  const org = desired.organizationId;
  const id = `${org}/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const outs = await write(ctx, kind, "Create", id, emptyState(org, desired.mode), desired);
  return { id, outs };
}

/** `update`: new holders are adopted; a switch to authoritative adopts all (additive knew only its own). */
export async function update(
  ctx: RunContext,
  kind: ResourceKind,
  id: string,
  recorded: Recorded,
  desired: DesiredState,
): Promise<pulumi.dynamic.UpdateResult> {
  return { outs: await write(ctx, kind, "Update", id, recorded, desired) };
}

async function write(
  ctx: RunContext,
  kind: ResourceKind,
  operation: "Create" | "Update",
  id: string,
  recorded: Recorded,
  desired: DesiredState,
): Promise<Record<string, unknown>> {
  const org = desired.organizationId;
  // Other resources' writes to these holders land first: the plan starts from them (plan.ts `lostRoles`).
  await ctx.writes.idle(org, Object.keys(desired.holders));
  const settled = await settleUncertain(ctx, recorded, kind);
  const known = withLost(
    settled,
    lostRoles(settled, desired.holders, (u) => ctx.writes.removedFrom(org, u)),
  );
  const joined = await prepareWrite(ctx, kind, operation, known.holders, desired);
  const widening = known.mode === "additive" && desired.mode === "authoritative";
  const knownBefore = new Set(knownUsers(known));
  const newcomers = Object.keys(desired.holders).filter((u) => widening || !knownBefore.has(u));
  const before =
    newcomers.length > 0
      ? reobserve(
          { ...known, mode: desired.mode },
          confirmedLive(await readForAdoption(ctx, kind, desired, newcomers)),
          (h) => desired.holders[h] ?? [],
        )
      : known;
  const claimed = ctx.claims.of(org);
  const plan = withoutClaimed(planUpdate(before, desired.holders, desired.mode), desired.holders, claimed);
  const report = await applyInRun(ctx, org, plan, kind);
  const failed = report.failed.length > 0;
  // A dropped holder another resource of the run declares has moved: forgotten here. Only after success: a
  // failed update keeps the old inputs, and with them what this resource owned.
  const movedAway = failed
    ? []
    : knownUsers(before).filter((u) => !(u in desired.holders) && claimed(u) !== undefined);
  // A failed update keeps the engine's old inputs, so the map stays theirs, new holders with no roles shown
  // (the preview showed them joining, nothing leaving). A failed create records the new inputs.
  const recordAs =
    failed && operation === "Update"
      ? {
          members: {
            ...Object.fromEntries(Object.keys(desired.holders).map((u) => [u, []])),
            ...known.holders,
          },
          mode: known.mode,
        }
      : { members: desired.holders, mode: desired.mode };
  const after: Recorded = {
    ...release(settle(before, desired.holders, desired.mode, report.outcomes, recordAs), movedAway),
    ...mirroredOf({
      ...desired,
      addedMembers: [
        ...new Set([...(recorded.addedMembers ?? []), ...(desired.addedMembers ?? []), ...joined]),
      ].sort(),
    }),
  };
  if (failed) throw applyFailure(operation, id, report, after, kind);
  return toStored(after, kind);
}

/** Before `up`'s first write: scopes, the checks preview may have skipped, then joins; returns who joined. */
async function prepareWrite(
  ctx: RunContext,
  kind: ResourceKind,
  operation: string,
  recorded: MemberRoles,
  desired: DesiredState,
): Promise<string[]> {
  const org = desired.organizationId;
  await requireScopes(ctx, `${operation} of ${kind.holders.noun} roles in ${org}`, kind.writeNeeds(desired));
  const { failures, nonMembers } = await kind.validate(ctx, recorded, desired);
  if (failures.length > 0) throw refusedWrite(operation, kind.holders.noun, org, failures);
  if (!desired.addMissingMembers || nonMembers.length === 0) return [];
  // The trail (orgMemberRoles:auditLog) records each membership write, as it records role writes.
  await ctx.client().addMembers(org, nonMembers, membershipRecorder(ctx, org));
  for (const u of nonMembers) ctx.writes.wrote(org, u);
  return nonMembers;
}

/**
 * Holders a failed write left uncertain, read again from the primary store: a removal that landed unanswered
 * is not claimed as held, an addition that landed is not sent again.
 */
async function settleUncertain(ctx: RunContext, state: Recorded, kind: ResourceKind): Promise<Recorded> {
  const users = uncertainMembers(state);
  if (users.length === 0) return state;
  const read = await kind.readLive(ctx, state.organizationId, users, {
    perMemberUpTo: Number.POSITIVE_INFINITY,
  });
  return reobserve(state, confirmedLive(read));
}

/**
 * Holders this resource starts to manage, read to adopt what they hold. The listing lags writes (a search
 * index), so alone it never skips a write: a role it shows that would skip a POST or, authoritative, be
 * recorded as held is read again from the primary store.
 */
function readForAdoption(
  ctx: RunContext,
  kind: ResourceKind,
  desired: DesiredState,
  holders: readonly string[],
): Promise<LiveRoles> {
  return kind.readLive(ctx, desired.organizationId, holders, {
    confirm: (h, listed) =>
      listed.some((r) => (desired.holders[h] ?? []).includes(r) || desired.mode === "authoritative"),
  });
}

/** The holders of `read` read from the primary store: only those count as observed. */
function confirmedLive(read: LiveRoles): Record<string, string[] | undefined> {
  return Object.fromEntries([...read.confirmed].map((h) => [h, read.live[h]]));
}
