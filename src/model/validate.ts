import { isUnknown } from "../pulumi/unknown";
import { type CheckFailure, formatPath, type MemberRoles, type OwnershipMode } from "./desired";
import { sameSet } from "./role-sets";

/** The part of a declaration that changes: members whose roles differ from the recorded ones. */
export interface Changed {
  /** User ID → the declared roles (the whole new list). */
  members: MemberRoles;
  /** User ID → the roles it gains (to check that they exist). */
  added: MemberRoles;
  /** User ID → the roles the preview shows it losing: removed before any addition. */
  leaving: MemberRoles;
}

/** Members whose roles change from `recorded` to `desired`; lists unknown at preview are checked at `up`. */
export function changedMembers(recorded: MemberRoles | undefined, desired: MemberRoles): Changed {
  const changed: Changed = { members: {}, added: {}, leaving: {} };
  if (isUnknown(desired)) return changed;
  for (const [userId, roles] of Object.entries(desired)) {
    if (isUnknown(roles)) continue;
    const before = recorded?.[userId];
    if (before !== undefined && sameSet(before, roles)) continue;
    changed.members[userId] = roles;
    changed.added[userId] = roles.filter((r) => !isUnknown(r) && !(before ?? []).includes(r));
    changed.leaving[userId] = (before ?? []).filter((r) => !roles.includes(r));
  }
  return changed;
}

/** What the tenant says about the changing members. */
export interface TenantFacts {
  /** Role IDs held per user; undefined: not a member of the organization (or no such user). */
  live: Record<string, string[] | undefined>;
  /** A role ID as the tenant has it, or undefined when it does not exist. */
  role: (roleId: string) => RoleFact | undefined;
}

/** What validation needs of a role: its name, and (Auth0's organization roles) its type and owner. */
export interface RoleFact {
  name: string;
  /** `tenant` (also when absent) or `organization`. */
  type?: string | null | undefined;
  /** The organization that owns an organization role. */
  owner_id?: string | null | undefined;
}

/** Whether `role` may be given within `organizationId`: a tenant role, or a role this organization owns. */
export function usableIn(role: RoleFact, organizationId: string): boolean {
  return role.type !== "organization" || role.owner_id === organizationId;
}

export interface ValidationOptions {
  organizationId: string;
  mode: OwnershipMode;
  /** Roles one member may hold (Auth0 answers 409 past it). */
  roleCap: number;
  /** Users who are not members will be added to the organization first (so they are not a problem). */
  addsMissingMembers: boolean;
  /**
   * Users whose membership another resource of the same program creates (`memberships` on the component):
   * joining, not a problem at preview. Never passed before a write: `up` needs them to be members by then.
   */
  joining?: ReadonlySet<string>;
  /** The mode is not known yet (preview): the cap is checked during `up`. */
  skipCap?: boolean;
}

/**
 * Everything the tenant would reject in `changed`, all at once, each naming the fix.
 *
 * @example
 * validateChanges(changed, { live: { "auth0|a": undefined }, role: () => ({ name: "admin" }) }, { organizationId: "org_...", mode: "authoritative", roleCap: 100, addsMissingMembers: false });
 * // [{ property: 'members["auth0|a"]', reason: "... is not a member of org_... ..." }]
 */
export function validateChanges(
  changed: Changed,
  facts: TenantFacts,
  options: ValidationOptions,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const org = options.organizationId;
  for (const [userId, roles] of Object.entries(changed.members)) {
    const property = formatPath(["members", userId]);
    const held = facts.live[userId];
    if (held === undefined && !options.addsMissingMembers && !options.joining?.has(userId))
      failures.push({
        property,
        reason: `${property}: ${userId} is not a member of organization ${org} (or no such user). Add them to the organization first (Dashboard, POST /api/v2/organizations/${org}/members, or set addMissingMembers: true on this resource), or drop them from members.`,
      });
    for (const roleId of changed.added[userId] ?? []) {
      const role = facts.role(roleId);
      if (role && usableIn(role, org)) continue;
      const at = formatPath(["members", userId, roles.indexOf(roleId)]);
      failures.push({
        property: at,
        reason: role
          ? `${at}: role ${roleId} (${JSON.stringify(role.name)}) belongs to organization ${role.owner_id}, so it cannot be given to ${userId} in ${org} (Auth0 refuses another organization's role). Use a tenant role or one of ${org}'s own roles.`
          : `${at}: role ${roleId} (for ${userId} in ${org}) does not exist in the tenant. Check the role ID (Dashboard > User Management > Roles), or create the role first.`,
      });
    }
    const { known, staying, total } = countAfter(changed, userId, held);
    if (!options.skipCap && total > options.roleCap)
      failures.push({
        property,
        reason: `${property}: ${userId} would hold ${total} roles in ${org}${staying.length > 0 ? ` (${known.length} declared here, ${staying.length} held that this change does not remove)` : ""}, over the cap of ${options.roleCap} roles per organization member. Declare fewer roles${staying.length > 0 ? ", or remove the others first (`pulumi up --refresh` shows them, and removes them in authoritative mode)" : ""}.`,
      });
  }
  return failures;
}

/**
 * Declared roles plus held ones the preview does not show leaving (in either mode they stay). Removals run
 * before additions, so this is also the peak.
 */
function countAfter(changed: Changed, userId: string, held: readonly string[] | undefined) {
  const known = (changed.members[userId] ?? []).filter((r) => !isUnknown(r));
  const leaving = new Set(changed.leaving[userId] ?? []);
  const staying = (held ?? []).filter((r) => !leaving.has(r) && !known.includes(r));
  return { known, staying, total: known.length + staying.length };
}

/** A listed count this near the cap is read again: the listing lags writes briefly, so few roles differ. */
export const CAP_LAG_MARGIN = 10;

/**
 * Whether `listed` puts the change near enough the cap to read the member from the primary store first.
 *
 * @example
 * nearCap(changed, "auth0|a", ["rol_1"], 100); // false: 2 roles after the change, far from 100
 */
export function nearCap(
  changed: Changed,
  userId: string,
  listed: readonly string[],
  roleCap: number,
): boolean {
  return countAfter(changed, userId, listed).total >= roleCap - CAP_LAG_MARGIN;
}
