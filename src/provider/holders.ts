import { GROUP_WRITE_NEEDS, type Needs, WRITE_NEEDS } from "../api/scopes";
import type { Gone } from "../client/errors";
import type { ManagementClient } from "../client/management-client";

/**
 * Who holds the roles a resource manages, and the calls that read and write them: organization members
 * (OrgMemberRoles) or organization groups (OrgGroupRoles). The planning (model/plan.ts) keys its maps by an
 * opaque ID, so one apply, one delete and one adoption serve both; this port is all that differs.
 */
export interface Holders {
  /** What one holder is called in messages. */
  noun: "member" | "group";
  /** What `isGone` calls a holder that does not exist (a removal from it is then done). */
  gone: Gone;
  /** The calls `add` and `remove` make: their scopes are checked before a delete's first write. */
  writes: Needs;
  list(client: ManagementClient, organizationId: string, id: string): Promise<string[]>;
  add(
    client: ManagementClient,
    organizationId: string,
    id: string,
    roleIds: readonly string[],
  ): Promise<void>;
  remove(
    client: ManagementClient,
    organizationId: string,
    id: string,
    roleIds: readonly string[],
  ): Promise<void>;
}

const ids = (roles: ReadonlyArray<{ id: string }>) => roles.map((r) => r.id).sort();

/** Organization members: `.../members/{user}/roles`. */
export const MEMBERS: Holders = {
  noun: "member",
  gone: "member",
  writes: WRITE_NEEDS,
  list: async (c, org, id) => ids(await c.listMemberRoles(org, id)),
  add: (c, org, id, roles) => c.addMemberRoles(org, id, roles),
  remove: (c, org, id, roles) => c.removeMemberRoles(org, id, roles),
};

/** Organization groups: `.../groups/{group}/roles`. */
export const GROUPS: Holders = {
  noun: "group",
  gone: "group",
  writes: GROUP_WRITE_NEEDS,
  list: async (c, org, id) => ids(await c.listGroupRoles(org, id)),
  add: (c, org, id, roles) => c.writeGroupRoles("addGroupRoles", org, id, roles),
  remove: (c, org, id, roles) => c.writeGroupRoles("removeGroupRoles", org, id, roles),
};
