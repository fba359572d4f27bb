/**
 * Organization groups and effective roles (Auth0 Early Access, 2026), over a `Tenant`: the groups of an
 * organization, the roles given to a group, and a member's effective roles (direct and through groups) with
 * their sources. Shapes follow npm `auth0` 7.1.0 (`organizations.groups`, `organizations.groups.roles`,
 * `organizations.members.effectiveRoles`): every listing here pages by checkpoint, `{<key>: [...], next?}`.
 * Where Auth0's behaviour is unconfirmed, the comment next to the code says so (docs/auth0-api.md).
 */
import { MAX_PAGE_SIZE } from "../src/api/limits";
import { type Answer, ApiError, envelope } from "./answers";
import type { RequestBody } from "./http-body";
import type { GroupRecord, RoleRecord, Tenant } from "./tenant";
import { decodeCursor, encodeCursor, intParam, rolesBody, validateId } from "./validation";

/** What the group endpoints need from the member-role endpoints: the same 404s, in the same order. */
export interface MemberLookup {
  tenant(): Tenant;
  /** The organization, or 404 `No organization found by that id or name`. */
  organization(org: string): unknown;
  /** The member's direct roles, or one of the three documented 404s. */
  member(org: string, user: string): Set<string>;
}

export type EffectiveRoleSource = "direct" | "groups";

/** The group handlers, keyed as the endpoint table names them. */
export function groupHandlers(at: MemberLookup) {
  const group = (org: string, id: string): GroupRecord => {
    at.organization(org);
    validateId(id, 50, "group_id", "ID of the group");
    const found = at.tenant().groups.get(org)?.get(id);
    // Unknown group: 404 (the SDK lists NotFoundError); the message is unconfirmed.
    if (!found) throw new ApiError(envelope(404, "Group not found."));
    return found;
  };
  const shown = (g: GroupRecord) => ({ id: g.id, name: g.name });
  const role = (r: RoleRecord) => ({ id: r.id, name: r.name, description: r.description, ...typeOf(r) });
  const rolesOf = (ids: Iterable<string>) =>
    [...ids].map((id) => at.tenant().roles.get(id)).filter((r) => r !== undefined);

  return {
    listOrganizationGroups: ([org = ""]: string[], query: URLSearchParams): Answer => {
      at.organization(org);
      const groups = [...(at.tenant().groups.get(org)?.values() ?? [])].sort(byName);
      return checkpointPage("groups", groups.map(shown), query);
    },
    listGroupRoles: ([org = "", id = ""]: string[], query: URLSearchParams): Answer =>
      checkpointPage("roles", rolesOf(group(org, id).roles).sort(byName).map(role), query),
    addGroupRoles: ([org = "", id = ""]: string[], _q: URLSearchParams, body: RequestBody): Answer => {
      const roles = rolesBody(body);
      const g = group(org, id);
      refuseUnusable(at.tenant(), org, roles);
      for (const r of roles) g.roles.add(r);
      return { status: 204 };
    },
    removeGroupRoles: ([org = "", id = ""]: string[], _q: URLSearchParams, body: RequestBody): Answer => {
      const roles = rolesBody(body);
      const g = group(org, id);
      // As for member roles: removing a role the group does not have changes nothing (unconfirmed for groups).
      for (const r of roles) g.roles.delete(r);
      return { status: 204 };
    },
    listEffectiveRoles: ([org = "", user = ""]: string[], query: URLSearchParams): Answer => {
      const sources = effectiveRoles(at.tenant(), org, user, at.member(org, user));
      const roles = rolesOf(sources.keys())
        .sort(byName)
        .map((r) => ({ id: r.id, name: r.name, description: r.description, sources: sources.get(r.id)! }));
      return checkpointPage("roles", roles, query);
    },
    listRoleSourceGroups: ([org = "", user = ""]: string[], query: URLSearchParams): Answer => {
      at.member(org, user);
      const roleId = query.get("role_id");
      if (!roleId)
        throw new ApiError(
          envelope(
            400,
            "Query validation error: 'Missing required property: role_id' on property role_id.",
            "invalid_query_string",
          ),
        );
      const granting = at
        .tenant()
        .groupsOf(org, user)
        .filter((g) => g.roles.has(roleId))
        .sort(byName);
      return checkpointPage("groups", granting.map(shown), query);
    },
  };
}

/** Role ID → where the member gets it: `direct` (member roles) and/or `groups` (a group it belongs to). */
export function effectiveRoles(
  tenant: Tenant,
  org: string,
  user: string,
  direct: ReadonlySet<string>,
): Map<string, EffectiveRoleSource[]> {
  const sources = new Map<string, EffectiveRoleSource[]>();
  for (const r of direct) sources.set(r, ["direct"]);
  for (const g of tenant.groupsOf(org, user))
    for (const r of g.roles) {
      const now = sources.get(r) ?? [];
      if (!now.includes("groups")) sources.set(r, [...now, "groups"]);
    }
  return sources;
}

/** `type` always, `owner_id` for organization roles only (the SDK types both optional). */
export function typeOf(r: RoleRecord): { type: RoleRecord["type"]; owner_id?: string } {
  return r.owner_id === undefined ? { type: r.type } : { type: r.type, owner_id: r.owner_id };
}

/**
 * 400 `invalid_body` for role IDs that do not exist, or that another organization owns. Both are unconfirmed
 * in Auth0 (its reference lists 400 for an invalid body); the unknown-role wording is the invitations one's.
 */
export function refuseUnusable(tenant: Tenant, org: string, roles: readonly string[]): void {
  const unknown = roles.filter((r) => !tenant.roles.has(r));
  if (unknown.length > 0)
    throw new ApiError(
      envelope(400, `One or more of the specified roles do not exist: ${unknown.join(", ")}`, "invalid_body"),
    );
  const foreign = roles.filter((r) => !tenant.roleUsableIn(r, org));
  if (foreign.length > 0)
    throw new ApiError(
      envelope(
        400,
        `One or more of the specified roles belong to another organization: ${foreign
          .map((r) => `${r} (owner ${tenant.roles.get(r)?.owner_id})`)
          .join(", ")}`,
        "invalid_body",
      ),
    );
}

const byName = (a: { id: string; name: string }, b: { id: string; name: string }) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/**
 * Checkpoint paging over `records` (already in order): `take` 1..100 (default 50), `from` a cursor this
 * emulator issued. `next` is given while records remain; unlike the members listing, these are new
 * endpoints with no recorded traffic, so the last page carries no `next` (as Auth0 documents).
 */
function checkpointPage(key: string, records: readonly unknown[], query: URLSearchParams): Answer {
  const take = intParam(query, "take", 50, 1, MAX_PAGE_SIZE, "Number of results per page. Defaults to 50.");
  const from = query.get("from");
  const start = from ? Number(decodeCursor(from)) : 0;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new ApiError(
      envelope(400, "Query validation error: 'Invalid checkpoint' on property from.", "invalid_query_string"),
    );
  const page = records.slice(start, start + take);
  const end = start + page.length;
  return {
    status: 200,
    body: end < records.length ? { [key]: page, next: encodeCursor(String(end)) } : { [key]: page },
  };
}
