/**
 * The Management API operations over a `Tenant`: one handler per operation of the emulator's contract
 * (contract.ts), so TypeScript asks for a handler when an operation is added. Status codes, bodies and
 * paging follow Auth0's published reference (docs/auth0-api.md); where Auth0's behaviour is unconfirmed, the
 * comment next to the code says so.
 */
import { type Answer, ApiError, envelope } from "./answers";
import { type OperationName, PUBLISHED_LIMITS, RECORDED_TEXTS } from "./contract";
import { getRole, listRoles, offsetPage, usersByEmail } from "./directory";
import { groupHandlers, refuseUnusable } from "./groups";
import type { RequestBody } from "./http-body";
import type { Memberships, Tenant } from "./tenant";
import {
  decodeCursor,
  encodeCursor,
  listBody,
  pageParams,
  pageSize,
  projector,
  rolesBody,
  validateId,
} from "./validation";

/** The tenant as the endpoints read and change it. */
export interface TenantStore {
  /** The tenant now (a reset replaces it). */
  tenant(): Tenant;
  /** Applies a write to the primary store and, lagged, to the members listing's search index. */
  write(apply: (m: Memberships) => void): void;
  /** The memberships as the members listing shows them (behind the writes while a listing lag is set). */
  listingView(): Memberships;
}

export interface EndpointOptions {
  /** Roles one member may hold; past it POST answers 409. Default 100. */
  roleCap?: number | undefined;
  /** Largest page actually served, whatever `per_page` asks. Default 100. */
  perPageCap?: number | undefined;
  /** Roles one organization group may hold; past it POST answers 409. Default 10 (Auth0's entity limit). */
  groupRoleCap?: number | undefined;
  /**
   * What effective roles answer for a user who is not a member: `404` as member-roles does, or `empty`
   * (`200 {"roles": []}`), which Auth0's reference allows (it documents no "not a member" answer). Default 404.
   */
  nonMemberEffectiveRoles?: "404" | "empty" | undefined;
}

export type Handler = (params: string[], query: URLSearchParams, body: RequestBody) => Answer;

/** The 404 text of the organization, group and effective-roles operations (OpenAPI description). */
const ORGANIZATION_NOT_FOUND = "Organization not found.";

export class TenantEndpoints {
  constructor(
    private readonly store: TenantStore,
    private readonly options: EndpointOptions,
  ) {}

  /** One handler per operation of the contract. */
  readonly handlers: Record<OperationName, Handler> = {
    get_organizations_by_id: ([org = ""]) => ({ status: 200, body: this.organization(org) }),
    get_organization_member_roles: ([org = "", user = ""], query) => this.getMemberRoles(org, user, query),
    post_organization_member_roles: ([org = "", user = ""], _query, body) =>
      this.writeMemberRoles("add", org, user, body),
    delete_organization_member_roles: ([org = "", user = ""], _query, body) =>
      this.writeMemberRoles("remove", org, user, body),
    get_organization_members: ([org = ""], query) => this.listMembers(org, query),
    post_members: ([org = ""], _query, body) => this.addMembers(org, body),
    get_roles: (_params, query) => listRoles(this.store.tenant(), query),
    "get_users-by-email": (_params, query) => usersByEmail(this.store.tenant(), query),
    get_roles_by_id: ([id = ""]) => getRole(this.store.tenant(), id),
    ...groupHandlers(
      {
        tenant: () => this.store.tenant(),
        organization: (org) => this.organization(org, ORGANIZATION_NOT_FOUND),
        user: (org, user) => this.user(org, user, ORGANIZATION_NOT_FOUND),
        member: (org, user) => this.member(org, user, ORGANIZATION_NOT_FOUND),
      },
      () => ({
        groupRoleCap: this.options.groupRoleCap ?? PUBLISHED_LIMITS.groupRoleCap,
        nonMemberEffectiveRoles: this.options.nonMemberEffectiveRoles ?? "404",
      }),
    ),
  };

  /**
   * The organization, or 404: `No organization found by that id or name` where real traffic was recorded
   * (the organization and its members); the group and effective-roles operations document `Organization not
   * found.` (OpenAPI description; no recording).
   */
  organization(org: string, notFound: string = RECORDED_TEXTS.organizationNotFound) {
    validateId(org, 50, "id", "ID of the organization");
    const found = this.store.tenant().organizations.get(org);
    if (!found) throw new ApiError(envelope(404, notFound));
    return found;
  }

  /** The organization and the user, each or 404; membership is not checked. */
  user(org: string, user: string, orgNotFound?: string): void {
    this.organization(org, orgNotFound);
    validateId(user, 255, "user_id", "ID of the user");
    if (!this.store.tenant().users.has(user))
      throw new ApiError(envelope(404, RECORDED_TEXTS.userNotFound, "inexistent_user"));
  }

