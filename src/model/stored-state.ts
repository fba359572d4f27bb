import type { MemberRoles } from "./desired";
import type { RecordedState } from "./plan";

/**
 * RecordedState as the resource stores it. `declared` (what the resource owns) equals `members` for nearly
 * every member, so only the members where it differs are stored, in `declaredDiffers`: the state carries
 * the member map twice (the recorded inputs and `members`), not three times, which is what a preview of a
 * large organization pays for. States written before this form carry `declared` whole; both are read.
 */
export type StoredState = Omit<RecordedState, "declared"> & {
  /** Per member, the roles this resource owns where that differs from `members`; others own their `members`. */
  declaredDiffers?: MemberRoles;
  /** The whole ownership map, as states written before `declaredDiffers` stored it. */
  declared?: MemberRoles;
};

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const sorted = (roles: readonly string[] | undefined) => [...(roles ?? [])].sort();

/**
 * The stored form of `state`: `declared` only where it differs from `members` (a member absent from
 * `declared` owns nothing, as one declared with `[]`).
 *
 * @example
 * toStored({ ..., members: { a: ["rol_1"], b: ["rol_2"] }, declared: { a: ["rol_1"] } });
 * // { ..., members: {...}, declaredDiffers: { b: [] } }
 */
export function toStored<T extends RecordedState>(state: T): Omit<T, "declared"> & StoredState {
  const { declared, ...rest } = state;
  const differs: MemberRoles = {};
  for (const userId of new Set([...Object.keys(state.members), ...Object.keys(declared)])) {
    const owned = sorted(declared[userId]);
    const baseline = state.members[userId];
    if (baseline === undefined || !same(owned, sorted(baseline))) differs[userId] = owned;
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
