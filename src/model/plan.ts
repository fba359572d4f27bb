import type { DesiredState, MemberRoles, OwnershipMode } from "./desired";
import { type ExpiryProps, endsChanged } from "./expiry";
import { both, minus, union } from "./role-sets";

/** What one member gains and loses. Removals run before additions, so a member at the cap can swap roles. */
export interface HolderChange {
  holder: string;
  add: string[];
  remove: string[];
}

/** Where the tenant differs from `members` for one member: `missing` is in `members` but not held; `extra` is held but not in `members`. */
export interface HolderDifference {
  missing: string[];
  extra: string[];
  /** A write failed without saying whether it landed (5xx, reset, timeout): the next `up` reads it again. */
  uncertain?: true;
}

/**
 * The state the resource stores. Three facts, kept apart because a preview shows only `members` (it mirrors
 * the recorded inputs, which the engine diffs):
 * - `members`: the preview's baseline; a role can only leave if it is in here.
 * - `declared`: what this resource owns; destroy and a dropped member remove only these.
 * - `tenantDiffers`: where the tenant is known to differ; empty after a clean apply or a refresh.
 */
export interface RecordedState extends Pick<DesiredState, "organizationId" | "mode"> {
  holders: MemberRoles;
  declared: MemberRoles;
  tenantDiffers: Record<string, HolderDifference>;
}

const byUser = (a: HolderChange, b: HolderChange) => (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0);

function nonEmpty(changes: HolderChange[]): HolderChange[] {
  return changes.filter((c) => c.add.length > 0 || c.remove.length > 0).sort(byUser);
}

/** The roles the tenant holds for `userId`, as far as the state knows. */
export function heldRoles(state: RecordedState, userId: string): string[] {
  const difference = state.tenantDiffers[userId];
  const baseline = state.holders[userId] ?? [];
  if (!difference) return [...baseline];
  return union(minus(baseline, difference.missing), difference.extra);
}

/** Every member the state knows anything about. */
export function knownUsers(state: RecordedState): string[] {
  return [
    ...new Set([
      ...Object.keys(state.holders),
      ...Object.keys(state.declared),
      ...Object.keys(state.tenantDiffers),
    ]),
  ].sort();
}

/** An empty state for an organization: what a create starts from. */
export function emptyState(organizationId: string, mode: OwnershipMode): RecordedState {
  return { organizationId, mode, holders: {}, declared: {}, tenantDiffers: {} };
}

/**
 * From the recorded state to the desired one, without reading the tenant:
 * - a role is removed only if `members` has it, so every removal shows in `pulumi preview --diff`;
 * - authoritative removes it whoever granted it; additive only if this resource owns it;
 * - a dropped member loses only the roles this resource owns;
 * - roles held but not in `members` wait for a refresh to show them.
 */
export function planUpdate(state: RecordedState, desired: MemberRoles, mode: OwnershipMode): HolderChange[] {
  const changes: HolderChange[] = [];
  for (const [userId, roles] of Object.entries(desired)) {
    const held = heldRoles(state, userId);
    const owned = state.declared[userId] ?? [];
    const shown = both(state.holders[userId] ?? [], mayHold(state, userId));
    const removable = mode === "authoritative" ? shown : both(shown, owned);
    changes.push({ holder: userId, add: minus(roles, held), remove: minus(removable, roles) });
  }
  for (const userId of Object.keys(state.holders)) {
    if (userId in desired) continue;
    changes.push({ holder: userId, add: [], remove: ownedAndShown(state, userId) });
  }
  return nonEmpty(changes);
}

/** Destroy: removes the roles this resource owns that `members` shows; roles assigned elsewhere stay. */
export function planDelete(state: RecordedState): HolderChange[] {
  return nonEmpty(
    Object.keys(state.holders).map((userId) => ({
      holder: userId,
      add: [],
      remove: ownedAndShown(state, userId),
    })),
  );
}

/**
 * Owned, shown in `members`, and possibly held. A role a 5xx addition attempted may have landed; removing
 * an unheld role changes nothing (Auth0 answers 204), so it is removed rather than left owned by nobody.
 */
function ownedAndShown(state: RecordedState, userId: string): string[] {
  return both(both(state.declared[userId] ?? [], state.holders[userId] ?? []), mayHold(state, userId));
}

/** Believed held, plus believed missing if `uncertain`: a role known to be missing is not removed again. */
function mayHold(state: RecordedState, userId: string): string[] {
  const difference = state.tenantDiffers[userId];
  const held = heldRoles(state, userId);
  return difference?.uncertain ? union(held, difference.missing) : held;
}

/** What happened to one member's change: each half may have been applied or not. */
export interface ChangeOutcome {
  change: HolderChange;
  removed: boolean;
  added: boolean;
  /** A failed half may still have reached the tenant. */
  uncertain?: boolean;
}

