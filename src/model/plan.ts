import type { MemberRoles, OwnershipMode } from "./desired";

/** What one member gains and loses. Removals run before additions, so a member at the cap can swap roles. */
export interface MemberChange {
  userId: string;
  add: string[];
  remove: string[];
}

/** The state the resource stored after its last create, update or refresh. */
export interface RecordedState {
  organizationId: string;
  mode: OwnershipMode;
  /** What the tenant was last seen or made to hold for each declared member (refresh shows drift here). */
  members: MemberRoles;
  /** What this resource declared at its last create or update: what it owns and may remove. */
  declared: MemberRoles;
}

const minus = (a: readonly string[], b: readonly string[]) => {
  const drop = new Set(b);
  return a.filter((x) => !drop.has(x));
};

function nonEmpty(changes: MemberChange[]): MemberChange[] {
  return changes
    .filter((c) => c.add.length > 0 || c.remove.length > 0)
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/**
 * First apply over what the tenant already holds: adds what is missing and removes nothing (adoption), so no
 * removal happens that a reviewer could not see in a preview. `live[user]` undefined: not a member.
 *
 * @example
 * planCreate({ "auth0|a": ["rol_1"] }, { "auth0|a": ["rol_1", "rol_2"] }); // [{ userId: "auth0|a", add: ["rol_2"], remove: [] }]
 */
export function planCreate(live: Record<string, string[] | undefined>, desired: MemberRoles): MemberChange[] {
  return nonEmpty(
    Object.entries(desired).map(([userId, roles]) => ({
      userId,
      add: minus(roles, live[userId] ?? []),
      remove: [],
    })),
  );
}

/**
 * From the recorded state to the desired one, without reading the tenant.
 * - authoritative: a member ends with exactly the desired roles (extras seen by a refresh are removed);
 * - additive: only roles this resource declared before and no longer declares are removed;
 * - a member dropped from the map loses the roles this resource declared for it, nothing else.
 */
export function planUpdate(
  recorded: RecordedState,
  desired: MemberRoles,
  mode: OwnershipMode,
): MemberChange[] {
  const changes: MemberChange[] = [];
  for (const [userId, roles] of Object.entries(desired)) {
    const current = recorded.members[userId] ?? [];
    const owned = recorded.declared[userId] ?? [];
    const removable = mode === "authoritative" ? [...new Set([...current, ...owned])] : owned;
    changes.push({ userId, add: minus(roles, current), remove: minus(removable, roles) });
  }
  for (const [userId, owned] of Object.entries(recorded.declared)) {
    if (!(userId in desired)) changes.push({ userId, add: [], remove: [...owned] });
  }
  return nonEmpty(changes);
}

/** Destroy: removes the roles this resource declared; roles assigned elsewhere stay. */
export function planDelete(recorded: RecordedState): MemberChange[] {
  return nonEmpty(
    Object.entries(recorded.declared).map(([userId, owned]) => ({ userId, add: [], remove: [...owned] })),
  );
}

/**
 * What a refresh records for each declared member: all live roles (authoritative, so extras show as drift) or
 * only the declared ones still held (additive: roles assigned elsewhere are not this resource's business).
 * Members who left the organization are dropped: the next preview shows them as to be added.
 */
export function observedMembers(
  live: Record<string, string[] | undefined>,
  declared: MemberRoles,
  mode: OwnershipMode,
): MemberRoles {
  const out: MemberRoles = {};
  for (const userId of Object.keys(declared).sort()) {
    const roles = live[userId];
    if (roles === undefined) continue;
    const owned = new Set(declared[userId]);
    out[userId] = [...new Set(mode === "authoritative" ? roles : roles.filter((r) => owned.has(r)))].sort();
  }
  return out;
}

/** The state after applying `changes` to `members`, for tests and for the property that the plan converges. */
export function applyPlan(
  members: Record<string, string[] | undefined>,
  changes: MemberChange[],
): MemberRoles {
  const out: MemberRoles = {};
  for (const [u, r] of Object.entries(members)) if (r) out[u] = [...r];
  for (const c of changes) {
    const next = new Set(minus(out[c.userId] ?? [], c.remove));
    for (const r of c.add) next.add(r);
    out[c.userId] = [...next].sort();
  }
  return out;
}
