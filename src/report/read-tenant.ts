import { ENDPOINTS } from "../api/endpoints";
import { OFFSET_PAGING_RECORD_LIMIT } from "../api/limits";
import { mapSettled } from "../client/concurrency";
import { isGone } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import type { EffectiveRole, MemberWithRoles } from "../client/schemas";
import { type GroupMembership, readGroupMembership } from "./group-members";
import { unavailable } from "./unavailable";

/** What the report reads of one organization. */
export interface TenantOrganization {
  id: string;
  name: string;
  members: MemberWithRoles[];
  /** The organization's groups and their roles; undefined when they could not be read (`notes` says why). */
  groups?: Array<{ id: string; name: string; roles: Array<{ id: string; name?: string | undefined }> }>;
  /**
   * Group ID → its members, for the groups holding a role; undefined when not read (`notes` says why): then
   * a group-held role names every group holding it, and every member's effective roles are read.
   */
  groupMembers?: GroupMembership;
  /**
   * User ID → effective roles, for the members read there (those in a group holding a role, or every member
   * when the groups' members were not read); undefined when none were (`notes` says why).
   */
  effective?: Map<string, EffectiveRole[]>;
  notes: string[];
}

export interface TenantReadOptions {
  /** Effective-roles reads in flight at once (the client's concurrency bounds them too). */
  concurrency: number;
  /** Calls the report's client may make in all (every call, counted by the client): past it the report stops, named. */
  maxCalls: number;
  /** Progress: `what` (a listing, the effective roles) of the organization, `done` of `total`. */
  onProgress?: (
    organizationId: string,
    what: "members" | "effective roles",
    done: number,
    total: number,
  ) => void;
}

/**
 * Reads one organization for the report, at the fewest calls the API allows (docs/report.md, "Cost"):
 * the organization (1), its members with email and direct roles (1 call per 100 members by offset paging up to
 * Auth0's 1,000-record offset limit; past it, the first page's count and then checkpoint paging to the end),
 * its groups and each group's roles (1 + 1 per group), and, only when a group holds a role, the members of each
 * such group (1 call per 100 of its members) and the effective roles of the organization's members among them
 * (1 call each). Without the group-members read (scope, tenant or nested groups), every member's effective
 * roles are read instead, and the notes say so. A read the token's scopes do not allow is skipped and noted.
 */
export async function readOrganization(
  client: ManagementClient,
  organizationId: string,
  options: TenantReadOptions,
): Promise<TenantOrganization> {
  const org = await client.getOrganization(organizationId);
  const members = await readMembers(client, organizationId, options);
  const notes: string[] = [];
  const granted = await client.granted();
  const allows = (scope: string) => granted === undefined || granted.has(scope);

  let groups: TenantOrganization["groups"];
  const groupScopes = [ENDPOINTS.listOrganizationGroups.scope, ENDPOINTS.listGroupRoles.scope];
  const missing = groupScopes.filter((s) => !allows(s));
  if (missing.length > 0) notes.push(`groups not read: the application lacks ${missing.join(", ")}`);
  else {
    try {
      const listed = await client.listOrganizationGroups(organizationId);
      groups = [];
      for (const g of listed)
        groups.push({
          id: g.id,
          name: g.name ?? g.id,
          roles: await client.listGroupRoles(organizationId, g.id),
        });
    } catch (err) {
      const why = unavailable(err);
      if (!why) throw err;
      notes.push(`groups not read: ${why}`);
    }
  }

  // No group holds a role: no member holds one through a group, and no member needs reading one by one.
  const holding = groups?.filter((g) => g.roles.length > 0);
  let effective: Map<string, EffectiveRole[]> | undefined;
  let groupMembers: GroupMembership | undefined;
  if (holding === undefined || holding.length > 0) {
    if (!allows(ENDPOINTS.listEffectiveRoles.scope))
      notes.push(
        `roles held through groups not read: the application lacks ${ENDPOINTS.listEffectiveRoles.scope}`,
      );
    else {
      let candidates: readonly MemberWithRoles[] = members;
      if (holding !== undefined) {
        const read = await readGroupMembership(client, holding, allows);
        if ("membership" in read) {
          groupMembers = read.membership;
          const inAGroup = new Set([...read.membership.values()].flatMap((users) => [...users]));
          candidates = members.filter((m) => inAGroup.has(m.user_id));
        } else
          notes.push(
            `group members not read: ${read.notRead}; every member's effective roles were read instead (one call each)`,
          );
      }
      effective = await readEffective(client, organizationId, candidates, options, notes);
    }
  }
  return {
    id: organizationId,
    name: org.name,
    members,
    ...(groups ? { groups } : {}),
    ...(groupMembers ? { groupMembers } : {}),
    ...(effective ? { effective } : {}),
    notes,
  };
}

/** The members with email and direct roles: offset paging while it serves them all, checkpoint past that. */
async function readMembers(
  client: ManagementClient,
  organizationId: string,
  options: TenantReadOptions,
): Promise<MemberWithRoles[]> {
  const members: MemberWithRoles[] = [];
  let total = 0;
  const { complete } = await client.listMembersWithRolesByOffset(
    organizationId,
    (page, t) => {
      total = t;
      // Past the offset limit the checkpoint listing reads them all: this first page gave the count.
      if (t > OFFSET_PAGING_RECORD_LIMIT) return "stop";
      members.push(...page);
      options.onProgress?.(organizationId, "members", members.length, t);
      return "more";
    },
    { withEmail: true },
  );
  if (complete && total <= OFFSET_PAGING_RECORD_LIMIT) return members;
  let read = 0;
  options.onProgress?.(organizationId, "members", 0, total);
  return client.listMembersWithRoles(organizationId, {
    withEmail: true,
    onPage: (page) => {
      read += page.length;
      options.onProgress?.(organizationId, "members", read, Math.max(total, read));
    },
  });
}

/** Each member's effective roles, `concurrency` at once; stops at the call bound or where the tenant refuses. */
async function readEffective(
  client: ManagementClient,
  organizationId: string,
  members: readonly MemberWithRoles[],
  options: TenantReadOptions,
  notes: string[],
): Promise<Map<string, EffectiveRole[]> | undefined> {
  const out = new Map<string, EffectiveRole[]>();
  let done = 0;
  let left = 0;
  let stop: string | undefined;
  const settled = await mapSettled(members, options.concurrency, async (m) => {
    if (stop) return;
    try {
      out.set(m.user_id, await client.listEffectiveRoles(organizationId, m.user_id));
    } catch (err) {
      // A member who left between the listing and this read holds nothing any more: left out, counted.
      if (isGone(err, "member")) {
        left++;
        return;
      }
      const why = unavailable(err);
      if (!why) throw err;
      stop ??= why;
      return;
    }
    options.onProgress?.(organizationId, "effective roles", ++done, members.length);
  });
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  if (stop) {
    notes.push(`roles held through groups not read: ${stop}`);
    return undefined;
  }
  if (left > 0)
    notes.push(
      `${left} member(s) left the organization while it was read: their roles held through groups are not shown`,
    );
  return out;
}
