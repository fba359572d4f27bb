import { UnknownValueError } from "@pulumi/policy";
import {
  AUTH0_ORGANIZATION_MEMBER_ROLE_TOKEN,
  AUTH0_ORGANIZATION_MEMBER_ROLES_TOKEN,
  RESOURCE_TYPE_TOKEN,
} from "../src/pulumi/tokens";

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

/**
 * The member-role assignments a resource makes: our OrgMemberRoles, and @pulumi/auth0's
 * OrganizationMemberRoles (one member, many roles) and OrganizationMemberRole (one member, one role).
 * Other types assign nothing. Unknown values are counted, never dereferenced.
 *
 * @example
 * assignmentsOf("pulumi-nodejs:dynamic/auth0:OrgMemberRoles", props, { name: "acme", urn });
 */
export function assignmentsOf(
  type: string,
  props: Record<string, unknown>,
  { name: resource, urn }: { name: string; urn: string },
): MemberAssignment[] {
  const organizationId = () => text(() => props["organizationId"], UNKNOWN_ORGANIZATION);
  switch (type) {
    case RESOURCE_TYPE_TOKEN: {
      const members = read(() => props["members"]);
      const mode = text(() => props["mode"], "authoritative");
      if (!members.known || members.value === null || typeof members.value !== "object") return [];
      const map = members.value as Record<string, unknown>;
      return Object.keys(map).map((userId) => ({
        resource,
        urn,
        type,
        organizationId: organizationId(),
        userId,
        ...roleList(() => map[userId]),
        authoritative: mode !== "additive",
      }));
    }
    case AUTH0_ORGANIZATION_MEMBER_ROLES_TOKEN:
      return [
        {
          resource,
          urn,
          type,
          organizationId: organizationId(),
          userId: text(() => props["userId"], UNKNOWN_USER),
          ...roleList(() => props["roles"]),
          authoritative: true,
        },
      ];
    case AUTH0_ORGANIZATION_MEMBER_ROLE_TOKEN: {
      const role = read(() => props["roleId"]);
      return [
        {
          resource,
          urn,
          type,
          organizationId: organizationId(),
          userId: text(() => props["userId"], UNKNOWN_USER),
          roleIds: role.known && typeof role.value === "string" ? [role.value] : [],
          unknownRoles: role.known ? 0 : 1,
          authoritative: false,
        },
      ];
    }
    default:
      return [];
  }
}

/** Assignments grouped by (organization, user), across resources. Unknown members are never grouped together. */
export interface MemberTotal {
  organizationId: string;
  userId: string;
  roleIds: string[];
  unknownRoles: number;
  assignments: MemberAssignment[];
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
