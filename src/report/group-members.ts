import { ENDPOINTS } from "../api/endpoints";
import type { ManagementClient } from "../client/management-client";
import { unavailable } from "./unavailable";

/** Group ID → the user IDs of its members, for each group of the organization that holds a role. */
export type GroupMembership = Map<string, ReadonlySet<string>>;

/** The membership, or why it was not read (the report then reads every member, and its notes say why). */
export type GroupMembershipRead = { membership: GroupMembership } | { notRead: string };

/**
 * The members of each group that holds a role (`GET /groups/{id}/members`, one listing per group, checkpoint
 * paging bounded by the client, as is every call by the report's call bound): only these can hold a role through a group, so only they need their
 * effective roles read. Not read when the token lacks `read:group_members`, when the tenant refuses the read,
 * or when a group has a nested group among its members (`member_type` other than `user`): whom a nested group
 * passes roles to is not listed, so every member is read instead.
 */
export async function readGroupMembership(
  client: ManagementClient,
  holdingGroups: ReadonlyArray<{ id: string; name: string }>,
  allows: (scope: string) => boolean,
): Promise<GroupMembershipRead> {
  const scope = ENDPOINTS.listGroupMembers.scope;
  if (!allows(scope)) return { notRead: `the application lacks ${scope}` };
  const membership: GroupMembership = new Map();
  for (const group of holdingGroups) {
    let listed: Awaited<ReturnType<ManagementClient["listGroupMembers"]>>;
    try {
      listed = await client.listGroupMembers(group.id);
    } catch (err) {
      const why = unavailable(err);
      if (!why) throw err;
      return { notRead: why };
    }
    const other = listed.filter((m) => (m.member_type ?? "user") !== "user");
    if (other.length > 0)
      return {
        notRead: `group ${group.name} has ${other.length} member(s) that are not users (member_type ${[
          ...new Set(other.map((m) => m.member_type)),
        ].join(", ")}), whose members are not listed`,
      };
    membership.set(group.id, new Set(listed.map((m) => m.id)));
  }
  return { membership };
}