  /** The three documented 404s: unknown organization, unknown user, not a member. */
  member(org: string, user: string, orgNotFound?: string): Set<string> {
    this.user(org, user, orgNotFound);
    const roles = this.store.tenant().memberRoles(org, user);
    if (!roles) throw new ApiError(envelope(404, "User is not a member of this organization"));
    return roles;
  }

  private getMemberRoles(org: string, user: string, query: URLSearchParams): Answer {
    const { page, perPage } = pageParams(query);
    const served = Math.min(perPage, this.options.perPageCap ?? PUBLISHED_LIMITS.maxPageSize);
    const roles = [...this.member(org, user)]
      .map((id) => this.store.tenant().roles.get(id))
      .filter((r) => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      // Direct assignments only, as `{id, name, description}`: group grants show under effective-roles.
      .map((r) => ({ id: r.id, name: r.name, description: r.description }));
    return offsetPage("roles", roles, query, { page, perPage, served });
  }

  private writeMemberRoles(kind: "add" | "remove", org: string, user: string, body: RequestBody): Answer {
    const roles = rolesBody(body);
    const current = this.member(org, user);
    if (kind === "add") {
      // Unknown role IDs, and roles another organization owns: 400 invalid_body naming them (groups.ts).
      refuseUnusable(this.store.tenant(), org, roles);
      const added = new Set([...current, ...roles]);
      if (added.size > (this.options.roleCap ?? PUBLISHED_LIMITS.memberRoleCap))
        throw new ApiError(envelope(409, "No more roles can be assigned to this organization member."));
      // Re-assigning a held role: unconfirmed in Auth0; answered 204 with no change.
      this.store.write((m) => {
        const set = m.get(org)?.get(user);
        if (set) for (const r of roles) set.add(r);
      });
    } else {
      // Removing a role the member does not hold answers 204 (seen in real traffic).
      this.store.write((m) => {
        const set = m.get(org)?.get(user);
        if (set) for (const r of roles) set.delete(r);
      });
    }
    return { status: 204 };
  }

  private listMembers(org: string, query: URLSearchParams): Answer {
    this.organization(org);
    const source = this.store.listingView().get(org) ?? new Map<string, Set<string>>();
    const all = [...source.keys()].sort();
    const project = projector(query, (user) => {
      const u = this.store.tenant().users.get(user);
      const roleIds = [...(source.get(user) ?? [])].sort();
      return {
        user_id: user,
        email: u?.email ?? "",
        name: u?.name ?? "",
        picture: "https://cdn.auth0.com/avatars/default.png",
        roles: roleIds.map((id) => ({ id, name: this.store.tenant().roles.get(id)?.name ?? "" })),
      };
    });
    if (query.has("take") || query.has("from")) {
      const take = pageSize(query, "take");
      const from = query.get("from");
      let start = 0;
      if (from) {
        const after = decodeCursor(from);
        start = all.findIndex((u) => u > after);
        if (start === -1) start = all.length;
      }
      const page = all.slice(start, start + take);
      // Real traffic shows `next` on the last non-empty page too; the call after it answers {members: []}.
      if (page.length === 0) return { status: 200, body: { members: [] } };
      return {
        status: 200,
        body: { members: page.map(project), next: encodeCursor(page[page.length - 1]!) },
      };
    }
    const { page, perPage } = pageParams(query);
    if ((page + 1) * perPage > PUBLISHED_LIMITS.offsetRecordLimit)
      throw new ApiError(
        envelope(400, "Requesting page exceeds the allowed maximum of 1000 records", "invalid_paging"),
      );
    return offsetPage("members", all, query, { page, perPage }, project);
  }

  private addMembers(org: string, body: RequestBody): Answer {
    this.organization(org);
    const members = listBody(body, "members", PUBLISHED_LIMITS.membersPerWrite, "array of user IDs");
    refuseUnknown("users", members, (u) => this.store.tenant().users.has(u));
    this.store.write((m) => {
      const orgMembers = m.get(org);
      if (!orgMembers) return;
      for (const u of members) if (!orgMembers.has(u)) orgMembers.set(u, new Set());
    });
    return { status: 204 };
  }
}

/** 400 `invalid_body` naming every user of `ids` the tenant does not have. */
function refuseUnknown(what: "users", ids: readonly string[], exists: (id: string) => boolean): void {
  const unknown = ids.filter((id) => !exists(id));
  if (unknown.length > 0)
    throw new ApiError(
      envelope(
        400,
        `One or more of the specified ${what} do not exist: ${unknown.join(", ")}`,
        "invalid_body",
      ),
    );
}
