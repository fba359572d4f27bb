import type { MemberRoles, OwnershipMode } from "./desired";
import type { RecordedState } from "./plan";
import { sameSet } from "./role-sets";

/**
 * RecordedState as the resource stores it. `declared` (what the resource owns) equals `members` for nearly
 * every member, so only the members where it differs are stored, in `declaredDiffers`: the state carries
 * the member map twice (the recorded inputs and `members`), not three times, which is what a preview of a
 * large organization pays for. `tenantDiffers` is stored only when not empty. States written before this
 * form carry `declared` whole and `tenantDiffers` always; both forms are read.
 */
export type StoredState = Omit<RecordedState, "declared" | "tenantDiffers"> & {
  /** Where the tenant is known to differ from `members`; absent when it differs nowhere (the usual case). */
  tenantDiffers?: RecordedState["tenantDiffers"];
  /** Per member, the roles this resource owns where that differs from `members`; others own their `members`. */
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
export const formOf = (stored: Pick<StoredState, "declared">): StoredForm =>
  stored.declared ? "whole" : "compact";

/**
 * The stored form of `state`: `declared` only where it differs from `members` (a member absent from
 * `declared` owns nothing, as one declared with `[]`).
 *
 * @example
 * toStored({ ..., members: { a: ["rol_1"], b: ["rol_2"] }, declared: { a: ["rol_1"] } });
 * // { ..., members: {...}, declaredDiffers: { b: [] } }
 */
export function toStored<T extends RecordedState>(
  state: T,
  form: StoredForm = "compact",
): Omit<T, "declared" | "tenantDiffers"> & StoredState {
  const { declared, tenantDiffers, ...others } = state;
  if (form === "whole") return { ...others, declared, tenantDiffers };
  const rest = Object.keys(tenantDiffers).length > 0 ? { ...others, tenantDiffers } : others;
  const differs: MemberRoles = {};
  for (const userId of new Set([...Object.keys(state.members), ...Object.keys(declared)])) {
    const owned = [...(declared[userId] ?? [])].sort();
    const baseline = state.members[userId];
    if (baseline === undefined || !sameSet(owned, baseline)) differs[userId] = owned;
  }
  return Object.keys(differs).length > 0 ? { ...rest, declaredDiffers: differs } : rest;
}

/** The ownership map of a stored state, in either form. */
export function declaredOf(
  stored: Pick<StoredState, "members" | "declared" | "declaredDiffers">,
): MemberRoles {
  if (stored.declared) return stored.declared;
  const members = stored.members ?? {};
  return { ...members, ...(stored.declaredDiffers ?? {}) };
}

/** The recorded state of a stored one, in either form (and of any earlier version: missing fields default). */
export function recordedOf(stored: Partial<StoredState>): RecordedState {
  const members = stored.members ?? {};
  return {
    organizationId: stored.organizationId ?? "",
    mode: (stored.mode ?? "authoritative") as OwnershipMode,
    members,
    declared: declaredOf({ ...stored, members }),
    tenantDiffers: stored.tenantDiffers ?? {},
  };
}
