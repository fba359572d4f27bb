import { type HolderNames, MEMBER_NAMES } from "../pulumi/tokens";
import type { DesiredState, MemberRoles, OwnershipMode } from "./desired";
import { type Ends, expiryProps } from "./expiry";
import type { Resolution } from "./names";
import type { RecordedState } from "./plan";
import { sameSet } from "./role-sets";

/** What a resource's outputs mirror of its checked inputs, so that a refresh can give them back. */
export type Mirrored = Pick<
  DesiredState,
  "addedMembers" | "addMissingMembers" | "secret" | "resolved" | "until" | "expired"
>;

/** The recorded state of a resource and what it mirrors: what `diff`, `update`, `read` and `delete` start from. */
export type Recorded = RecordedState & Mirrored;

/** The mirrored part of checked inputs or a recorded state, each field only when set. */
export function mirroredOf(source: Mirrored): Mirrored {
  const { addedMembers, addMissingMembers, secret, resolved, until, expired } = source;
  return {
    ...(addedMembers && addedMembers.length > 0 ? { addedMembers } : {}),
    ...(addMissingMembers ? { addMissingMembers } : {}),
    ...(secret ? { secret } : {}),
    ...(resolved ? { resolved } : {}),
    ...(until && Object.keys(until).length > 0 ? { until } : {}),
    ...(expired && Object.keys(expired).length > 0 ? { expired } : {}),
  };
}

/**
 * RecordedState as the resource stores it. `declared` (what the resource owns) equals the holder map for
 * nearly every holder, so only the holders where it differs are stored, in `declaredDiffers`: the state
 * carries the map twice (the recorded inputs and the outputs), not three times, which is what a preview of
 * a large organization pays for. `tenantDiffers` is stored only when not empty. States written before this
 * form carry `declared` whole and `tenantDiffers` always; both forms are read.
 */
export type OrgMemberRolesOutputs = {
  organizationId: string;
  mode: OwnershipMode;
  /** OrgMemberRoles' holder map (OrgGroupRoles stores `groups` in its place). */
  members: MemberRoles;
  /** `members` was a secret (OrgGroupRoles: `groupsSecret`). */
  membersSecret?: boolean;
  /** Users this resource added to the organization (addMissingMembers). Memberships are never removed by it. */
  addedMembers?: string[];
  addMissingMembers?: boolean;
  /** What emails and role names resolved to (mirrored input, computed by check). */
  resolved?: Resolution;
  /** Grants that end: member → role → instant; and those that have ended (taken out of `members`). */
  until?: Ends;
  expired?: Record<string, string[]>;
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
 * The outputs a resource stores for `state`: its holder map and secret flag under `names`, `declared` only
 * where it differs from the map (a holder absent from `declared` owns nothing, as one declared with `[]`).
 *
 * @example
 * toStored({ ..., holders: { a: ["rol_1"], b: ["rol_2"] }, declared: { a: ["rol_1"] } }, MEMBER_NAMES);
 * // { ..., members: {...}, declaredDiffers: { b: [] } }
 */
export function toStored(
  state: Recorded,
  names: HolderNames,
  form: StoredForm = "compact",
): Record<string, unknown> {
  const { declared, tenantDiffers, holders, organizationId, mode } = state;
  const { secret, ...mirrored } = mirroredOf(state);
  const base = {
    organizationId,
    mode,
    [names.map]: holders,
    ...(secret ? { [names.secretFlag]: true } : {}),
    ...mirrored,
  };
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

/** The checked inputs as the engine holds them: the holder map and its secret flag under `names`. */
export function inputsOf(names: HolderNames, desired: DesiredState): Record<string, unknown> {
  const { holders, secret, ...rest } = desired;
  return { ...rest, [names.map]: holders, ...(secret ? { [names.secretFlag]: true } : {}) };
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The recorded state of stored props (or of the recorded inputs), in either form and of any earlier
 * version: missing fields default.
 */
export function recordedOf(stored: Record<string, unknown>, names: HolderNames = MEMBER_NAMES): Recorded {
  const holders = (stored[names.map] ?? {}) as MemberRoles;
  const declared = stored["declared"] as MemberRoles | undefined;
  const differs = stored["declaredDiffers"] as MemberRoles | undefined;
  const added = stored["addedMembers"];
  return {
    organizationId: (stored["organizationId"] as string | undefined) ?? "",
    mode: ((stored["mode"] as OwnershipMode | undefined) ?? "authoritative") as OwnershipMode,
    holders,
    declared: declared ?? { ...holders, ...(differs ?? {}) },
    tenantDiffers: (stored["tenantDiffers"] as RecordedState["tenantDiffers"] | undefined) ?? {},
    ...mirroredOf({
      ...(Array.isArray(added) ? { addedMembers: added as string[] } : {}),
      ...(stored["addMissingMembers"] === true ? { addMissingMembers: true } : {}),
      ...(stored[names.secretFlag] === true ? { secret: true } : {}),
      ...(isMap(stored["resolved"]) ? { resolved: stored["resolved"] as unknown as Resolution } : {}),
      ...expiryProps(stored),
    }),
  };
}
