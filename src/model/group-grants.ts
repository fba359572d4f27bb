import type { MemberRoles } from "./desired";

/**
 * Roles a member holds through an organization's groups. Only the effective-roles endpoint shows them (with
 * `sources`); member-roles and the listing show direct ones. Never written: shown in the preview and PR
 * summary, counted by the pack's advisory cap.
 */

/** User ID → sorted role IDs held through a group (direct too, or not). */
export type GroupRoles = Record<string, string[]>;

/**
 * The role IDs that reach a member through a group.
 *
 * @example
 * groupHeld([{ id: "rol_a", sources: ["direct"] }, { id: "rol_b", sources: ["direct", "groups"] }]); // ["rol_b"]
 */
export function groupHeld(effective: ReadonlyArray<{ id: string; sources: readonly string[] }>): string[] {
  return [...new Set(effective.filter((r) => r.sources.includes("groups")).map((r) => r.id))].sort();
}

/** The role IDs assigned directly: what the member-roles endpoint lists. */
export function directOf(effective: ReadonlyArray<{ id: string; sources: readonly string[] }>): string[] {
  return [...new Set(effective.filter((r) => r.sources.includes("direct")).map((r) => r.id))].sort();
}

/** Declared roles a group already grants: kept, not an error, since the group may change. */
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
