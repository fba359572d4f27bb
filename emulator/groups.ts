/**
 * Organization groups and effective roles (GA in Auth0's published reference, 2026), over a `Tenant`: the
 * groups of an organization, a group's members, the roles given to a group, and a member's effective roles
 * (direct and through groups) with their sources. Every listing here pages by checkpoint, `{<key>: [...], next?}` (contract.ts).
 * Where Auth0's behaviour is unconfirmed, the comment next to the code says so (docs/auth0-api.md).
 */

import { type Answer, ApiError, envelope } from "./answers";
import type { RequestBody } from "./http-body";
import type { GroupRecord, RoleRecord, Tenant } from "./tenant";
import { decodeCursor, encodeCursor, pageSize, rolesBody, validateId } from "./validation";

/** What the group endpoints need from the member-role endpoints: the same 404s, in the same order. */
export interface MemberLookup {
  tenant(): Tenant;
  /** The organization, or 404 `Organization not found.`. */
  organization(org: string): unknown;
  /** The organization and the user, or their 404s; whether the user is a member is not checked. */
  user(org: string, user: string): void;
  /** The member's direct roles, or one of the three documented 404s. */
  member(org: string, user: string): Set<string>;
}

export type EffectiveRoleSource = "direct" | "groups";

/** What the group operations enforce, beside the tenant. */
export interface GroupOptions {
  /** Roles one group may hold (Auth0's entity-limit policy: 10); past it POST answers 409. */
  groupRoleCap: number;
  /** What effective roles answer for a non-member (endpoints.ts, `nonMemberEffectiveRoles`). */
  nonMemberEffectiveRoles: "404" | "empty";
}

/** The group handlers, keyed as the contract names the operations. */
export function groupHandlers(at: MemberLookup, options: () => GroupOptions) {
  const group = (org: string, id: string): GroupRecord => {
    at.organization(org);
    validateId(id, 50, "group_id", "ID of the group");
    const found = at.tenant().groups.get(org)?.get(id);
    // Unknown group: 404 (the SDK lists NotFoundError); the message is unconfirmed.
    if (!found) throw new ApiError(envelope(404, "Group not found."));
    return found;
  };
  /** POST or DELETE of a group's roles: the body checked, then the group (or its 404s), then `apply`; 204. */
  const writeGroupRoles =
    (apply: (g: GroupRecord, roles: string[], org: string) => void) =>
    ([org = "", id = ""]: string[], _q: URLSearchParams, body: RequestBody): Answer => {
      const roles = rolesBody(body);
      apply(group(org, id), roles, org);
      return { status: 204 };
    };
  const shown = (g: GroupRecord) => ({ id: g.id, name: g.name });
  // A non-member: 404 as member-roles answers, or no roles at all (the reference documents neither).
  const direct = (org: string, user: string): ReadonlySet<string> => {
    if (options().nonMemberEffectiveRoles === "404") return at.member(org, user);
    at.user(org, user);
    return at.tenant().memberRoles(org, user) ?? new Set();
  };
  const role = (r: RoleRecord) => ({ id: r.id, name: r.name, description: r.description, ...typeOf(r) });
  const rolesOf = (ids: Iterable<string>) =>
    [...ids].map((id) => at.tenant().roles.get(id)).filter((r) => r !== undefined);

  return {
    get_organization_groups: ([org = ""]: string[], query: URLSearchParams): Answer => {
      at.organization(org);
      const groups = [...(at.tenant().groups.get(org)?.values() ?? [])].sort(byName);
      return checkpointPage("groups", groups.map(shown), query);
    },
    get_group_members: ([id = ""]: string[], query: URLSearchParams): Answer => {
      // Auth0's path parameter is at most 26 characters (its minimum of 18 is not enforced: fixtures use
      // shorter IDs).
      validateId(id, 26, "id", "Unique identifier for the group (service-generated)");
      const found = [...at.tenant().groups.values()].map((byId) => byId.get(id)).find((g) => g !== undefined);
      // The operation documents no 404; GET /groups/{id} answers an unknown group with this one.
      if (!found) throw new ApiError(envelope(404, "The group does not exist."));
      // Users only: the emulator has no nested groups (`member_type: "group"` in Auth0). `fields` is ignored.
      const members = [...found.members].sort().map((user) => ({ id: user, member_type: "user" }));
      return checkpointPage("members", members, query);
    },
    get_organization_group_roles: ([org = "", id = ""]: string[], query: URLSearchParams): Answer =>
      checkpointPage("roles", rolesOf(group(org, id).roles).sort(byName).map(role), query),
    post_organization_group_roles: writeGroupRoles((g, roles, org) => {
      refuseUnusable(at.tenant(), org, roles);
      if (new Set([...g.roles, ...roles]).size > options().groupRoleCap)
        throw new ApiError(envelope(409, "No more roles can be assigned to this organization group."));
      for (const r of roles) g.roles.add(r);
    }),
    // As for member roles: removing a role the group does not have changes nothing (unconfirmed for groups).
    delete_organization_group_roles: writeGroupRoles((g, roles) => {
      for (const r of roles) g.roles.delete(r);
    }),
    get_organization_member_effective_roles: (
      [org = "", user = ""]: string[],
      query: URLSearchParams,
    ): Answer => {
      const sources = effectiveRoles(at.tenant(), org, user, direct(org, user));
      const roles = rolesOf(sources.keys())
        .sort(byName)
        .map((r) => ({ id: r.id, name: r.name, description: r.description, sources: sources.get(r.id)! }));
      return checkpointPage("roles", roles, query);
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
  const take = pageSize(query, "take");
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
