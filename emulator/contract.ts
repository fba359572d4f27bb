/**
 * The emulator's contract: what Auth0 publishes about each Management API operation the emulator serves,
 * written here from Auth0's own sources and never from the client's endpoint table (src/api), so that a wrong
 * fact in the client fails a test (test/unit/contract.test.ts) instead of being served back to it.
 *
 * Sources, named per row:
 * - the operation's reference page in auth0/docs-v2 (`main/docs/api/management/v2/<group>/<page>.mdx`, commit
 *   092b879e of 2026-08-20): method, path, scopes (its `<Scopes>` tag: any one of them suffices) and release
 *   lifecycle (`<ApiReleaseLifecycle>`);
 * - Auth0's OpenAPI description of the Management API v2 (`main/docs/oas/management/v2/management-api-oas.json`
 *   in the same repository): each documented status and its text, the query parameters and so the paging;
 * - recorded real traffic (`test/data/recordings/` of auth0/go-auth0 and auth0/terraform-provider-auth0) for
 *   the error texts the description leaves out;
 * - Auth0's rate-limit configuration pages for which operations spend a bucket of their own beside the
 *   tenant's global one (no row for effective roles, groups or group roles: those spend the global one only).
 *
 * @example
 * const op = operationOf("GET", ["organizations", "org_1", "members", "auth0|1", "effective-roles"]);
 * op?.name; // "get_organization_member_effective_roles"
 * CONTRACT[op!.name].scopes; // ["read:organization_member_effective_roles"]
 */

/** How an operation's listing pages. */
export type Paging =
  /** `page` (from 0) and `per_page` (at most 100), `include_totals` for `{<key>, start, limit, total}`. */
  | "offset"
  /** `from` (a cursor from `next`) and `take` (at most 100): `{<key>, next?}`. */
  | "checkpoint"
  /** Either of the two, chosen by the parameters sent (`take`/`from`, else offset). */
  | "offset-or-checkpoint"
  | "none";

/** The buckets Auth0's rate-limit configuration pages give endpoint groups of their own. */
export type Bucket = "member-roles:read" | "member-roles:write" | "members:read" | "members:write";

export interface Operation {
  method: "GET" | "POST" | "DELETE";
  /** The published path after `/api/v2/`, with its published parameter names. */
  path: string;
  /** Any one of these scopes authorises the call (the reference page's `<Scopes>`). */
  scopes: readonly string[];
  lifecycle: "GA" | "EA";
  paging: Paging;
  /** The bucket it spends beside the global one; none: the global one only. */
  bucket?: Bucket;
  /** Documented statuses and what each means, in Auth0's words where it gives them. */
  statuses: Readonly<Record<number, string>>;
  /** What the emulator's counters call the resource (`count({ route })`). */
  route: string;
  /** The reference page (its `<Scopes>` and `<ApiReleaseLifecycle>` tags). */
  page: string;
}

const REF = "main/docs/api/management/v2";

/** The 401 of every operation here (OpenAPI description; x-description-1 of each). */
const UNAUTHORIZED = "Invalid token. / Invalid signature received for JSON Web Token validation.";
/** The 429 of every operation (OpenAPI description). */
const TOO_MANY =
  "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";
const BAD_QUERY = "Invalid request query string. The message will vary depending on the cause.";
const BAD_BODY = "Invalid request body. The message will vary depending on the cause.";
/** The description's own wording; real answers say `Insufficient scope, expected any of: <scope>` (errors below). */
const scopeRefused = (scopes: string) => `Insufficient scope; expected any of: ${scopes}.`;

/**
 * The operations the emulator serves, keyed by Auth0's `operationId`, each status with the OpenAPI
 * description's text (commit f488ef7b of auth0/docs-v2, 2026-08-20). Every row is a fact of Auth0's; nothing
 * here follows from what the client does.
 */
