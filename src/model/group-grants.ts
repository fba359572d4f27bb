import type { MemberRoles } from "./desired";

/**
 * Roles a member holds through an organization's groups (Auth0 Enterprise Groups), beside the direct
 * assignments this resource manages. Pure. The member-roles endpoints and the members listing show direct
 * assignments only; the effective-roles endpoint shows both, each with its sources (`direct`, `groups`).
 * OrgMemberRoles never writes a group-held role: these facts are shown in the preview (the checked input
 * `groupRoles`) and the PR summary, and counted by the pack's advisory cap, nothing else.
 */

/** User ID → sorted role IDs held through a group (direct too, or not). */
export type GroupRoles = Record<string, string[]>;

/**
 * The role IDs that reach a member through a group, from its effective roles.
 *
 * @example
 * groupHeld([{ id: "rol_a", sources: ["direct"] }, { id: "rol_b", sources: ["direct", "groups"] }]); // ["rol_b"]
 */
export function groupHeld(effective: ReadonlyArray<{ id: string; sources: readonly string[] }>): string[] {
  return [...new Set(effective.filter((r) => r.sources.includes("groups")).map((r) => r.id))].sort();
}

/**
 * The role IDs assigned to a member directly, from its effective roles: what the member-roles endpoint lists.
 *
 * @example
 * directOf([{ id: "rol_a", sources: ["direct"] }, { id: "rol_b", sources: ["groups"] }]); // ["rol_a"]
 */
export function directOf(effective: ReadonlyArray<{ id: string; sources: readonly string[] }>): string[] {
  return [...new Set(effective.filter((r) => r.sources.includes("direct")).map((r) => r.id))].sort();
}

/**
 * Declared direct roles that a group already grants: assigning them directly changes nothing the member
 * can do (kept, not an error: the group may change, and the direct assignment is the declaration's).
 *
 * @example
 * redundantRoles({ "auth0|a": ["rol_a", "rol_b"] }, { "auth0|a": ["rol_b"] }); // { "auth0|a": ["rol_b"] }
 */
export function redundantRoles(declared: MemberRoles, groups: GroupRoles): GroupRoles {
  const out: GroupRoles = Object.create(null);
  for (const [user, held] of Object.entries(groups)) {
    const both = (declared[user] ?? []).filter((r) => held.includes(r));
    if (both.length > 0) out[user] = [...both].sort();
  }
  return out;
}

/** The map to show, or undefined when no changing member holds a role through a group. */
export function shownGroupRoles(groups: GroupRoles): GroupRoles | undefined {
  const entries = Object.entries(groups).filter(([, roles]) => roles.length > 0);
  return entries.length > 0 ? Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
}
