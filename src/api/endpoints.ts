/**
 * The Management API endpoints this project calls, one row each: method, path pattern, the rate-limit bucket it
 * spends (Auth0's published endpoint groups) and the scope it needs (docs/auth0-api.md). The client builds its
 * requests from these rows and the emulator routes, paces and authorises by them, so adding an endpoint is one
 * row here, one client method and one emulator handler (the handler table's type asks for it).
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
  /** The resource it acts on: what the emulator's counters call it (`count({ route: "member-roles" })`). */
  route: string;
  group: string;
  scope: string;
}

export const ENDPOINTS = {
  getOrganization: {
    method: "GET",
    path: "organizations/{org}",
    route: "organization",
    group: "organizations:read",
    scope: "read:organizations",
  },
  listMemberRoles: {
    method: "GET",
    path: "organizations/{org}/members/{user}/roles",
    route: "member-roles",
    group: "member-roles:read",
    scope: "read:organization_member_roles",
  },
  addMemberRoles: {
    method: "POST",
    path: "organizations/{org}/members/{user}/roles",
    route: "member-roles",
    group: "member-roles:write",
    scope: "create:organization_member_roles",
  },
  removeMemberRoles: {
    method: "DELETE",
    path: "organizations/{org}/members/{user}/roles",
    route: "member-roles",
    group: "member-roles:write",
    scope: "delete:organization_member_roles",
  },
  listMembers: {
    method: "GET",
    path: "organizations/{org}/members",
    route: "members",
    group: "members:read",
    scope: "read:organization_members",
  },
  addMembers: {
    method: "POST",
    path: "organizations/{org}/members",
    route: "members",
    group: "members:write",
    scope: "create:organization_members",
  },
  removeMembers: {
    method: "DELETE",
    path: "organizations/{org}/members",
    route: "members",
    group: "members:write",
    scope: "delete:organization_members",
  },
  // Organization groups and effective roles (Early Access, 2026; paths from npm `auth0` 7.1.0). Their scopes
  // are not in the SDK's types: the names below follow the member-roles scopes (docs/auth0-api.md, unconfirmed).
  listOrganizationGroups: {
    method: "GET",
    path: "organizations/{org}/groups",
    route: "groups",
    group: "groups:read",
    scope: "read:organization_groups",
  },
  listGroupRoles: {
    method: "GET",
    path: "organizations/{org}/groups/{group}/roles",
    route: "group-roles",
    group: "group-roles:read",
    scope: "read:organization_group_roles",
  },
  addGroupRoles: {
    method: "POST",
    path: "organizations/{org}/groups/{group}/roles",
    route: "group-roles",
    group: "group-roles:write",
    scope: "create:organization_group_roles",
  },
  removeGroupRoles: {
    method: "DELETE",
    path: "organizations/{org}/groups/{group}/roles",
    route: "group-roles",
    group: "group-roles:write",
    scope: "delete:organization_group_roles",
  },
  listEffectiveRoles: {
    method: "GET",
    path: "organizations/{org}/members/{user}/effective-roles",
    route: "effective-roles",
    group: "member-roles:read",
    scope: "read:organization_member_roles",
  },
  listRoleSourceGroups: {
    method: "GET",
    path: "organizations/{org}/members/{user}/effective-roles/sources/groups",
    route: "effective-roles",
    group: "member-roles:read",
    scope: "read:organization_member_roles",
  },
  listRoles: { method: "GET", path: "roles", route: "roles", group: "roles:read", scope: "read:roles" },
  getRole: { method: "GET", path: "roles/{role}", route: "role", group: "roles:read", scope: "read:roles" },
  usersByEmail: {
    method: "GET",
    path: "users-by-email",
    route: "users-by-email",
    group: "users-by-email:read",
    scope: "read:users",
  },
} as const satisfies Record<string, EndpointSpec>;

export type EndpointName = keyof typeof ENDPOINTS;
/** Endpoint groups that have a rate-limit bucket of their own in Auth0's published limits. */
export type EndpointGroup = (typeof ENDPOINTS)[EndpointName]["group"];
/** What the emulator's counters call an endpoint's resource. */
export type EndpointRoute = (typeof ENDPOINTS)[EndpointName]["route"];

const API_PREFIX = "/api/v2/";

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

/**
 * The endpoint a request addresses: the row whose method and pattern match the decoded path segments after
 * `/api/v2`, with its parameters in pattern order; `undefined` for no row.
 */
export function matchEndpoint(
  method: string,
  segments: readonly string[],
): { name: EndpointName; params: string[] } | undefined {
  for (const [name, spec] of Object.entries(ENDPOINTS) as Array<[EndpointName, EndpointSpec]>) {
    if (spec.method !== method) continue;
    const params = matchPattern(spec.path, segments);
    if (params) return { name, params };
  }
  return undefined;
}

/** The resource of the decoded `segments`, whatever the method: what a request is counted under. */
export function routeOf(segments: readonly string[]): EndpointRoute | undefined {
  return (Object.values(ENDPOINTS) as EndpointSpec[]).find((spec) => matchPattern(spec.path, segments))
    ?.route as EndpointRoute | undefined;
}

function matchPattern(pattern: string, segments: readonly string[]): string[] | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return undefined;
  const params: string[] = [];
  for (const [i, part] of parts.entries()) {
    const segment = segments[i]!;
    if (part.startsWith("{")) {
      if (segment === "") return undefined;
      params.push(segment);
    } else if (part !== segment) return undefined;
  }
  return params;
}
