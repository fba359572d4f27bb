import { MAX_PAGE_SIZE, OFFSET_PAGING_RECORD_LIMIT } from "../api/limits";
import { mapAll } from "../client/concurrency";
import { isGone, ManagementApiError } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import type { MemberWithRoles } from "../client/schemas";
import { directOf, groupHeld } from "../model/group-grants";

/** Up to this many members, read one by one: listing a large organization costs a call per 100 members. */
export const PER_MEMBER_READ_THRESHOLD = 3;

/**
 * Validation reads up to this many changing members from the primary store: the lagging listing could pass a
 * member who just left, or roles just granted, in a preview that `up` then fails.
 */
export const VALIDATION_PER_MEMBER_READS = 100;

export interface LiveRoles {
  /** Role IDs per user, sorted; undefined: not a member. */
  live: Record<string, string[] | undefined>;
  /** Users read from the primary store (the member-roles endpoint), not from the lagging listing. */
  confirmed: Set<string>;
  /** Role IDs held through groups, for members read from effective roles (ReadOptions.effective). */
  groupHeld: Record<string, string[]>;
  /** Why effective roles were not read; absent when they were. */
  effectiveUnavailable?: EffectiveOff;
}

/**
 * Why a run reads member-roles instead of effective roles: no scope (or 403 `insufficient_scope`), 403
 * `insufficient_entitlement`, a plain 404, or another 4xx. The read is optional: none of these fails a run.
 */
export type EffectiveOff = "scope" | "entitlement" | "not-found" | "refused";

export interface ReadOptions {
  perMemberUpTo?: number;
  /** Whether a member the listing showed with `listed` roles must be read again from the primary store. */
  confirm?: (userId: string, listed: readonly string[]) => boolean;
  /** Read members one by one from effective roles: one call gives direct and group roles (EffectiveOff). */
  effective?: boolean;
}

/**
 * The live role IDs of `users`. Many members come from the listing (fromListing), which Auth0 serves from a
 * search index that lags writes: members it does not show, and those `confirm` picks, are read one by one.
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
    Object.assign(live, await fromListing(client, organizationId, users));
    toRead = users.filter((u) => !(u in live) || (options.confirm?.(u, live[u]!) ?? false));
  }
  const held: Record<string, string[]> = {};
  // Set by the first refusal or plain 404: the rest of this read goes to member-roles.
  let off: EffectiveOff | undefined;
  // No direct role in effective roles: Auth0 documents no "not a member" answer there, so confirm membership.
  const unproven: string[] = [];
  await mapAll(toRead, concurrency, async (user) => {
    try {
      const read =
        options.effective && off === undefined
          ? await effectiveRoles(client, organizationId, user)
          : undefined;
      if (read && "direct" in read) {
        live[user] = read.direct;
        held[user] = read.groups;
        if (!read.member) unproven.push(user);
      } else {
        if (read) off ??= read.off;
        live[user] = await directRoles(client, organizationId, user);
      }
    } catch (err) {
      if (!isGone(err, "member")) throw err;
      live[user] = undefined;
    }
    confirmed.add(user);
  });
  if (unproven.length > 0) {
    // The lagging listing proves membership, never roles: one it shows holding roles is read again, so after
    // a destroy its old roles are not taken as held.
    const members = await readLiveRoles(client, organizationId, unproven.sort(), concurrency, {
      confirm: (_user, listed) => listed.length > 0,
    });
    // An empty effective answer may lag too: the primary store's answer wins.
    for (const u of unproven) live[u] = members.live[u];
  }
  return {
    live,
    confirmed,
    groupHeld: held,
    ...(options.effective && off ? { effectiveUnavailable: off } : {}),
  };
}

/** The effective-roles sources whose meaning is known. */
const KNOWN_SOURCES = new Set(["direct", "groups"]);

const directRoles = async (client: ManagementClient, organizationId: string, user: string) =>
  (await client.listMemberRoles(organizationId, user)).map((r) => r.id).sort();

/** One effective-roles read; `member`: a direct role proves membership. A user who does not exist throws. */
async function effectiveRoles(
  client: ManagementClient,
  organizationId: string,
  user: string,
): Promise<{ direct: string[]; groups: string[]; member: boolean } | { off: EffectiveOff }> {
  try {
    const roles = await client.listEffectiveRoles(organizationId, user);
    const groups = groupHeld(roles);
    // An unknown source (or none) could be a direct assignment under a new label: read member-roles instead.
    const known = roles.every((r) => r.sources.length > 0 && r.sources.every((x) => KNOWN_SOURCES.has(x)));
    if (!known) return { direct: await directRoles(client, organizationId, user), groups, member: true };
    const direct = directOf(roles);
    return { direct, groups, member: direct.length > 0 };
  } catch (err) {
    const off = effectiveOff(err);
    if (off) return { off };
    throw err;
  }
}

/** Why `err` rules out the effective-roles endpoint for this run, if it does. */
function effectiveOff(err: unknown): EffectiveOff | undefined {
  if (!(err instanceof ManagementApiError)) return undefined;
  switch (err.kind) {
    case "insufficient-scope":
      return "scope";
    case "insufficient-entitlement":
      return "entitlement";
    case "not-found":
      return "not-found";
    case "invalid-request":
      return "refused";
    default:
      return undefined;
  }
}

/**
 * What the listing shows `users` holding, at the fewest calls: offset pages, stopping once the unseen members
 * are cheaper one by one; past the 1,000 offset paging serves, the checkpoint listing.
 */
async function fromListing(
  client: ManagementClient,
  organizationId: string,
  users: readonly string[],
): Promise<Record<string, string[]>> {
  const wanted = new Set(users);
  const listed: Record<string, string[]> = {};
  // Listed twice with different roles (the listing shifted between pages): neither entry is trusted.
  const conflicting = new Set<string>();
  const take = (members: readonly MemberWithRoles[]) => {
    for (const m of members) {
      if (!wanted.has(m.user_id) || !m.roles) continue;
      const roles = m.roles.map((r) => r.id).sort();
      const before = listed[m.user_id];
      if (before && before.join() !== roles.join()) conflicting.add(m.user_id);
      listed[m.user_id] = roles;
    }
  };
  const trusted = () => {
    for (const u of conflicting) delete listed[u];
    return listed;
  };
  if (users.length > OFFSET_PAGING_RECORD_LIMIT) {
    take(await client.listMembersWithRoles(organizationId));
    return trusted();
  }
  let seen = 0;
  let pageSize = 0;
  let stoppedEarly = false;
  const { complete } = await client.listMembersWithRolesByOffset(organizationId, (page, total) => {
    take(page);
    seen += page.length;
    // A server may answer fewer records than asked (public cloud may cap per_page at 50).
    pageSize = Math.max(pageSize, page.length);
    const unseen = users.filter((u) => !(u in listed) || conflicting.has(u)).length;
    stoppedEarly = unseen <= pagesLeft(total, seen, pageSize);
    return stoppedEarly ? "stop" : "more";
  });
  if (!complete && !stoppedEarly) take(await client.listMembersWithRoles(organizationId));
  return trusted();
}

/** Calls left for `total` members: offset pages, or the checkpoint listing again with its empty last page. */
function pagesLeft(total: number, seen: number, pageSize: number): number {
  const size = Math.max(1, Math.min(pageSize, MAX_PAGE_SIZE));
  if (total > OFFSET_PAGING_RECORD_LIMIT) return Math.ceil(total / size) + 1;
  return Math.ceil(Math.max(0, total - seen) / size);
}
