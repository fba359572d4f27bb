import type * as pulumi from "@pulumi/pulumi";
import { emptyState, planCreate, reobserve, settle } from "../model/plan";
import { confirmedLive, readForAdoption } from "./adoption";
import { applyInRun } from "./apply";
import type { RunContext } from "./context";
import { expiryProps } from "./expiry";
import { applyFailure } from "./failure";
import type { ResourceKind } from "./kind";
import { extrasOf, membershipsAdded, outputs } from "./outputs";

/**
 * `create`: adopts what the members hold (nothing is removed: a create's preview shows no removal) and adds
 * what is missing. What the API would reject fails before any write; in the same run `check` read these
 * facts already, so that costs no call.
 */
export async function create(
  ctx: RunContext,
  kind: ResourceKind,
  inputs: Record<string, unknown>,
): Promise<pulumi.dynamic.CreateResult> {
  const desired = kind.desired(ctx, inputs);
  const org = desired.organizationId;
  // Another resource of the run may be writing to these members: read what its writes leave.
  await ctx.writes.idle(org, Object.keys(desired.holders));
  const joined = await kind.prepareWrite(ctx, "Create", undefined, desired);
  const read = await readForAdoption(ctx, desired, Object.keys(desired.holders), kind);
  const plan = planCreate(read.live, desired.holders, (u) => read.confirmed.has(u));
  const report = await applyInRun(ctx, org, plan, kind);
  // What the holders hold beyond the declaration is recorded, never removed by this run (no preview showed it).
  const before = reobserve(
    emptyState(org, desired.mode),
    confirmedLive(read),
    (id) => desired.holders[id] ?? [],
  );
  const after = {
    ...settle(before, desired.holders, desired.mode, report.outcomes),
    ...membershipsAdded(desired.addedMembers, joined),
    ...extrasOf(kind, desired),
    ...expiryProps(inputs),
  };
  const id = `${org}/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  if (report.failed.length > 0) throw applyFailure("Create", id, report, after, kind);
  return { id, outs: outputs(kind, after) };
}
