import { mapSettled } from "../client/concurrency";
import { isGone } from "../client/errors";
import type { ManagementClient } from "../client/management-client";

/**
 * Up to this many members, reads go member by member: a handful of calls, where listing a large
 * organization could cost one call per 100 of all its members. A heuristic: the organization's size is not
 * known before listing it.
 */
export const PER_MEMBER_READ_THRESHOLD = 3;

export interface LiveRoles {
  /** Role IDs per user, sorted; undefined: not a member. */
  live: Record<string, string[] | undefined>;
  /** Users read from the primary store (the member-roles endpoint), not from the lagging listing. */
  confirmed: Set<string>;
}

export interface ReadOptions {
  /** Up to this many users, each is read from the member-roles endpoint (default PER_MEMBER_READ_THRESHOLD). */
  perMemberUpTo?: number;
  /** Whether a member the listing showed with `listed` roles must be read again from the primary store. */
  confirm?: (userId: string, listed: readonly string[]) => boolean;
}

/**
 * The live role IDs of `users` in an organization. For many members it lists the organization with
 * `fields=user_id,roles`: one call per 100 members instead of one per member. Auth0 serves that listing from
 * a search index that lags writes, so members it does not show, and members `confirm` picks, are read one by
 * one from the member-roles endpoint.
 */
export async function readLiveRoles(
  client: ManagementClient,
  organizationId: string,
  users: readonly string[],
  concurrency: number,
  options: ReadOptions = {},
): Promise<LiveRoles> {
  const live: Record<string, string[] | undefined> = {};
  const confirmed = new Set<string>();
  let toRead = [...users];
  if (users.length > (options.perMemberUpTo ?? PER_MEMBER_READ_THRESHOLD)) {
    const wanted = new Set(users);
    for (const m of await client.listMembersWithRoles(organizationId)) {
      if (wanted.has(m.user_id) && m.roles) live[m.user_id] = m.roles.map((r) => r.id).sort();
    }
    toRead = users.filter((u) => !(u in live) || (options.confirm?.(u, live[u]!) ?? false));
  }
  const results = await mapSettled(toRead, concurrency, async (user) => {
    try {
      live[user] = (await client.listMemberRoles(organizationId, user)).map((r) => r.id).sort();
    } catch (err) {
      if (!isGone(err, "member")) throw err;
      live[user] = undefined;
    }
    confirmed.add(user);
  });
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  return { live, confirmed };
}
