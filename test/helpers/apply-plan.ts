import type { MemberRoles } from "../../src/model/desired";
import type { HolderChange } from "../../src/model/plan";

/**
 * The tenant after applying `changes` to `members`: an oracle of its own for the property that the plan
 * converges (written apart from the provider's apply, which talks to the API).
 */
export function applyPlan(
  members: Record<string, string[] | undefined>,
  changes: HolderChange[],
): MemberRoles {
  const out: MemberRoles = {};
  for (const [u, r] of Object.entries(members)) if (r) out[u] = [...r];
  for (const c of changes) {
    const next = new Set((out[c.holder] ?? []).filter((r) => !c.remove.includes(r)));
    for (const r of c.add) next.add(r);
    out[c.holder] = [...next].sort();
  }
  return out;
}