export const CONTRACT = {
  get_organizations_by_id: {
    method: "GET",
    path: "organizations/{id}",
    scopes: ["read:organizations", "read:organizations_summary"],
    lifecycle: "GA",
    paging: "none",
    statuses: {
      200: "Organization successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:organizations"),
      404: "The organization does not exist.",
      429: TOO_MANY,
    },
    route: "organization",
    page: `${REF}/organizations/get-organizations-by-id.mdx`,
  },
  get_organization_members: {
    method: "GET",
    path: "organizations/{id}/members",
    scopes: ["read:organization_members"],
    lifecycle: "GA",
    paging: "offset-or-checkpoint",
    bucket: "members:read",
    statuses: {
      200: "Members successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:organization_members, read:organization_member_roles"),
      404: "The organization does not exist.",
      429: TOO_MANY,
    },
    route: "members",
    page: `${REF}/organizations/get-organization-members.mdx`,
  },
  post_members: {
    method: "POST",
    path: "organizations/{id}/members",
    scopes: ["create:organization_members"],
    lifecycle: "GA",
    paging: "none",
    bucket: "members:write",
    statuses: {
      204: "Members successfully added to organization.",
      400: BAD_BODY,
      401: UNAUTHORIZED,
      403: scopeRefused("create:organization_members"),
      429: TOO_MANY,
    },
    route: "members",
    page: `${REF}/organizations/post-members.mdx`,
  },
  get_organization_member_roles: {
    method: "GET",
    path: "organizations/{id}/members/{user_id}/roles",
    scopes: ["read:organization_member_roles"],
    lifecycle: "GA",
    paging: "offset",
    bucket: "member-roles:read",
    statuses: {
      200: "Roles successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:organization_member_roles"),
      404: "The user does not exist. / The organization does not exist.",
      429: TOO_MANY,
    },
    route: "member-roles",
    page: `${REF}/organizations/get-organization-member-roles.mdx`,
  },
  post_organization_member_roles: {
    method: "POST",
    path: "organizations/{id}/members/{user_id}/roles",
    scopes: ["create:organization_member_roles"],
    lifecycle: "GA",
    paging: "none",
    bucket: "member-roles:write",
    statuses: {
      204: "Roles successfully associated with user.",
      400: BAD_BODY,
      401: UNAUTHORIZED,
      403: scopeRefused("create:organization_member_roles"),
      409: "No more roles can be assigned to this organization member.",
      429: TOO_MANY,
    },
    route: "member-roles",
    page: `${REF}/organizations/post-organization-member-roles.mdx`,
  },
  delete_organization_member_roles: {
    method: "DELETE",
    path: "organizations/{id}/members/{user_id}/roles",
    scopes: ["delete:organization_member_roles"],
    lifecycle: "GA",
    paging: "none",
    bucket: "member-roles:write",
    statuses: {
      204: "Roles successfully removed from organization member.",
      400: BAD_BODY,
      401: UNAUTHORIZED,
      403: scopeRefused("delete:organization_member_roles"),
      429: TOO_MANY,
    },
    route: "member-roles",
    page: `${REF}/organizations/delete-organization-member-roles.mdx`,
  },
  get_organization_member_effective_roles: {
    method: "GET",
    path: "organizations/{id}/members/{user_id}/effective-roles",
    scopes: ["read:organization_member_effective_roles"],
    lifecycle: "GA",
    paging: "checkpoint",
    statuses: {
      200: "Organization member's effective roles successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:organization_member_effective_roles"),
      // No "not a member" answer is documented: a non-member may get 404 or `{"roles": []}`.
      404: "Organization not found. / The user does not exist.",
      429: TOO_MANY,
    },
    route: "effective-roles",
    page: `${REF}/organizations/get-organization-member-effective-roles.mdx`,
  },
  get_organization_groups: {
    method: "GET",
    path: "organizations/{organization_id}/groups",
    scopes: ["read:organization_groups"],
    lifecycle: "GA",
    paging: "checkpoint",
    statuses: {
      200: "Organization groups successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:organization_groups"),
      404: "Organization not found.",
      429: TOO_MANY,
    },
    route: "groups",
    page: `${REF}/organizations/get-organization-groups.mdx`,
  },
  get_organization_group_roles: {
    method: "GET",
    path: "organizations/{organization_id}/groups/{group_id}/roles",
    scopes: ["read:organization_group_roles"],
    lifecycle: "GA",
    paging: "checkpoint",
    statuses: {
      200: "Organization group roles successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:organization_group_roles"),
      404: "Group not found. / Organization not found.",
      429: TOO_MANY,
    },
    route: "group-roles",
    page: `${REF}/organizations/get-organization-group-roles.mdx`,
  },
  post_organization_group_roles: {
    method: "POST",
    path: "organizations/{organization_id}/groups/{group_id}/roles",
    scopes: ["create:organization_group_roles"],
    lifecycle: "GA",
    paging: "none",
    statuses: {
      204: "Roles successfully assigned to organization group.",
      400: BAD_BODY,
      401: UNAUTHORIZED,
      403: scopeRefused("create:organization_group_roles"),
      404: "Group not found. / Organization not found.",
      409: "No more roles can be assigned to this organization group.",
      429: TOO_MANY,
    },
    route: "group-roles",
    page: `${REF}/organizations/post-organization-group-roles.mdx`,
  },
  delete_organization_group_roles: {
    method: "DELETE",
    path: "organizations/{organization_id}/groups/{group_id}/roles",
    scopes: ["delete:organization_group_roles"],
    lifecycle: "GA",
    paging: "none",
    statuses: {
      204: "Roles successfully removed from organization group.",
      400: BAD_BODY,
      401: UNAUTHORIZED,
      403: scopeRefused("delete:organization_group_roles"),
      404: "Group not found. / Organization not found.",
      429: TOO_MANY,
    },
    route: "group-roles",
    page: `${REF}/organizations/delete-organization-group-roles.mdx`,
  },
  get_group_members: {
    method: "GET",
    // A tenant group's members (users, or groups nested in it: `member_type`), not an organization's path.
    path: "groups/{id}/members",
    scopes: ["read:group_members"],
    lifecycle: "GA",
    // `from`/`take` (1..100, default 50), `{members: [{id, member_type, ...}], next?}` (OpenAPI description,
    // GetGroupMembersResponseContent). No `page`/`per_page`: checkpoint only.
    paging: "checkpoint",
    statuses: {
      200: "Group members successfully retrieved.",
      400: BAD_QUERY,
      401: UNAUTHORIZED,
      403: scopeRefused("read:group_members"),
      // No 404 is documented for this operation; GET /groups/{id} documents "The group does not exist.".
      429: TOO_MANY,
    },
    route: "group-members",
    page: `${REF}/groups/get-group-members.mdx`,
  },
  get_roles: {
    method: "GET",
    path: "roles",
    scopes: ["read:roles"],
    lifecycle: "GA",
    // Offset is GA; `from`/`take` with `type`/`owner_id` are Early Access parameters of the same operation.
    paging: "offset-or-checkpoint",
    statuses: {
      200: "Roles successfully retrieved.",
      400: "Invalid request URI. The message will vary depending on the cause.",
      401: UNAUTHORIZED,
      403: "Insufficient scope; expected: read:roles.",
      429: TOO_MANY,
    },
    route: "roles",
    page: `${REF}/roles/get-roles.mdx`,
  },
  get_roles_by_id: {
    method: "GET",
    path: "roles/{id}",
    scopes: ["read:roles"],
    lifecycle: "GA",
    paging: "none",
    statuses: {
      200: "Role successfully retrieved.",
      400: "Invalid request URI. The message will vary depending on the cause.",
      401: UNAUTHORIZED,
      403: "Insufficient scope; expected: read:roles.",
      404: "Role not found.",
      429: TOO_MANY,
    },
    route: "role",
    page: `${REF}/roles/get-roles-by-id.mdx`,
  },
  "get_users-by-email": {
    method: "GET",
    path: "users-by-email",
    scopes: ["read:users"],
    lifecycle: "GA",
    paging: "none",
    statuses: {
      200: "Users successfully searched.",
      400: "Invalid request URI. The message will vary depending on the cause.",
      401: UNAUTHORIZED,
      403: "User to be acted on does not match subject in bearer token. / Insufficient scope; expected any of: read:users.",
      429: TOO_MANY,
    },
    route: "users-by-email",
    page: `${REF}/users-by-email/get-users-by-email.mdx`,
  },
} as const satisfies Record<string, Operation>;

