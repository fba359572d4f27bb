/**
 * What the PR summary says about roles a changing member holds through an organization's groups, from the
 * checked input `groupRoles` (src/provider/group-grants.ts). Pure. Such a role is never this resource's to
 * remove: where a change removes the direct assignment of a role a group also grants, the member keeps it.
 */
import { redundantRoles } from "../model/group-grants";
import { isSecretValue, type StateView } from "./preview-json";

/** A member's group roles as the summary shows them. */
export interface GroupView {
  /** Roles held through a group that this change neither adds nor removes. */
  held: string[];
  /** Declared directly and granted by a group too: the direct assignment changes nothing the member can do. */
  redundant: string[];
  /** Direct assignments this change removes that a group still grants: the member keeps the role. */
  stillHeld: string[];
  /**
   * Roles a group granted at preview that an OrgGroupRoles of the same organization removes from a group in
   * this preview: the member may lose them too (which group grants a member what is not read), so they are
   * shown as neither kept nor redundant.
   */
  groupLoses?: string[];
}

/**
 * `view` once the groups of the same organization lose `lost` in this preview: those roles leave
 * held, redundant and stillHeld for groupLoses.
 */
export function withGroupLosses(view: GroupView, lost: ReadonlySet<string>): GroupView {
  const all = [...view.held, ...view.redundant, ...view.stillHeld].filter((r) => lost.has(r));
  if (all.length === 0) return view;
  const keep = (roles: string[]) => roles.filter((r) => !lost.has(r));
  return {
    held: keep(view.held),
    redundant: keep(view.redundant),
    stillHeld: keep(view.stillHeld),
    groupLoses: [...new Set(all)].sort(),
  };
}

/** The visible `groupRoles` of a step's new state: user → role IDs; empty when absent or secret. */
export function groupRolesOf(s: StateView | undefined): Record<string, string[]> {
  const v = s?.inputs["groupRoles"];
  if (v === null || typeof v !== "object" || Array.isArray(v) || isSecretValue(v)) return {};
  const out: Record<string, string[]> = Object.create(null);
  for (const [user, roles] of Object.entries(v as Record<string, unknown>))
    if (Array.isArray(roles)) out[user] = roles.filter((r): r is string => typeof r === "string").sort();
  return out;
}

/**
 * The group view of one member: `declared` are its new direct roles, `loses` the direct ones the change
 * removes. Undefined when no group grants it anything.
 */
export function groupView(
  groups: Record<string, string[]>,
  userId: string,
  declared: readonly string[],
  loses: readonly string[],
): GroupView | undefined {
  const held = groups[userId];
  if (!held || held.length === 0) return undefined;
  const redundant = redundantRoles({ [userId]: [...declared] }, { [userId]: held })[userId] ?? [];
  const stillHeld = held.filter((r) => loses.includes(r));
  return {
    held: held.filter((r) => !redundant.includes(r) && !stillHeld.includes(r)),
    redundant,
    stillHeld,
  };
}
