import { isUnknown } from "../pulumi/unknown";
import { type CheckFailure, formatPath } from "./desired";
import { ROLE_ID, USER_ID } from "./ids";

/**
 * Emails and role names resolved to IDs. Pure. A name is looked up once, when it first appears, and kept
 * (`Resolution`, stored): renaming a role or changing an email later never reassigns anything.
 */

/** email → user ID, role name → role ID. */
export interface Resolution {
  users: Record<string, string>;
  roles: Record<string, string>;
}

/** What the tenant says about the names to resolve. */
export interface TenantNames {
  /** email → the user IDs that have exactly this email (one per identity). */
  usersByEmail: Record<string, string[]>;
  /** Every role of the tenant; Auth0's `type` is `organization` or `tenant` (also when absent). */
  roles: ReadonlyArray<DirectoryRole>;
}

export interface DirectoryRole {
  id: string;
  name: string;
  type?: string | null | undefined;
  owner_id?: string | null | undefined;
}

const isOrganizationRole = (r: DirectoryRole) => r.type === "organization";
/** How a failure names a role: its ID and whose it is. */
const labelOf = (r: DirectoryRole) =>
  isOrganizationRole(r) ? `${r.id}, a role of organization ${r.owner_id}` : `${r.id}, a tenant role`;

/** A member key that is an email rather than a user ID (`{provider}|{id}`). */
export function isEmail(key: string): boolean {
  return key.includes("@") && !key.includes("|");
}

/** A role reference that is a name rather than a role ID or an unknown value. */
export function isRoleName(ref: unknown): ref is string {
  return typeof ref === "string" && ref !== "" && !isUnknown(ref) && !ROLE_ID.test(ref);
}

/** The emails and role names in `members` that `previous` does not resolve yet. */
export function unresolvedNames(
  members: unknown,
  previous: Resolution | undefined,
): { emails: string[]; roleNames: string[] } {
  const emails = new Set<string>();
  const roleNames = new Set<string>();
  if (members === null || typeof members !== "object" || isUnknown(members))
    return { emails: [], roleNames: [] };
  for (const [key, roles] of Object.entries(members as Record<string, unknown>)) {
    if (isEmail(key) && previous?.users[key] === undefined) emails.add(key);
    if (!Array.isArray(roles)) continue;
    for (const ref of roles) if (isRoleName(ref) && previous?.roles[ref] === undefined) roleNames.add(ref);
  }
  return { emails: [...emails].sort(), roleNames: [...roleNames].sort() };
}

const quote = (s: string) => JSON.stringify(s);

/**
 * Emails and role names in `members` replaced by IDs, from `previous` first. A role name resolves among
 * tenant roles and `organizationId`'s own (another organization's cannot be given). Ambiguity is an error,
 * never a guess: no match or several (a tenant and an organization role of one name too), or one person
 * declared twice. Every problem is listed.
 */
export function resolveNames(
  members: Record<string, unknown>,
  previous: Resolution | undefined,
  directory: TenantNames,
  organizationId?: string,
): { members: Record<string, unknown>; resolution: Resolution; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const resolution: Resolution = { users: {}, roles: {} };
  const byName = new Map<string, DirectoryRole[]>();
  const elsewhere = new Map<string, DirectoryRole[]>(); // other organizations' roles, for the message
  for (const role of directory.roles) {
    const reachable =
      !isOrganizationRole(role) || organizationId === undefined || role.owner_id === organizationId;
    const into = reachable ? byName : elsewhere;
    into.set(role.name, [...(into.get(role.name) ?? []), role]);
  }

  const roleId = (ref: unknown, path: Array<string | number>): unknown => {
    if (!isRoleName(ref)) return ref;
    const known = previous?.roles[ref];
    if (known !== undefined) {
      resolution.roles[ref] = known;
      return known;
    }
    const at = formatPath(path);
    const found = byName.get(ref) ?? [];
    if (found.length === 1) {
      resolution.roles[ref] = found[0]!.id;
      return found[0]!.id;
    }
    if (found.length === 0) {
      const names = [...byName.keys()].sort();
      const shown = names.slice(0, 20).map(quote).join(", ");
      const more = names.length > 20 ? ` and ${names.length - 20} more` : "";
      const others = elsewhere.get(ref) ?? [];
      const foreign =
        others.length > 0
          ? ` Only another organization has a role of that name (${others.map(labelOf).join("; ")}), and another organization's role cannot be given in ${organizationId}.`
          : "";
      failures.push({
        property: at,
        reason: `${at}: no role is named ${quote(ref)} in the tenant${organizationId ? ` or in ${organizationId}` : ""} (names are exact and case-sensitive; roles: ${shown || "none"}${more}).${foreign} Write the role's name as the tenant has it, or its ID (rol_ and 16 characters).`,
      });
    } else
      failures.push({
        property: at,
        reason: `${at}: ${found.length} roles are named ${quote(ref)} (${found.map(labelOf).join("; ")}). Write the ID of the one you mean.`,
      });
    return ref;
  };

  const out: Record<string, unknown> = {};
  const declaredBy = new Map<string, string>(); // user ID → the key that declared it
  for (const [key, roles] of Object.entries(members)) {
    const path = ["members", key];
    let userId = key;
    if (isEmail(key)) {
      const known = previous?.users[key];
      const found = known !== undefined ? [known] : [...new Set(directory.usersByEmail[key] ?? [])];
      if (found.length !== 1) {
        const at = formatPath(path);
        failures.push({
          property: at,
          reason:
            found.length === 0
              ? `${at}: no user has the email ${quote(key)} (emails are exact and case-sensitive). Check it, or write the user ID ({provider}|{id}).`
              : `${at}: ${found.length} users have the email ${quote(key)} (${found.join(", ")}), one per connection. Write the user ID of the one you mean.`,
        });
        continue;
      }
      userId = found[0]!;
      resolution.users[key] = userId;
    } else if (!USER_ID.test(key)) {
      out[key] = roles; // not a name: validation names the problem
      continue;
    }
    const other = declaredBy.get(userId);
    if (other !== undefined) {
      failures.push({
        property: formatPath(path),
        reason: `${formatPath(path)} and ${formatPath(["members", other])} are the same user (${userId}). Declare them once.`,
      });
      continue;
    }
    declaredBy.set(userId, key);
    out[userId] = Array.isArray(roles) ? roles.map((ref, i) => roleId(ref, [...path, i])) : roles;
  }
  return { members: out, resolution, failures };
}

/** Whether a resolution has anything in it (a declaration by IDs only stores none). */
export function isEmptyResolution(r: Resolution): boolean {
  return Object.keys(r.users).length === 0 && Object.keys(r.roles).length === 0;
}