/**
 * What real answers say where recorded traffic shows it, which the emulator sends rather than the
 * description's summaries (`test/data/recordings/` of auth0/go-auth0 branch v1 and
 * auth0/terraform-provider-auth0):
 */
export const RECORDED_TEXTS = {
  /** 404 of GET/DELETE /organizations/{id} (go-auth0 TestOrganizationManager_Delete.yaml), no errorCode. */
  organizationNotFound: "No organization found by that id or name",
  /** 404 of GET /roles/{id} (go-auth0 TestRoleManager_Delete.yaml), no errorCode. */
  roleNotFound: "The role does not exist.",
  /** 404 of a user (go-auth0 TestUserManager_Delete.yaml), errorCode `inexistent_user`. */
  userNotFound: "The user does not exist.",
  /** 403 (terraform-provider-auth0 TestAccDataSourceOrganizationInsufficientScope.yaml at 70e23e63). */
  insufficientScope: (scopes: string) => `Insufficient scope, expected any of: ${scopes}`,
  /**
   * 403 of a feature the tenant's plan lacks, errorCode `insufficient_entitlement` (terraform-provider-auth0
   * TestAccAttackProtectionBotDetectionInsufficientEntitlement.yaml; recorded for attack protection only).
   */
  insufficientEntitlement: (feature: string) => `Please upgrade your subscription to use ${feature}`,
} as const;