/** The state to record after `outcomes`, all or part: a failed apply records what it did. */
export function settle(
  before: RecordedState,
  desired: MemberRoles,
  mode: OwnershipMode,
  outcomes: readonly ChangeOutcome[],
  /** After a failed update the engine keeps the old inputs, so the old `members` stays: pass it here. */
  recordAs: { members: MemberRoles; mode: OwnershipMode } = { members: desired, mode },
): RecordedState {
  const byUserId = new Map(outcomes.map((o) => [o.change.holder, o]));
  const after: RecordedState = {
    organizationId: before.organizationId,
    mode: recordAs.mode,
    holders: recordAs.members,
    declared: {},
    tenantDiffers: {},
  };
  for (const userId of new Set([...knownUsers(before), ...Object.keys(desired)])) {
    const outcome = byUserId.get(userId);
    let held = heldRoles(before, userId);
    let owned = before.declared[userId] ?? [];
    if (outcome?.removed) {
      held = minus(held, outcome.change.remove);
      owned = minus(owned, outcome.change.remove);
    }
    if (outcome?.added) {
      held = union(held, outcome.change.add);
      owned = union(owned, outcome.change.add);
    }
    const wanted = desired[userId];
    // Roles a failed addition attempted may have landed, and a failed update's additions are held beyond
    // `members`: both stay owned until a refresh tells, so a revert cannot orphan them. Owning removes
    // nothing by itself: removal needs `members` to show the role.
    const unsure = minus(
      union(
        both(before.holders[userId] ?? [], before.tenantDiffers[userId]?.missing ?? []),
        both(minus(held, before.holders[userId] ?? []), owned),
      ),
      outcome?.removed ? outcome.change.remove : [],
    );
    if (wanted !== undefined) {
      const done = outcome === undefined || (outcome.removed && outcome.added);
      // Not done: an addition may have landed unanswered, so the declared roles stay owned too.
      after.declared[userId] = union(done ? wanted : union(both(owned, held), wanted), unsure);
    } else if (both(owned, held).length > 0 && !(outcome?.removed ?? false)) {
      // Dropped, but not removed: keep ownership so a refresh can show it.
      after.declared[userId] = both(owned, held);
    }
    const recorded = recordAs.members[userId];
    const baseline = recorded ?? [];
    const difference: HolderDifference = { missing: minus(baseline, held), extra: minus(held, baseline) };
    if (recordAs.mode === "additive" || recorded === undefined)
      difference.extra = both(difference.extra, after.declared[userId] ?? []);
    const settled = outcome?.removed && outcome.added;
    if (outcome?.uncertain || (!settled && before.tenantDiffers[userId]?.uncertain))
      difference.uncertain = true;
    if (difference.missing.length > 0 || difference.extra.length > 0 || difference.uncertain)
      after.tenantDiffers[userId] = difference;
  }
  return after;
}

/**
 * What a refresh records: authoritative, all live roles (extras show as drift); additive, owned ones still
 * held. Ownership shrinks to what is held: a role removed outside and granted again belongs to its granter.
 * Members who left are dropped: nothing is left to remove.
 */
export function observe(state: RecordedState, live: Record<string, string[] | undefined>): RecordedState {
  const members: MemberRoles = {};
  const declared: MemberRoles = {};
  for (const userId of knownUsers(state)) {
    const roles = live[userId];
    if (roles === undefined) continue;
    const owned = both(state.declared[userId] ?? [], roles);
    const inDeclaration = userId in state.holders;
    if (!inDeclaration && owned.length === 0) continue;
    // A dropped member shows only what it owned: all its removal would take.
    const shown = state.mode === "authoritative" && inDeclaration ? roles : owned;
    members[userId] = [...new Set(shown)].sort();
    if (owned.length > 0 || inDeclaration) declared[userId] = owned.sort();
  }
  return {
    organizationId: state.organizationId,
    mode: state.mode,
    holders: members,
    declared,
    tenantDiffers: {},
  };
}

/** What the resources of a run declare for one member (provider/claims.ts). */
export interface MemberClaim {
  roles: ReadonlySet<string>;
  /** An authoritative resource takes the member over this run: one that drops the member leaves it all. */
  takenOver: boolean;
}

/**
 * Keeps removals away from roles another resource of the run declares (provider/claims.ts). A dropped member
 * that an authoritative resource took over keeps everything: that resource adopted what it holds.
 */
export function withoutClaimed(
  changes: readonly HolderChange[],
  desired: MemberRoles,
  claimed: (userId: string) => MemberClaim | undefined,
): HolderChange[] {
  return nonEmpty(
    changes.map((c) => {
      const claim = claimed(c.holder);
      if (!claim) return c;
      if (!(c.holder in desired) && claim.takenOver) return { ...c, remove: [] };
      return { ...c, remove: c.remove.filter((r) => !claim.roles.has(r)) };
    }),
  );
}

