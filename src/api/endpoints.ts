/**
 * The Management API endpoints this project calls, one row each: method, path pattern, the rate-limit group the
 * client paces it by and the scope it needs (docs/auth0-api.md). The client builds its requests from these
 * rows. The emulator does not read them: it serves and authorises from its own contract, written from Auth0's
 * published reference (emulator/contract.ts), and test/unit/contract.test.ts holds every row here to it.
 *
 * @example
 * pathOf("listMemberRoles", { org: "org_abc", user: "auth0|1" });
 * // "/api/v2/organizations/org_abc/members/auth0%7C1/roles"
 */

export type HttpMethod = "GET" | "POST" | "DELETE";

export interface EndpointSpec {
  method: HttpMethod;
  /** Segments after `/api/v2/`; `{name}` is a path parameter. */
  path: string;
  group: string;
  /** The scope users are told to grant for this call. */
  scope: string;
  /** Other scopes Auth0's reference lists for the operation, any one of which also authorises it. */
  alsoAccepted?: readonly string[];
}

export const ENDPOINTS = {
  getOrganization: {
    method: "GET",
    path: "organizations/{org}",
    group: "organizations:read",
    scope: "read:organizations",
    // Auth0's reference page of GET /organizations/{id}: read:organizations or read:organizations_summary.
    alsoAccepted: ["read:organizations_summary"],
  },
  listMemberRoles: {
    method: "GET",
    path: "organizations/{org}/members/{user}/roles",
    group: "member-roles:read",
    scope: "read:organization_member_roles",
  },
  addMemberRoles: {
    method: "POST",
    path: "organizations/{org}/members/{user}/roles",
    group: "member-roles:write",
    scope: "create:organization_member_roles",
  },
  removeMemberRoles: {
    method: "DELETE",
    path: "organizations/{org}/members/{user}/roles",
    group: "member-roles:write",
    scope: "delete:organization_member_roles",
  },
  listMembers: {
    method: "GET",
    path: "organizations/{org}/members",
    group: "members:read",
    scope: "read:organization_members",
  },
  addMembers: {
    method: "POST",
    path: "organizations/{org}/members",
    group: "members:write",
    scope: "create:organization_members",
  },
  // Organization groups, group roles and effective roles: GA in Auth0's published reference (2026), each with
  // scopes of its own (docs/auth0-api.md, "Scopes"). No published rate-limit row: only the global limit.
  listOrganizationGroups: {
    method: "GET",
    path: "organizations/{org}/groups",
    group: "groups:read",
    scope: "read:organization_groups",
  },
  listGroupRoles: {
    method: "GET",
    path: "organizations/{org}/groups/{group}/roles",
    group: "group-roles:read",
    scope: "read:organization_group_roles",
  },
  addGroupRoles: {
    method: "POST",
    path: "organizations/{org}/groups/{group}/roles",
    group: "group-roles:write",
    scope: "create:organization_group_roles",
  },
  removeGroupRoles: {
    method: "DELETE",
    path: "organizations/{org}/groups/{group}/roles",
    group: "group-roles:write",
    scope: "delete:organization_group_roles",
  },
  // A tenant group's members (Auth0's reference page groups/get-group-members, GA): who holds its roles, read
  // per group instead of every member's effective roles.
  listGroupMembers: {
    method: "GET",
    path: "groups/{group}/members",
    group: "group-members:read",
    scope: "read:group_members",
  },
  listEffectiveRoles: {
    method: "GET",
    path: "organizations/{org}/members/{user}/effective-roles",
    group: "effective-roles:read",
    scope: "read:organization_member_effective_roles",
  },
  listRoles: { method: "GET", path: "roles", group: "roles:read", scope: "read:roles" },
  getRole: { method: "GET", path: "roles/{role}", group: "roles:read", scope: "read:roles" },
  usersByEmail: {
    method: "GET",
    path: "users-by-email",
    group: "users-by-email:read",
    scope: "read:users",
  },
} as const satisfies Record<string, EndpointSpec>;

export type EndpointName = keyof typeof ENDPOINTS;
/** What the client paces by: Auth0's published buckets, and one group per other kind of call. */
export type EndpointGroup = (typeof ENDPOINTS)[EndpointName]["group"];

/** Where every path of the table starts. */
export const API_PREFIX = "/api/v2/";

/** The path of `name` with `params` URL-encoded into it. */
export function pathOf(name: EndpointName, params: Record<string, string> = {}): string {
  return (
    API_PREFIX +
    ENDPOINTS[name].path.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = params[key];
      if (value === undefined) throw new Error(`${name}: no value for {${key}}`);
      return encodeURIComponent(value);
    })
  );
}

/** Every scope that authorises `name`'s call: the one users are told to grant, then the others accepted. */
export function acceptedScopes(name: EndpointName): readonly string[] {
  const spec: EndpointSpec = ENDPOINTS[name];
  return [spec.scope, ...(spec.alsoAccepted ?? [])];
}
