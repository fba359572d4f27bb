import type { z } from "zod";
import { ENDPOINTS, type EndpointName, type EndpointSpec, pathOf } from "../api/endpoints";
import { MAX_PAGE_SIZE, MEMBERS_PER_WRITE, OFFSET_PAGING_RECORD_LIMIT } from "../api/limits";
import { type Clock, realClock } from "../clock";
import type { Connection } from "./credentials";
import { isGone } from "./errors";
import { CheckpointPaging, OffsetPaging, type PagingVerdict } from "./paging";
import {
  type EffectiveRole,
  effectiveRolesPageSchema,
  type Group,
  type GroupMember,
  groupMembersPageSchema,
  groupRolesPageSchema,
  groupsPageSchema,
  type MemberWithRoles,
  membersCheckpointPageSchema,
  membersOffsetPageSchema,
  type Organization,
  organizationSchema,
  type Role,
  roleSchema,
  rolesPageSchema,
  type UserByEmail,
  usersByEmailSchema,
} from "./schemas";
import { ClientCredentialsTokenSource, postToken, StaticTokenSource } from "./token";
import { type RequestSpec, Transport, type TransportOptions } from "./transport";

export type ClientOptions = Omit<TransportOptions, "baseUrl">;

/** The method, path, rate-limit group and scope of a call, from its row in the endpoint table. */
function call(
  name: EndpointName,
  params: Record<string, string>,
  rest: Omit<RequestSpec, "method" | "path" | "group" | "scope" | "alsoAccepted">,
): RequestSpec {
  const { method, group, scope } = ENDPOINTS[name];
  const { alsoAccepted } = ENDPOINTS[name] as EndpointSpec;
  return {
    method,
    path: pathOf(name, params),
    group,
    scope,
    ...(alsoAccepted ? { alsoAccepted } : {}),
    ...rest,
  };
}

/**
 * The Auth0 Management API calls this project makes, and nothing else.
 *
 * @example
 * const client = ManagementClient.connect(resolveConnection((k) => config[k]));
 * await client.addMemberRoles("org_abc...", "auth0|123", ["rol_abc..."]);
 * await client.close();
 */
export class ManagementClient {
  constructor(readonly transport: Transport) {}

