import type * as auth0 from "@pulumi/auth0";
import { type PolicyResource, UnknownValueError } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import { RESOURCE_TYPE_TOKEN } from "../src/pulumi/tokens";
import type { MemberRoleClasses } from "./auth0-classes";

/** The roles one resource assigns to one organization member, as far as they are known at preview. */
export interface MemberAssignment {
  /** The resource's name, for messages. */
  resource: string;
  /** The resource's URN: its identity (two resources may share a name under different parents or types). */
  urn: string;
  type: string;
  organizationId: string;
  userId: string;
  /** Unique role IDs known now. */
  roleIds: string[];
  /** Role IDs not known until apply (outputs of resources not yet created). */
  unknownRoles: number;
  /** Whether the resource makes the member hold exactly these roles (it would fight another owner). */
  authoritative: boolean;
  /** The resource's map is a secret: messages never name the member (or group) it keys. */
  secret?: boolean;
}

export const UNKNOWN_ORGANIZATION = "(organization not known until apply)";
export const UNKNOWN_USER = "(user not known until apply)";

/** Reads a property; undefined-with-a-flag when it is unknown during preview (never throws). */
function read<T>(get: () => T): { known: true; value: T } | { known: false } {
  try {
    return { known: true, value: get() };
  } catch (err) {
    if (err instanceof UnknownValueError || (err as Error)?.constructor?.name === "UnknownValueError")
      return { known: false };
    throw err;
  }
}

function roleList(get: () => unknown): { roleIds: string[]; unknownRoles: number } {
  const list = read(get);
  if (!list.known) return { roleIds: [], unknownRoles: 1 };
  if (!Array.isArray(list.value)) return { roleIds: [], unknownRoles: 0 };
  const arr = list.value as unknown[];
  const known = new Set<string>();
  let unknownRoles = 0;
  for (let i = 0; i < arr.length; i++) {
    const item = read(() => arr[i]);
    if (!item.known) unknownRoles++;
    else if (typeof item.value === "string") known.add(item.value);
  }
  return { roleIds: [...known].sort(), unknownRoles };
}

function text(get: () => unknown, fallback: string): string {
  const v = read(get);
  return v.known && typeof v.value === "string" && v.value !== "" ? v.value : fallback;
}

/** Which resource an assignment comes from, for messages and grouping. */
export interface Source {
  type: string;
  name: string;
  urn: string;
}

/** The properties the rules read of @pulumi/auth0's OrganizationMemberRoles, named and typed by the package. */
export type BulkProps = Pick<
  Unwrap<auth0.OrganizationMemberRolesArgs>,
  "organizationId" | "userId" | "roles"
>;

/** The properties the rules read of @pulumi/auth0's OrganizationMemberRole. */
export type SingleProps = Pick<
  Unwrap<auth0.OrganizationMemberRoleArgs>,
  "organizationId" | "userId" | "roleId"
>;

/**
 * Our OrgMemberRoles: one assignment per declared member. Matched by type token, since `validateResourceOfType`
 * never matches a dynamic resource's class. Unknown values are counted, never dereferenced.
 *
 * @example
 * ourAssignments({ type: RESOURCE_TYPE_TOKEN, name: "acme", urn }, { organizationId: "org_...", members: { ... } });
 */
export function ourAssignments(source: Source, props: Record<string, unknown>): MemberAssignment[] {
  const members = read(() => props["members"]);
  const mode = text(() => props["mode"], "authoritative");
  if (!members.known || members.value === null || typeof members.value !== "object") return [];
  const map = members.value as Record<string, unknown>;
  return Object.keys(map).map((userId) => ({
    resource: source.name,
    urn: source.urn,
    type: source.type,
    organizationId: text(() => props["organizationId"], UNKNOWN_ORGANIZATION),
    userId,
    ...roleList(() => map[userId]),
    authoritative: mode !== "additive",
    secret: props["membersSecret"] === true,
  }));
}

/** Where an assignment of one of @pulumi/auth0's one-member classes comes from, and its member. */
function oneMember(source: Source, props: Pick<BulkProps, "organizationId" | "userId">) {
  return {
    resource: source.name,
    urn: source.urn,
    type: source.type,
    organizationId: text(() => props.organizationId, UNKNOWN_ORGANIZATION),
    userId: text(() => props.userId, UNKNOWN_USER),
  };
}

/** @pulumi/auth0's OrganizationMemberRoles: one member, many roles, authoritative over that member. */
export function bulkAssignment(source: Source, props: BulkProps): MemberAssignment {
  return { ...oneMember(source, props), ...roleList(() => props.roles), authoritative: true };
}

