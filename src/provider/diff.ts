import type * as pulumi from "@pulumi/pulumi";
import type { DesiredState } from "../model/desired";
import { diffState, lostRoles } from "../model/plan";
import type { Recorded } from "../model/stored-state";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";

/** `diff`: plan.ts `diffState`, and a change when this run removed declared roles (plan.ts `lostRoles`). */
export function diff(ctx: RunContext, recorded: Recorded, desired: DesiredState): pulumi.dynamic.DiffResult {
  const result = diffState(recorded, desired);
  if (result.changes || isUnknown(desired.holders) || desired.organizationId !== recorded.organizationId)
    return result;
  const org = recorded.organizationId;
  const lost = lostRoles(recorded, desired.holders, (u) => ctx.writes.removedFrom(org, u));
  return Object.keys(lost).length > 0 ? { ...result, changes: true } : result;
}
