import type { StackExport, StateResource } from "../export/migrate-state";
import { isStateSecret, plain } from "../export/state-values";
import { recordedOf } from "../model/stored-state";
import { GROUP_NAMES, GROUP_RESOURCE_TYPE_TOKEN, RESOURCE_TYPE_TOKEN } from "../pulumi/tokens";

/**
 * What a stack declares of one organization, read from its `pulumi stack export`: which resource owns each
 * member's direct roles, the ends of grants, which resource declares each group's roles, and which members a
 * secret map names. Pure: the export's JSON in.
 */
export interface DeclaredOrganization {
  organizationId: string;
  /** User ID → role ID → the resources (by name) that own the role for the member. */
  owners: Map<string, Map<string, string[]>>;
  /** User ID → role ID → the declared end of the grant. */
  until: Map<string, Map<string, string>>;
  /** Group ID → role ID → the resources (by name) declaring that role for the group. */
  groups: Map<string, Map<string, string[]>>;
  /** User IDs a secret `members` map declares: masked in the report unless asked otherwise. */
  secretMembers: Set<string>;
  /** User ID → the role IDs a secret map declares for it (roles or ends): masked with the member. */
  secretRoles: Map<string, Set<string>>;
}

/** The resource's name: the last part of its URN (`urn:pulumi:stack::project::type::name`). */
export const resourceName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The organizations the export's OrgMemberRoles and OrgGroupRoles declare, keyed by ID. A resource pending
 * deletion is left out (it declares nothing the next `up` keeps). An encrypted value is refused naming the
 * resource and the fix (`--show-secrets`): the report masks secret members itself.
 */
export function declaredOrganizations(exported: StackExport): Map<string, DeclaredOrganization> {
  const out = new Map<string, DeclaredOrganization>();
  const at = (organizationId: string) => {
    let org = out.get(organizationId);
    if (!org) {
      org = {
        organizationId,
        owners: new Map(),
        until: new Map(),
        groups: new Map(),
        secretMembers: new Set(),
        secretRoles: new Map(),
      };
      out.set(organizationId, org);
    }
    return org;
  };
  for (const r of exported.deployment.resources ?? []) {
    if (r.delete) continue;
    if (r.type === RESOURCE_TYPE_TOKEN) readMemberRoles(r, at);
    else if (r.type === GROUP_RESOURCE_TYPE_TOKEN) readGroupRoles(r, at);
  }
  return out;
}

function output(r: StateResource, key: string): unknown {
  const value = r.outputs?.[key];
  if (value !== null && typeof value === "object" && "ciphertext" in value)
    throw new Error(
      `${key} of ${r.urn} is an encrypted secret in this export: export with \`pulumi stack export --show-secrets --file ...\`; the report masks secret members unless --show-secrets is given.`,
    );
  return plain(value, `${key} of ${r.urn}`);
}

function readMemberRoles(r: StateResource, at: (org: string) => DeclaredOrganization): void {
  const organizationId = output(r, "organizationId");
  if (typeof organizationId !== "string" || organizationId === "") return;
  const org = at(organizationId);
  const name = resourceName(r.urn);
  const members = output(r, "members");
  const declaredWhole = output(r, "declared");
  const differs = output(r, "declaredDiffers");
  const stored = {
    members: isObject(members) ? (members as Record<string, string[]>) : {},
    ...(isObject(declaredWhole) ? { declared: declaredWhole as Record<string, string[]> } : {}),
    ...(isObject(differs) ? { declaredDiffers: differs as Record<string, string[]> } : {}),
  };
  const secret = isStateSecret(r.outputs?.["members"]) || isStateSecret(r.outputs?.["declared"]);
  for (const [userId, roles] of Object.entries(recordedOf(stored).declared)) {
    if (secret) org.secretMembers.add(userId);
    const byRole = org.owners.get(userId) ?? new Map<string, string[]>();
    for (const roleId of Array.isArray(roles) ? roles : []) {
      byRole.set(roleId, [...(byRole.get(roleId) ?? []), name]);
      if (secret) secretRole(org, userId, roleId);
    }
    org.owners.set(userId, byRole);
  }
  // Ends as the program wrote them (member by email or ID, role by name or ID): mapped to IDs through what
  // the resource resolved.
  const resolved = output(r, "resolved");
  const users = isObject(resolved) && isObject(resolved["users"]) ? resolved["users"] : {};
  const roleIds = isObject(resolved) && isObject(resolved["roles"]) ? resolved["roles"] : {};
  const idOf = (key: string, names: Record<string, unknown>): string[] => {
    const v = names[key];
    return typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === "string") : [key];
  };
  const until = output(r, "until");
  if (!isObject(until)) return;
  for (const [member, ends] of Object.entries(until)) {
    if (!isObject(ends)) continue;
    for (const userId of idOf(member, users)) {
      if (secret) org.secretMembers.add(userId);
      const byRole = org.until.get(userId) ?? new Map<string, string>();
      for (const [role, end] of Object.entries(ends))
        if (typeof end === "string")
          for (const roleId of idOf(role, roleIds)) {
            byRole.set(roleId, end);
            if (secret) secretRole(org, userId, roleId);
          }
      org.until.set(userId, byRole);
    }
  }
}

function secretRole(org: DeclaredOrganization, userId: string, roleId: string): void {
  const roles = org.secretRoles.get(userId) ?? new Set<string>();
  roles.add(roleId);
  org.secretRoles.set(userId, roles);
}

function readGroupRoles(r: StateResource, at: (org: string) => DeclaredOrganization): void {
  const organizationId = output(r, "organizationId");
  if (typeof organizationId !== "string" || organizationId === "") return;
  const org = at(organizationId);
  const groups = output(r, GROUP_NAMES.map);
  if (!isObject(groups)) return;
  const name = resourceName(r.urn);
  for (const [groupId, roles] of Object.entries(groups)) {
    const byRole = org.groups.get(groupId) ?? new Map<string, string[]>();
    for (const roleId of Array.isArray(roles) ? roles : [])
      if (typeof roleId === "string") byRole.set(roleId, [...(byRole.get(roleId) ?? []), name]);
    org.groups.set(groupId, byRole);
  }
}
