import { ManagementApiError } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import { mapSettled } from "../client/rate-limit";

/**
 * Up to this many declared members, reads go member by member: a handful of calls, where listing a large
 * organization could cost one call per 100 of all its members. A heuristic: the organization's size is not
 * known before listing it.
 */
export const PER_MEMBER_READ_THRESHOLD = 3;

/** 404s that mean "this user holds no roles here", as opposed to a wrong organization. */
function isGoneMember(err: unknown): boolean {
  return err instanceof ManagementApiError && err.kind === "member-not-found";
}

/**
 * The live role IDs of `users` in an organization (undefined: not a member). For many members it lists the
 * organization with `fields=user_id,roles`: one call per 100 members instead of one per member. Members the
 * listing does not show (it lags writes: Auth0 serves it from a search index) are read one by one.
 */
export async function readLiveRoles(
  client: ManagementClient,
  organizationId: string,
  users: readonly string[],
  concurrency: number,
): Promise<Record<string, string[] | undefined>> {
  const live: Record<string, string[] | undefined> = {};
  let missing = [...users];
  if (users.length > PER_MEMBER_READ_THRESHOLD) {
    const wanted = new Set(users);
    for (const m of await client.listMembersWithRoles(organizationId)) {
      if (wanted.has(m.user_id) && m.roles) live[m.user_id] = m.roles.map((r) => r.id).sort();
    }
    missing = users.filter((u) => !(u in live));
  }
  const results = await mapSettled(missing, concurrency, async (user) => {
    try {
      live[user] = (await client.listMemberRoles(organizationId, user)).map((r) => r.id).sort();
    } catch (err) {
      if (!isGoneMember(err)) throw err;
      live[user] = undefined;
    }
  });
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  return live;
}
