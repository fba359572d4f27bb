import type { MemberRoles, OwnershipMode } from "./desired";
import type { RecordedState } from "./plan";
import { sameSet } from "./role-sets";

/**
 * The name under which a resource stores its holder map (and shows it in its inputs): OrgMemberRoles'
 * `members`, OrgGroupRoles' `groups` (each ResourceKind's `map`). Stored names: existing states are read by them.
 */
export type HolderMapName = string;

/**
 * RecordedState as the resource stores it. `declared` (what the resource owns) equals the holder map for
 * nearly every holder, so only the holders where it differs are stored, in `declaredDiffers`: the state
 * carries the map twice (the recorded inputs and the outputs), not three times, which is what a preview of
 * a large organization pays for. `tenantDiffers` is stored only when not empty. States written before this
 * form carry `declared` whole and `tenantDiffers` always; both forms are read.
 */
export type StoredState = {
  organizationId: string;
  mode: OwnershipMode;
  /** OrgMemberRoles' holder map (OrgGroupRoles stores `groups` in its place). */
  members: MemberRoles;
  /** Where the tenant is known to differ from the holder map; absent when it differs nowhere (the usual case). */
  tenantDiffers?: RecordedState["tenantDiffers"];
  /** Per holder, the roles this resource owns where that differs from the map; others own their map entry. */
  declaredDiffers?: MemberRoles;
  /** The whole ownership map, as states written before `declaredDiffers` stored it. */
  declared?: MemberRoles;
};

/**
 * "compact": `declaredDiffers`, `tenantDiffers` only when not empty. "whole": `declared` and `tenantDiffers`
 * always, as states written before the compact form. A refresh of such a state writes it whole again: the
 * engine marks outputs secret by the names the last `up` registered (`declared`, `tenantDiffers`), so a new
 * name written by a refresh would be stored in clear; the next `up` registers the new names and compacts.
 */
export type StoredForm = "compact" | "whole";

/** The form a stored state is in. */
export const formOf = (stored: { declared?: unknown }): StoredForm => (stored.declared ? "whole" : "compact");

/**
 * The stored form of `state`, its holder map under `map`: `declared` only where it differs from the map (a
 * holder absent from `declared` owns nothing, as one declared with `[]`).
 *
 * @example
 * toStored({ ..., holders: { a: ["rol_1"], b: ["rol_2"] }, declared: { a: ["rol_1"] } }, "members");
 * // { ..., members: {...}, declaredDiffers: { b: [] } }
 */
export function toStored(
  state: RecordedState,
  map: HolderMapName,
  form: StoredForm = "compact",
): Record<string, unknown> {
  const { declared, tenantDiffers, holders, ...others } = state;
  const base = { ...others, [map]: holders };
  if (form === "whole") return { ...base, declared, tenantDiffers };
  const rest = Object.keys(tenantDiffers).length > 0 ? { ...base, tenantDiffers } : base;
  const differs: MemberRoles = {};
  for (const id of new Set([...Object.keys(holders), ...Object.keys(declared)])) {
    const owned = [...(declared[id] ?? [])].sort();
    const baseline = holders[id];
    if (baseline === undefined || !sameSet(owned, baseline)) differs[id] = owned;
  }
  return Object.keys(differs).length > 0 ? { ...rest, declaredDiffers: differs } : rest;
}

/**
 * The recorded state of stored props whose holder map is under `map`, in either form (and of any earlier
 * version: missing fields default).
 */
export function recordedOf(stored: Record<string, unknown>, map: HolderMapName = "members"): RecordedState {
  const holders = (stored[map] ?? {}) as MemberRoles;
  const declared = stored["declared"] as MemberRoles | undefined;
  const differs = stored["declaredDiffers"] as MemberRoles | undefined;
  return {
    organizationId: (stored["organizationId"] as string | undefined) ?? "",
    mode: ((stored["mode"] as OwnershipMode | undefined) ?? "authoritative") as OwnershipMode,
    holders: holders,
    declared: declared ?? { ...holders, ...(differs ?? {}) },
    tenantDiffers: (stored["tenantDiffers"] as RecordedState["tenantDiffers"] | undefined) ?? {},
  };
}
