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

/** The recorded state of a resource and what it mirrors. */
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
 * RecordedState as stored. `declared` nearly always equals the holder map, so only where it differs is stored
 * (`declaredDiffers`): a large organization's preview pays for the map twice, not three times. Older states
 * carry `declared` whole and `tenantDiffers` always; both forms are read.
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
  /** What emails and role names resolved to (mirrored input). */
  resolved?: Resolution;
  /** Grants that end: member → role → instant; and those that have ended (taken out of `members`). */
  until?: Ends;
  expired?: Record<string, string[]>;
  /** Where the tenant is known to differ from the holder map; absent when nowhere. */
  tenantDiffers?: RecordedState["tenantDiffers"];
  /** Owned roles, for holders where they differ from the map; others own their map entry. */
  declaredDiffers?: MemberRoles;
  /** The whole ownership map, as states written before `declaredDiffers` stored it. */
  declared?: MemberRoles;
};

/**
 * "whole" is the older form. A refresh writes a whole state whole again: the engine marks outputs secret by
 * the names the last `up` registered, so a new name written by a refresh would be stored in clear.
 */
export type StoredForm = "compact" | "whole";

/** The form a stored state is in. */
export const formOf = (stored: { declared?: unknown }): StoredForm => (stored.declared ? "whole" : "compact");

/**
 * The outputs to store for `state` (a holder absent from `declared` owns nothing, as one declared `[]`).
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

/** The recorded state of stored props or recorded inputs, in either form and any earlier version. */
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
