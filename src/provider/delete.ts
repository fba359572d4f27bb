import type { ChangeOutcome, HolderChange } from "../model/plan";
import { planDelete, withoutClaimed } from "../model/plan";
import type { Recorded } from "../model/stored-state";
import { applyInRun } from "./apply";
import type { RunContext } from "./context";
import { deleteFailure } from "./failure";
import type { ResourceKind } from "./kind";
import { requireScopes } from "./scope-gate";

/**
 * `delete` (destroy, or a resource that left the program): removes the roles this resource owns that
 * `members` shows, leaving what other resources of the run declare.
 *
 * A delete cannot hand partial state to the engine: when it fails, the engine keeps the resource's state as it
 * was. So a delete that fails part-way puts back what it removed (and what a removal answered with a 5xx may
 * have removed): the tenant then matches the state the engine keeps, and the next `pulumi destroy`, or the
 * same declaration in the next `up`, starts from the truth. Adding a role that is held changes nothing.
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

/** A removal that reached the tenant, or may have (its answer was a 5xx, a timeout or a reset). */
const mayHaveRemoved = (o: ChangeOutcome) =>
  o.change.remove.length > 0 && (o.removed || o.uncertain === true);