  /** A client for a connection: client-credentials tokens are fetched once and cached. */
  static connect(connection: Connection, options: ClientOptions = {}): ManagementClient {
    const clock: Clock = options.clock ?? realClock;
    const { baseUrl, customDomainHeader } = connection;
    const transport = new Transport({
      ...options,
      clock,
      baseUrl,
      ...(customDomainHeader && { customDomainHeader }),
    });
    const { credentials } = connection;
    transport.useTokens(
      credentials.kind === "token"
        ? new StaticTokenSource(credentials.token)
        : new ClientCredentialsTokenSource(credentials, postToken(transport, credentials.kind), clock),
    );
    return new ManagementClient(transport);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** The scopes the token grants, or undefined when it does not say (an opaque static token). */
  granted(): Promise<ReadonlySet<string> | undefined> {
    return this.transport.grantedScopes();
  }

  /** `GET /organizations/{id}`. */
  async getOrganization(organizationId: string): Promise<Organization> {
    const org = await this.transport.send(
      call("getOrganization", { org: organizationId }, { retrySafe: true }),
      organizationSchema,
    );
    return org!;
  }

  /** One member's roles, paged to the end (`listRolePages`). */
  listMemberRoles(organizationId: string, userId: string): Promise<Role[]> {
    return this.listRolePages("listMemberRoles", { org: organizationId, user: userId });
  }

  /**
   * Every member of an organization with their roles, `fields=user_id,roles`, checkpoint paging: one call
   * per 100 members instead of one per member. Stops on a missing `next` or an empty page (real traffic
   * shows `next` on the last page too), and fails on paging that goes round in circles (paging.ts).
   */
  async listMembersWithRoles(
    organizationId: string,
    options: { withEmail?: boolean; onPage?: (members: readonly MemberWithRoles[]) => void } = {},
  ): Promise<MemberWithRoles[]> {
    const fields = options.withEmail ? "user_id,email,roles" : "user_id,roles";
    return this.checkpointList(
      "listMembers",
      { org: organizationId },
      membersCheckpointPageSchema,
      (page) => page.members,
      { fields, include_fields: true },
      options.onPage,
    );
  }

  /**
   * Members with their roles by offset paging (`page`, `per_page=100`, `include_totals`, `fields=user_id,roles`):
   * an organization of up to 100 members in one call, where checkpoint paging needs two (its last page still
   * carries `next`; only the empty page after it ends the listing). `onPage` gets each page and the total, and
   * may stop the listing early ("stop"). Offset paging serves the first 1,000 members only: past them it
   * stops with `complete: false`, and the checkpoint listing is the way on.
   */
  async listMembersWithRolesByOffset(
    organizationId: string,
    onPage: (members: MemberWithRoles[], total: number) => "more" | "stop",
    options: { withEmail?: boolean } = {},
  ): Promise<{ complete: boolean }> {
    const paging = new OffsetPaging();
    for (let page = 0; ; page++) {
      const spec = call(
        "listMembers",
        { org: organizationId },
        {
          query: {
            page,
            per_page: MAX_PAGE_SIZE,
            include_totals: true,
            fields: options.withEmail ? "user_id,email,roles" : "user_id,roles",
            include_fields: true,
          },
          retrySafe: true,
        },
      );
      const answer = (await this.transport.send(spec, membersOffsetPageSchema))!;
      const ids = answer.members.map((m) => m.user_id);
      const verdict = paging.check(page, ids, answer.start, answer.total);
      const wanted = onPage(answer.members, answer.total);
      if (this.stopPaging(spec, verdict)) return { complete: true };
      if (wanted === "stop" || (page + 2) * MAX_PAGE_SIZE > OFFSET_PAGING_RECORD_LIMIT)
        return { complete: false };
    }
  }

  /**
   * A member's effective roles (direct and through the organization's groups, with their sources), checkpoint
   * paging to the end (`take=100`, `from`), stopped by the same loop checks as the members listing.
   */
  async listEffectiveRoles(organizationId: string, userId: string): Promise<EffectiveRole[]> {
    const params = { org: organizationId, user: userId };
    return this.checkpointList("listEffectiveRoles", params, effectiveRolesPageSchema, (page) => page.roles);
  }

  /** A group's roles (`GET .../groups/{group}/roles`), checkpoint paging to the end. */
  async listGroupRoles(organizationId: string, groupId: string): Promise<Role[]> {
    const params = { org: organizationId, group: groupId };
    return this.checkpointList("listGroupRoles", params, groupRolesPageSchema, (page) => page.roles);
  }

  /** The organization's groups (`GET /organizations/{id}/groups`), checkpoint paging to the end. */
  listOrganizationGroups(organizationId: string): Promise<Group[]> {
    return this.checkpointList(
      "listOrganizationGroups",
      { org: organizationId },
      groupsPageSchema,
      (page) => page.groups,
    );
  }

  /** A tenant group's members (`GET /groups/{id}/members`), checkpoint paging to the end, loop-checked. */
  listGroupMembers(groupId: string): Promise<GroupMember[]> {
    return this.checkpointList(
      "listGroupMembers",
      { group: groupId },
      groupMembersPageSchema,
      (page) => page.members,
    );
  }

  /** A checkpoint listing (`take=100`, `from`, `query`) read to its end, each page's records told to `onPage`, loop-checked. */
  private async checkpointList<
    P extends { next?: string | undefined },
    R extends { id: string } | { user_id: string },
  >(
    endpoint: EndpointName,
    params: Record<string, string>,
    schema: z.ZodType<P>,
    records: (page: P) => R[],
    query: RequestSpec["query"] = {},
    onPage?: (records: R[]) => void,
  ): Promise<R[]> {
    const all: R[] = [];
    const paging = new CheckpointPaging();
    let from: string | undefined;
    for (;;) {
      const spec = call(endpoint, params, {
        query: { take: MAX_PAGE_SIZE, from, ...query },
        retrySafe: true,
      });
      const answer = (await this.transport.send(spec, schema))!;
      const page = records(answer);
      all.push(...page);
      onPage?.(page);
      const ids = page.map((r) => ("id" in r ? r.id : r.user_id));
      if (this.stopPaging(spec, paging.check(ids, answer.next))) return all;
      from = answer.next;
    }
  }

  /** `POST` / `DELETE .../groups/{group}/roles` (204). Idempotent as the member-roles writes, so retried on 5xx. */
  writeGroupRoles(
    name: "addGroupRoles" | "removeGroupRoles",
    organizationId: string,
    groupId: string,
    roleIds: readonly string[],
  ): Promise<void> {
    return this.writeRoles(name, { org: organizationId, group: groupId }, roleIds);
  }

  /** `POST .../members/{user}/roles` (the create endpoint): 204. Idempotent, so retried on 5xx. */
  addMemberRoles(organizationId: string, userId: string, roleIds: readonly string[]): Promise<void> {
    return this.writeRoles("addMemberRoles", { org: organizationId, user: userId }, roleIds);
  }

  /** `DELETE .../members/{user}/roles`: 204, also for roles the member does not have. Idempotent. */
  removeMemberRoles(organizationId: string, userId: string, roleIds: readonly string[]): Promise<void> {
    return this.writeRoles("removeMemberRoles", { org: organizationId, user: userId }, roleIds);
  }

  /** A role write (`{roles}`, 204): none sent for no roles; retried on 5xx, as every role write is idempotent. */
  private async writeRoles(name: EndpointName, params: Record<string, string>, roleIds: readonly string[]) {
    if (roleIds.length === 0) return;
    await this.transport.send(call(name, params, { body: { roles: roleIds }, retrySafe: true }));
  }

  /**
   * Every role of the tenant, optionally filtered by name (case-insensitive, as `name_filter` is), or the
   * organization roles that `ownerId` owns (`type=organization&owner_id=`, which Auth0 requires together).
   */
  listRoles(nameFilter?: string, ownerId?: string): Promise<Role[]> {
    return this.listRolePages(
      "listRoles",
      {},
      {
        name_filter: nameFilter,
        ...(ownerId === undefined ? {} : { type: "organization", owner_id: ownerId }),
      },
    );
  }

  /**
   * `GET /users-by-email`: every user whose email is exactly `email` (case-sensitive; immediately consistent,
   * unlike the members listing). Two identities with one email (two connections) give two users.
   */
  async usersByEmail(email: string): Promise<UserByEmail[]> {
    const users = await this.transport.send(
      call(
        "usersByEmail",
        {},
        { query: { email, fields: "user_id,email", include_fields: true }, retrySafe: true },
      ),
      usersByEmailSchema,
    );
    return users ?? [];
  }

  /** `GET /roles/{id}`: the role with its type and owner, or undefined when it does not exist (404). */
  async getRole(roleId: string): Promise<Role | undefined> {
    try {
      return (
        (await this.transport.send(call("getRole", { role: roleId }, { retrySafe: true }), roleSchema)) ??
        undefined
      );
    } catch (err) {
      if (isGone(err, "role")) return undefined;
      throw err;
    }
  }

  /**
   * A listing of roles by offset paging, to the end. Pages may be shorter than asked (public cloud may cap
   * `per_page` at 50), so it stops on `start + roles.length >= total` or an empty page, never on a short page.
   */
  private async listRolePages(
    name: "listMemberRoles" | "listRoles",
    params: Record<string, string>,
    query: RequestSpec["query"] = {},
  ): Promise<Role[]> {
    const roles: Role[] = [];
    const paging = new OffsetPaging();
    for (let page = 0; ; page++) {
      const spec = call(name, params, {
        query: { page, per_page: MAX_PAGE_SIZE, include_totals: true, ...query },
        retrySafe: true,
      });
      const answer = (await this.transport.send(spec, rolesPageSchema))!;
      roles.push(...answer.roles);
      const ids = answer.roles.map((r) => r.id);
      if (this.stopPaging(spec, paging.check(page, ids, answer.start, answer.total))) return roles;
    }
  }

  /** True when the listing is complete; throws `paging-loop` when it would never be. */
  private stopPaging(spec: RequestSpec, verdict: PagingVerdict): boolean {
    if (verdict.next === "loop")
      throw this.transport.fail(spec, {
        kind: "paging-loop",
        hint: `Paging stopped: ${verdict.reason}. The server's paging goes round in circles, so the listing would never end; nothing was changed. Check auth0:domain points at the Auth0 tenant (not a proxy that rewrites queries), then run again.`,
      });
    return verdict.next === "done";
  }

  /** Adds users to an organization, at most 10 a request as the API allows. Not retried on 5xx: not confirmed idempotent. */
  async addMembers(
    organizationId: string,
    userIds: readonly string[],
    /** Told the users of each request that succeeded, as it succeeds (the audit trail's lines). */
    onAdded?: (userIds: readonly string[]) => void,
  ): Promise<void> {
    for (let i = 0; i < userIds.length; i += MEMBERS_PER_WRITE) {
      const batch = userIds.slice(i, i + MEMBERS_PER_WRITE);
      await this.transport.send(
        call("addMembers", { org: organizationId }, { body: { members: batch }, retrySafe: false }),
      );
      onAdded?.(batch);
    }
  }
}
