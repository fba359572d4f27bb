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
  /**
   * A write to this member failed without saying whether it landed (a 5xx, a reset, a timeout): the next
   * `up` reads the member again before planning (`reobserve`), so the state never goes on claiming a role
   * a removal took, or lacking one an addition gave.
   */
  uncertain?: true;
}

/**
 * The state the resource stores (its outputs). Three facts, kept apart because `pulumi preview` shows only the
 * first one (the engine displays old inputs against new inputs, and `members` mirrors the recorded inputs):
 * - `members`: the baseline a preview is shown against; a role can only leave if it is in here.
 * - `declared`: what this resource owns per member; destroy and a member dropped from the map remove only these.
 * - `tenantDiffers`: where the tenant is known to differ from `members` (a failed write, or roles held before
 *   adoption). Empty after a successful apply of what the preview showed, and after every refresh.
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
 * From the recorded state to the desired one, without reading the tenant. The rules:
 * - additions: every desired role not known to be held (adding a held role changes nothing);
 * - a role is removed only if `members` (what the preview is shown against) has it and the desired state
 *   does not: so every removal appears as one in `pulumi preview --diff`;
 * - authoritative: such a role is removed whoever granted it; additive: only if this resource owns it;
 * - a member dropped from the map loses the roles this resource owns, and only those shown in `members`;
 * - roles held but not in `members` (a failed removal, roles held before adoption) wait for a refresh to show them.
 *
 * @example
 * planUpdate(state, { "auth0|a": ["rol_1"] }, "authoritative"); // [{ holder: "auth0|a", add: [...], remove: [...] }]
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
 * The roles a member's removal takes: owned by this resource, shown in `members` (so the preview showed
 * them leaving) and possibly held. A role an addition answered with a 5xx attempted may have landed;
 * removing a role a member does not hold changes nothing (Auth0 answers 204), so it is removed rather than
 * left behind owned by nobody.
 */
function ownedAndShown(state: RecordedState, userId: string): string[] {
  return both(both(state.declared[userId] ?? [], state.holders[userId] ?? []), mayHold(state, userId));
}

/**
 * The roles a member may hold: what the state believes held and, where a failed write left it unknown
 * (`uncertain`), the roles it believes missing too. A role known to be missing is not removed again.
 */
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
  /** A half that failed may still have reached the tenant (an error answer to a sent request, or none). */
  uncertain?: boolean;
}

/**
 * The state to record after applying `outcomes` (all of them or part: a failed apply records what it did, so
 * the next preview starts from the truth). `members` becomes the desired map, as the engine records it as the
 * inputs; what the tenant holds beyond or short of it goes to `tenantDiffers`.
 */
export function settle(
  before: RecordedState,
  desired: MemberRoles,
  mode: OwnershipMode,
  outcomes: readonly ChangeOutcome[],
  /**
   * What `members` is recorded as: the desired map, as the engine records it as the inputs, except after a
   * failed update, where the engine keeps the old inputs (the next preview is shown against them), so the
   * old `members` stays and what was applied goes to `tenantDiffers`.
   */
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
    // Roles an earlier failed addition attempted (shown in `members`, believed missing) may have landed: they
    // stay this resource's own, unless removed now, until a refresh tells (it keeps only what is held), so a
    // revert cannot orphan them. Owning a role removes nothing by itself: removal needs `members` to show it.
    // Likewise roles it owns that are held beyond `members` (a failed update's additions: the engine kept
    // the old inputs, so `members` does not show them): a refresh shows them, and then they can leave.
    const unsure = minus(
      union(
        both(before.holders[userId] ?? [], before.tenantDiffers[userId]?.missing ?? []),
        both(minus(held, before.holders[userId] ?? []), owned),
      ),
      outcome?.removed ? outcome.change.remove : [],
    );
    if (wanted !== undefined) {
      // Fully applied: this resource owns exactly what it declares.
      const done = outcome === undefined || (outcome.removed && outcome.added);
      // Not done: the roles it declares stay its own (an addition may have landed unanswered, a refresh
      // will tell), besides what it owned and still holds.
      after.declared[userId] = union(done ? wanted : union(both(owned, held), wanted), unsure);
    } else if (both(owned, held).length > 0 && !(outcome?.removed ?? false)) {
      // Dropped from the map but its removal did not happen: keep ownership so a refresh can show it.
      after.declared[userId] = both(owned, held);
    }
    const recorded = recordAs.members[userId];
    const baseline = recorded ?? [];
    const difference: HolderDifference = { missing: minus(baseline, held), extra: minus(held, baseline) };
    if (recordAs.mode === "additive" || recorded === undefined)
      difference.extra = both(difference.extra, after.declared[userId] ?? []);
    // Uncertain until a read tells: this run's failed write, or an earlier one this run did not settle.
    const settled = outcome?.removed && outcome.added;
    if (outcome?.uncertain || (!settled && before.tenantDiffers[userId]?.uncertain))
      difference.uncertain = true;
    if (difference.missing.length > 0 || difference.extra.length > 0 || difference.uncertain)
      after.tenantDiffers[userId] = difference;
  }
  return after;
}

