import { MAX_PAGE_SIZE, OFFSET_PAGING_RECORD_LIMIT } from "../api/limits";
import { mapAll } from "../client/concurrency";
import { isGone, ManagementApiError } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import type { MemberWithRoles } from "../client/schemas";
import { directOf, groupHeld } from "../model/group-grants";

/**
 * Up to this many members, reads go member by member: a handful of calls, where listing a large
 * organization could cost one call per 100 of all its members. A heuristic: the organization's size is not
 * known before listing it.
 */
export const PER_MEMBER_READ_THRESHOLD = 3;

/**
 * Validation reads each changing member from the member-roles endpoint (the primary store) up to this many:
 * the lagging listing would let a member who just left, or roles granted in bulk a moment ago, through a
 * green preview that `up` then fails. Past it, the listing, with members near the cap read again.
 */
export const VALIDATION_PER_MEMBER_READS = 100;

export interface LiveRoles {
  /** Role IDs per user, sorted; undefined: not a member. */
  live: Record<string, string[] | undefined>;
  /** Users read from the primary store (the member-roles endpoint), not from the lagging listing. */
  confirmed: Set<string>;
  /**
   * What members read from the effective-roles endpoint (ReadOptions.effective) hold through the
   * organization's groups, role IDs sorted; members read otherwise are absent.
   */
  groupHeld: Record<string, string[]>;
  /** Why effective roles were not read (members were read from member-roles instead); absent when they were. */
  effectiveUnavailable?: EffectiveOff;
}

/**
 * Why a run reads member-roles where it would read effective roles: the token lacks the scope (known before
 * any call, or answered 403 `insufficient_scope`), the tenant's plan lacks the feature (403
 * `insufficient_entitlement`), the endpoint answers a plain 404, or it refuses the request (another 4xx).
 * The read is optional: none of these fails a preview or an `up`.
 */
export type EffectiveOff = "scope" | "entitlement" | "not-found" | "refused";

export interface ReadOptions {
  /** Up to this many users, each is read from the member-roles endpoint (default PER_MEMBER_READ_THRESHOLD). */
  perMemberUpTo?: number;
  /** Whether a member the listing showed with `listed` roles must be read again from the primary store. */
  confirm?: (userId: string, listed: readonly string[]) => boolean;
  /**
   * Members read one by one are read from the effective-roles endpoint: one call gives their direct roles
   * and what they hold through groups, where the preview would otherwise read both. A refusal (403) or a
   * plain 404 falls back to the member-roles endpoint for the rest of the read (EffectiveOff).
   */
  effective?: boolean;
}

/**
 * The live role IDs of `users` in an organization. For many members it lists the organization with
 * `fields=user_id,roles` (see fromListing): one call per 100 members instead of one per member. Auth0 serves that listing from
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
    Object.assign(live, await fromListing(client, organizationId, users));
    toRead = users.filter((u) => !(u in live) || (options.confirm?.(u, live[u]!) ?? false));
  }
  const held: Record<string, string[]> = {};
  // Set by the first refusal or plain 404: the rest of this read goes to member-roles.
  let off: EffectiveOff | undefined;
  // Members whose effective roles showed no direct role: Auth0 documents no "not a member" answer there, so
  // an empty answer may be a non-member's, and their membership is confirmed below.
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
    // At the fewest calls: one by one for a few, else the listing (one call per 100 members; those it does
    // not show, read one by one). The member-roles answer 404s for a non-member.
    // A member the listing (a search index that lags writes) shows holding roles is read again one by one:
    // the listing proves membership, never roles, so after a destroy its old roles are not taken as held.
    const members = await readLiveRoles(client, organizationId, unproven.sort(), concurrency, {
      confirm: (_user, listed) => listed.length > 0,
    });
    // Each is then no member (undefined), or holds what the primary store says, which an empty effective
    // answer (that index lagging too) would otherwise hide from the state.
    for (const u of unproven) live[u] = members.live[u];
  }
  return {
    live,
    confirmed,
    groupHeld: held,
    ...(options.effective && off ? { effectiveUnavailable: off } : {}),
  };
}

/** The effective-roles sources whose meaning is known: assigned to the member, or through a group. */
const KNOWN_SOURCES = new Set(["direct", "groups"]);

const directRoles = async (client: ManagementClient, organizationId: string, user: string) =>
  (await client.listMemberRoles(organizationId, user)).map((r) => r.id).sort();

/**
 * A member's direct and group-held roles from one effective-roles read, and whether the answer proves it a
 * member (a direct role does); `off` when the endpoint cannot be used here (EffectiveOff). A user who does
 * not exist throws, as member-roles does.
 */
async function effectiveRoles(
  client: ManagementClient,
  organizationId: string,
  user: string,
): Promise<{ direct: string[]; groups: string[]; member: boolean } | { off: EffectiveOff }> {
  try {
    const roles = await client.listEffectiveRoles(organizationId, user);
    const groups = groupHeld(roles);
    // A source this code does not know (or none) could be a direct assignment under a new label: the
    // member's direct roles are then read where they are defined, so the state never misses one (and that
    // read answers 404 for a non-member).
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

/** Whether `err` says the effective-roles endpoint cannot be used by this run, and why. */
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
 * What the organization's listing shows `users` holding, at the fewest calls: offset paging first (an
 * organization of up to 100 members answers in one call), stopping as soon as reading the members not yet
 * seen one by one would cost fewer calls than the pages left; past the 1,000 members offset paging serves,
 * the checkpoint listing. Members it does not show are left for the caller to read one by one.
 */
async function fromListing(
  client: ManagementClient,
  organizationId: string,
  users: readonly string[],
): Promise<Record<string, string[]>> {
  const wanted = new Set(users);
  const listed: Record<string, string[]> = {};
  // A member listed twice with different roles (a listing that shifted between pages) is left to be read
  // one by one: neither entry can be trusted.
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
  // More members wanted than offset paging serves: the organization is that large too.
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

/**
 * Calls still needed to list the rest of `total` members after `seen`, at the page size the server answers:
 * offset pages, or past the offset limit the whole checkpoint listing again (its last page is followed by an
 * empty one).
 */
function pagesLeft(total: number, seen: number, pageSize: number): number {
  const size = Math.max(1, Math.min(pageSize, MAX_PAGE_SIZE));
  if (total > OFFSET_PAGING_RECORD_LIMIT) return Math.ceil(total / size) + 1;
  return Math.ceil(Math.max(0, total - seen) / size);
}