export type OperationName = keyof typeof CONTRACT;
/** What the emulator's counters call an operation's resource. */
export type OperationRoute = (typeof CONTRACT)[OperationName]["route"];

/**
 * Asking the members listing for roles (`fields` naming `roles`) needs the member-roles read scope besides
 * the listing's own (Auth0's reference for `get-organization-members`).
 */
export const LISTING_ROLES_SCOPE = "read:organization_member_roles";

/** Every scope some operation of the contract accepts. */
export const CONTRACT_SCOPES: readonly string[] = [
  ...new Set([...Object.values(CONTRACT).flatMap((op) => [...op.scopes]), LISTING_ROLES_SCOPE]),
].sort();

/** The operation `method` addresses at the decoded `segments` after `/api/v2`, with its path parameters. */
export function operationOf(
  method: string,
  segments: readonly string[],
): { name: OperationName; params: string[] } | undefined {
  for (const [name, op] of Object.entries(CONTRACT) as Array<[OperationName, Operation]>) {
    if (op.method !== method) continue;
    const params = matchPath(op.path, segments);
    if (params) return { name, params };
  }
  return undefined;
}

/** The resource `segments` address, whatever the method: what a request is counted under. */
export function routeOfPath(segments: readonly string[]): OperationRoute | undefined {
  return (Object.values(CONTRACT) as Operation[]).find((op) => matchPath(op.path, segments))?.route as
    | OperationRoute
    | undefined;
}

function matchPath(pattern: string, segments: readonly string[]): string[] | undefined {
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

/**
 * The numbers Auth0 publishes that the emulator enforces (sources in docs/auth0-api.md): page sizes, the
 * offset-paging window, members per write, and the entity limits on role assignments.
 */
export const PUBLISHED_LIMITS = {
  /** `per_page` and `take` at most 100 (OpenAPI description). */
  maxPageSize: 100,
  /** Offset paging serves the first 1,000 records (`invalid_paging` beyond). */
  offsetRecordLimit: 1000,
  /** `POST .../members`: at most 10 members a request. */
  membersPerWrite: 10,
  /** Role assignments per organization member: the cap the emulator enforces by default (configurable). */
  memberRoleCap: 100,
  /** Role assignments per enterprise group (Auth0's entity-limit policy, June 2026). */
  groupRoleCap: 10,
} as const;

/**
 * Private Key JWT at `POST /oauth/token` (Auth0, "Authenticate with Private Key JWT" and "Application
 * Credentials"; RFC 7523 for the assertion type): the algorithms a credential may use, the longest lifetime
 * of an assertion (`exp` - `iat`), and the clock skew allowed on `iat`/`nbf`.
 */
export const PRIVATE_KEY_JWT = {
  algorithms: ["RS256", "RS384", "PS256"],
  maxLifetimeSeconds: 300,
  clockSkewSeconds: 10,
  assertionType: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
} as const;