/** @pulumi/auth0's OrganizationMemberRole: one member, one role, leaving the member's other roles alone. */
export function singleAssignment(source: Source, props: SingleProps): MemberAssignment {
  const role = read(() => props.roleId);
  return {
    ...oneMember(source, props),
    roleIds: role.known && typeof role.value === "string" ? [role.value] : [],
    unknownRoles: role.known ? 0 : 1,
    authoritative: false,
  };
}

/**
 * The member-role assignments of a stack's resources: ours, and @pulumi/auth0's, matched by its classes
 * (`asType` gives their properties typed by the package). Without @pulumi/auth0 where the pack runs, ours only
 * (see auth0-classes.ts). Other types assign nothing.
 *
 * @example
 * stackAssignments(args.resources, memberRoleClasses);
 */
export function stackAssignments(
  resources: readonly PolicyResource[],
  classes: MemberRoleClasses | undefined,
): MemberAssignment[] {
  return resources.flatMap((r) => {
    if (r.type === RESOURCE_TYPE_TOKEN) return ourAssignments(r, r.props);
    const bulk = classes && r.asType(classes.OrganizationMemberRoles);
    if (bulk) return [bulkAssignment(r, bulk)];
    const single = classes && r.asType(classes.OrganizationMemberRole);
    if (single) return [singleAssignment(r, single)];
    return [];
  });
}

/** Assignments grouped by (organization, user), across resources. Unknown members are never grouped together. */
export interface MemberTotal {
  organizationId: string;
  userId: string;
  roleIds: string[];
  unknownRoles: number;
  assignments: MemberAssignment[];
  /** The member (or group) as messages name it: `(secret)` when any resource's map of it is a secret. */
  shown: string;
}

export function totalsByMember(assignments: readonly MemberAssignment[]): MemberTotal[] {
  const groups = new Map<string, MemberAssignment[]>();
  assignments.forEach((a, i) => {
    const unknown = a.organizationId === UNKNOWN_ORGANIZATION || a.userId === UNKNOWN_USER;
    const key = unknown ? `unknown#${i}` : JSON.stringify([a.organizationId, a.userId]);
    groups.set(key, [...(groups.get(key) ?? []), a]);
  });
  return [...groups.values()].map((group) => ({
    organizationId: group[0]!.organizationId,
    userId: group[0]!.userId,
    roleIds: [...new Set(group.flatMap((a) => a.roleIds))].sort(),
    unknownRoles: group.reduce((n, a) => n + a.unknownRoles, 0),
    assignments: group,
    shown: group.some((a) => a.secret) ? "(secret)" : group[0]!.userId,
  }));
}

/** How many distinct resources (by URN) assign to this member. */
export function resourceCount(total: MemberTotal): number {
  return new Set(total.assignments.map((a) => a.urn)).size;
}

/** The resources of a total, for messages: names, or URNs where two share a name. */
export function resourcesOf(total: MemberTotal): string {
  const byUrn = new Map(total.assignments.map((a) => [a.urn, a.resource]));
  const names = [...byUrn.values()];
  const shared = names.length !== new Set(names).size;
  // Sorted: the engine may list resources in any order, and messages must not change from run to run.
  return [...byUrn]
    .map(([urn, name]) => (shared ? urn : name))
    .sort()
    .join(", ");
}

/**
 * What a resource's `groupRoles` (filled by check for changing members: the roles they hold through the
 * organization's groups) adds to its members' totals, one assignment per member, named as coming through groups.
 * Unknown or secret values add nothing: the policy sees what the preview read, nothing more.
 */
export function groupAssignments(resources: readonly PolicyResource[]): MemberAssignment[] {
  return resources.flatMap((r) => {
    if (r.type !== RESOURCE_TYPE_TOKEN) return [];
    const organizationId = r.props["organizationId"];
    const held = read(() => r.props["groupRoles"]);
    const groups = held.known ? held.value : undefined;
    if (typeof organizationId !== "string" || groups === null || typeof groups !== "object") return [];
    return Object.entries(groups as Record<string, unknown>)
      .filter((e): e is [string, string[]] => Array.isArray(e[1]))
      .map(([userId, roleIds]) => ({
        resource: `${r.name} (through groups)`,
        urn: `${r.urn}#groups`,
        type: r.type,
        organizationId,
        userId,
        roleIds: roleIds.filter((id) => typeof id === "string"),
        unknownRoles: 0,
        authoritative: false,
        secret: r.props["membersSecret"] === true,
      }));
  });
}