/** Members whose recorded difference a failed write left uncertain: read again before the next plan. */
export function uncertainMembers(state: RecordedState): string[] {
  return Object.entries(state.tenantDiffers)
    .filter(([, d]) => d.uncertain)
    .map(([u]) => u)
    .sort();
}

/**
 * `state` with `live` (read from the primary store; undefined: not a member) recorded as certain
 * `tenantDiffers`. Additive counts only `relevant` roles: shown or owned, or for adoption those to declare.
 */
export function reobserve<S extends RecordedState>(
  state: S,
  live: Record<string, string[] | undefined>,
  relevant: (id: string) => readonly string[] = (id) =>
    union(state.holders[id] ?? [], state.declared[id] ?? []),
): S {
  const tenantDiffers = { ...state.tenantDiffers };
  for (const [userId, roles] of Object.entries(live)) {
    const baseline = state.holders[userId] ?? [];
    const held = state.mode === "authoritative" ? (roles ?? []) : both(roles ?? [], relevant(userId));
    const difference = { missing: minus(baseline, held), extra: minus(held, baseline) };
    if (difference.missing.length > 0 || difference.extra.length > 0) tenantDiffers[userId] = difference;
    else delete tenantDiffers[userId];
  }
  return { ...state, tenantDiffers };
}

/** Declared roles another resource removed this run (write log): a co-owner checked late gives them back. */
export function lostRoles(
  state: RecordedState,
  desired: MemberRoles,
  removed: (userId: string) => ReadonlySet<string>,
): Record<string, string[]> {
  const lost: Record<string, string[]> = {};
  for (const [userId, roles] of Object.entries(desired)) {
    const gone = removed(userId);
    if (gone.size === 0 || !Array.isArray(roles)) continue;
    const back = roles.filter((r) => gone.has(r) && heldRoles(state, userId).includes(r));
    if (back.length > 0) lost[userId] = back;
  }
  return lost;
}

/** `state` knowing that the members of `lost` no longer hold those roles (so the plan adds them again). */
export function withLost(state: RecordedState, lost: Record<string, string[]>): RecordedState {
  if (Object.keys(lost).length === 0) return state;
  const tenantDiffers = { ...state.tenantDiffers };
  for (const [userId, roles] of Object.entries(lost)) {
    const before = tenantDiffers[userId] ?? { missing: [], extra: [] };
    tenantDiffers[userId] = {
      missing: union(before.missing, both(roles, state.holders[userId] ?? [])),
      extra: minus(before.extra, roles),
    };
  }
  return { ...state, tenantDiffers };
}

/** Forgets `users`: members that moved to another resource, which now owns them (see withoutClaimed). */
export function release(state: RecordedState, users: readonly string[]): RecordedState {
  if (users.length === 0) return state;
  const drop = <T>(map: Record<string, T>) =>
    Object.fromEntries(Object.entries(map).filter(([u]) => !users.includes(u)));
  return { ...state, declared: drop(state.declared), tenantDiffers: drop(state.tenantDiffers) };
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}

function sameMembers(a: MemberRoles | undefined, b: MemberRoles | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(m: MemberRoles | undefined): Array<[string, string[]]> | unknown {
  if (m === null || typeof m !== "object") return m;
  return Object.keys(m)
    .sort()
    .map((k) => [k, Array.isArray(m[k]) ? [...m[k]].sort() : m[k]]);
}

const isKnownMap = (m: unknown): m is MemberRoles =>
  m !== null && typeof m === "object" && Object.values(m).every(Array.isArray);

/**
 * Old outputs against checked inputs. Another organization replaces (the roles live there). An update is due
 * also when the tenant lacks a declared role (a failed apply's leftover), a failed write left it unknown, or an
 * end was added, moved or reached (the inputs to record change, with or without a write).
 */
export function diffState(olds: RecordedState & ExpiryProps, news: DesiredState): DiffOutcome {
  const replaces = olds.organizationId !== news.organizationId ? ["organizationId"] : [];
  const changes =
    replaces.length > 0 ||
    // An end added, moved or reached changes the inputs to record, with or without a write.
    endsChanged(olds, news) ||
    (olds.mode ?? "authoritative") !== news.mode ||
    !sameMembers(olds.holders, news.holders) ||
    (isKnownMap(news.holders) && planUpdate(olds, news.holders, news.mode).length > 0) ||
    // The update reads it again, and writes only if needed.
    uncertainMembers(olds).length > 0;
  return {
    changes,
    replaces,
    stables: replaces.length ? [] : ["organizationId"],
    deleteBeforeReplace: false,
  };
}
