/**
 * The tenant's roles and users over HTTP, beside the organization endpoints (endpoints.ts): `GET /roles`
 * (offset paging, filters) and `GET /roles/{id}`, with their `type` and `owner_id` (Auth0's organization
 * roles, npm `auth0` 7.1.0), and `GET /users-by-email`.
 */
import { type Answer, ApiError, envelope } from "./answers";
import { RECORDED_TEXTS } from "./contract";
import { typeOf } from "./groups";
import type { Tenant } from "./tenant";
import { pageParams } from "./validation";

/**
 * `GET /roles`: `name_filter` (part of the name, any case), `type` (`tenant` or `organization`) and
 * `owner_id` (required with `type=organization`, npm `auth0` 7.1.0). Without `type` every role is listed,
 * organization roles too: unconfirmed in Auth0, which documents only the filters.
 */
export function listRoles(tenant: Tenant, query: URLSearchParams): Answer {
  const { page, perPage } = pageParams(query);
  const filter = query.get("name_filter")?.toLowerCase();
  const type = query.get("type");
  const owner = query.get("owner_id");
  const invalid = (detail: string, property: string) =>
    new ApiError(
      envelope(400, `Query validation error: '${detail}' on property ${property}.`, "invalid_query_string"),
    );
  if (type !== null && type !== "tenant" && type !== "organization")
    throw invalid(`No enum match for: "${type}"`, "type");
  if (type === "organization" && !owner) throw invalid("Missing required property: owner_id", "owner_id");
  const roles = [...tenant.roles.values()]
    .filter((r) => !filter || r.name.toLowerCase().includes(filter))
    .filter((r) => type === null || r.type === type)
    .filter((r) => !owner || r.owner_id === owner)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => ({ id: r.id, name: r.name, description: r.description, ...typeOf(r) }));
  return offsetPage("roles", roles, query, { page, perPage });
}

/**
 * `GET /roles/{id}`: the role, or 404 `The role does not exist.` with no `errorCode` (recorded real traffic:
 * go-auth0 `test/data/recordings/TestRoleManager_Delete.yaml`).
 */
export function getRole(tenant: Tenant, id: string): Answer {
  const role = tenant.roles.get(id);
  if (!role) throw new ApiError(envelope(404, RECORDED_TEXTS.roleNotFound));
  return { status: 200, body: role };
}

/**
 * Page `page` of `records` by offset paging: a bare array, or with `include_totals=true`
 * `{<key>: [...], start, limit, total}` where `limit` echoes `per_page`. `served` is how many a page really
 * holds (a server may cap it below `per_page`).
 */
export function offsetPage<T>(
  key: string,
  records: readonly T[],
  query: URLSearchParams,
  { page, perPage, served = perPage }: { page: number; perPage: number; served?: number },
  project: (record: T) => unknown = (record) => record,
): Answer {
  const slice = records.slice(page * served, page * served + served).map(project);
  if (query.get("include_totals") !== "true") return { status: 200, body: slice };
  return {
    status: 200,
    body: { [key]: slice, start: page * served, limit: perPage, total: records.length },
  };
}

/**
 * `GET /users-by-email?email=`: every user with exactly this email (Auth0: exact, case-sensitive; Auth0
 * stores the emails of its own database users in lower case), one per identity, so two connections give two.
 */
export function usersByEmail(tenant: Tenant, query: URLSearchParams): Answer {
  const email = query.get("email");
  if (!email)
    throw new ApiError(
      envelope(
        400,
        "Query validation error: 'Missing required property: email' on property email.",
        "invalid_query_string",
      ),
    );
  const users = [...tenant.users.values()].filter((u) => u.email === email);
  return {
    status: 200,
    body: users.map((u) => ({
      user_id: u.user_id,
      email: u.email,
      name: u.name,
      identities: [{ provider: u.user_id.split("|")[0], user_id: u.user_id.split("|").slice(1).join("|") }],
    })),
  };
}
