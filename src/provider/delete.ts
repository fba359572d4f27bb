import type { ChangeOutcome, HolderChange } from "../model/plan";
import { planDelete, withoutClaimed } from "../model/plan";
import type { Recorded } from "../model/stored-state";
import { applyInRun } from "./apply";
import type { RunContext } from "./context";
import { deleteFailure } from "./failure";
import type { ResourceKind } from "./kind";
import { requireScopes } from "./scope-gate";

/**
 * `delete` (plan.ts `planDelete`). The engine keeps the old state of a failed delete, so what it removed, or
 * may have (a 5xx), is put back for the tenant to match it; adding a held role changes nothing.
 */
export async function deleteResource(ctx: RunContext, kind: ResourceKind, state: Recorded): Promise<void> {
  const org = state.organizationId;
  const plan = withoutClaimed(planDelete(state), {}, ctx.claims.of(org));
  // The put-back below adds: both scopes, before the first removal.
  if (plan.length > 0)
    await requireScopes(ctx, `Delete of ${kind.holders.noun} roles in ${org}`, kind.holders.writes);
  const report = await applyInRun(ctx, org, plan, kind);
  if (report.failed.length === 0) return;
  const putBack = report.outcomes
    .filter(mayHaveRemoved)
    .map((o): HolderChange => ({ holder: o.change.holder, add: o.change.remove, remove: [] }));
  const restored = await applyInRun(ctx, org, putBack, kind);
  throw deleteFailure(org, report, putBack, restored, kind.holders.noun);
}

/** A removal that reached the tenant, or may have. */
const mayHaveRemoved = (o: ChangeOutcome) =>
  o.change.remove.length > 0 && (o.removed || o.uncertain === true);
