import { isUnknown } from "../pulumi/unknown";
import { type CheckFailure, formatPath } from "./desired";
import { ROLE_ID, USER_ID } from "./ids";

/**
 * Members declared by email and roles by name, resolved to IDs against the tenant. Pure: the caller reads
 * the directory. What a name resolved to is kept (`Resolution`, stored with the resource), so renaming a
 * role or changing a user's email later never reassigns anything: a name is looked up once, when it first
 * appears in the declaration.
 */

/** email → user ID, role name → role ID. */
export interface Resolution {
  users: Record<string, string>;
  roles: Record<string, string>;
}

/** What the tenant says about the names to resolve. */
export interface Directory {
  /** email → the user IDs that have exactly this email (one per identity). */
  usersByEmail: Record<string, string[]>;
  /** Every role of the tenant. */
  roles: ReadonlyArray<{ id: string; name: string }>;
}

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
 * Replaces emails and role names in `members` with IDs: from `previous` where it has them, else from the
 * directory. Ambiguity is an error, never a guess: an email with no user or several, a role name with no role
 * or several, and one person declared twice (a user ID and an email, or two emails). Every problem is listed.
 *
 * @example
 * resolveNames({ "ada@acme.example": ["admin"] }, undefined, directory);
 * // { members: { "auth0|ada": ["rol_admin..."] }, resolution: { users: {...}, roles: {...} }, failures: [] }
 */
export function resolveNames(
  members: Record<string, unknown>,
  previous: Resolution | undefined,
  directory: Directory,
): { members: Record<string, unknown>; resolution: Resolution; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const resolution: Resolution = { users: {}, roles: {} };
  const byName = new Map<string, string[]>();
  for (const role of directory.roles) byName.set(role.name, [...(byName.get(role.name) ?? []), role.id]);

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
      resolution.roles[ref] = found[0]!;
      return found[0];
    }
    if (found.length === 0) {
      const names = [...byName.keys()].sort();
      const shown = names.slice(0, 20).map(quote).join(", ");
      const more = names.length > 20 ? ` and ${names.length - 20} more` : "";
      failures.push({
        property: at,
        reason: `${at}: no role is named ${quote(ref)} in the tenant (names are exact and case-sensitive; roles: ${shown || "none"}${more}). Write the role's name as the tenant has it, or its ID (rol_ and 16 characters).`,
      });
    } else
      failures.push({
        property: at,
        reason: `${at}: ${found.length} roles are named ${quote(ref)} (${found.join(", ")}). Write the ID of the one you mean.`,
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