/**
 * What a refresh records for each member: all live roles (authoritative, so extras show as drift) or only the
 * owned ones still held (additive: roles assigned elsewhere are not this resource's business). Ownership
 * shrinks to what is still held: a role removed outside and granted again later belongs to whoever granted it.
 * Members who left the organization are dropped: there is nothing left to remove.
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
    // A member dropped from the map shows only what it owned: that is all its removal would take.
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
  /**
   * An authoritative resource takes the member over in this run (new to it, or it turns authoritative): it
   * adopts every role the member holds, so a resource that drops the member leaves them all to it.
   */
  takenOver: boolean;
}

/**
 * Keeps removals away from what other resources of the same run declare (see provider/claims.ts). A role
 * another resource declares for the member stays; the others go as planned (the preview showed them
 * leaving), so two additive owners of one member each remove only their own. A member this resource no
 * longer declares that an authoritative resource now declares has moved there: it keeps everything, since
 * its new resource adopted what it holds and a later refresh shows that resource's drift.
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
 * `state` with what the primary store says `live` holders hold (undefined: no longer a member), for the
 * holders it lists: where the tenant differs from the map is recorded again, with certainty. Authoritative
 * counts every role held; additive only the `relevant` ones, by default those this resource shows or owns
 * (a holder being adopted: those it is about to declare, since roles it does not declare are not its
 * business). Adoption and the re-read of an uncertain write both record what they read through here.
 */
export function reobserve(
  state: RecordedState,
  live: Record<string, string[] | undefined>,
  relevant: (id: string) => readonly string[] = (id) =>
    union(state.holders[id] ?? [], state.declared[id] ?? []),
): RecordedState {
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

/**
 * Roles each declared member still owns in `state` that another resource removed in this run (`removed`,
 * from the run's write log): a co-owner checked after that removal (its inputs waited on another output)
 * must give them back. Only roles the new declaration keeps count.
 */
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
 * Old outputs against new (checked) inputs. Pure. Another organization means a replacement: the roles live
 * in a different organization. An update is due when the declaration differs from the recorded `members`, or
 * when the tenant is known to lack a declared role (an addition a failed apply left to do), or a failed write
 * left it unknown what a member holds.
 *
 * @example
 * diffState({ organizationId: "org_a", members: {}, mode: "authoritative", declared: {}, tenantDiffers: {} }, { ...same, organizationId: "org_b" });
 * // { changes: true, replaces: ["organizationId"], ... }
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
    // A failed write left a member's roles uncertain: the update reads it again (no write unless needed).
    uncertainMembers(olds).length > 0;
  return {
    changes,
    replaces,
    stables: replaces.length ? [] : ["organizationId"],
    deleteBeforeReplace: false,
  };
}
