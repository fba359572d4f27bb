/**
 * Names for IDs, where they are known: role names from the stack config's `roles` alias map (the names the
 * pull request's author wrote) or from a roles listing, users' emails or names from a users listing. Pure.
 */
import { isSecretValue } from "./preview-json";

export interface UserInfo {
  email?: string;
  name?: string;
}

/** What the summary knows about IDs. Unknown IDs are shown as IDs. */
export interface DisplayNames {
  roleName(id: string): string | undefined;
  user(id: string): UserInfo | undefined;
}

export interface DirectorySources {
  /** Role ID → name (the config aliases: first wins, so pass them first). */
  roleNames?: Array<[string, string]>;
  /** Auth0 users (`GET /api/v2/users`, a user export): `user_id`, optional `email` and `name`. */
  users?: Array<{ user_id: string; email?: string; name?: string }>;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Role ID → name pairs from the `<namespace>:roles` config the CLI printed (a JSON string, or an object).
 * A secret or malformed value gives none; several names for one ID give the first in alphabetical order.
 *
 * @example
 * roleNamesFromConfig({ "acme:roles": '{"admin":"rol_1"}' }, "acme"); // [["rol_1", "admin"]]
 */
export function roleNamesFromConfig(
  config: Record<string, unknown>,
  project: string,
): Array<[string, string]> {
  let value = config[`${project}:roles`];
  if (value === undefined || isSecretValue(value)) return [];
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string" && !isSecretValue(entry[1]))
    .sort((a, b) => byString(a[0], b[0]))
    .map(([name, id]) => [id, name]);
}

/**
 * A directory over the given sources. Later sources never replace a name an earlier one gave.
 *
 * @example
 * const names = directoryOf({ roleNames: [["rol_1", "admin"]], users: [{ user_id: "auth0|a", email: "a@x.example" }] });
 * names.roleName("rol_1"); // "admin"
 */
export function directoryOf(sources: DirectorySources): DisplayNames {
  const roles = new Map<string, string>();
  for (const [id, name] of sources.roleNames ?? []) if (name && !roles.has(id)) roles.set(id, name);
  const users = new Map<string, UserInfo>();
  for (const u of sources.users ?? []) {
    if (typeof u?.user_id !== "string" || users.has(u.user_id)) continue;
    const info: UserInfo = {};
    if (typeof u.email === "string" && u.email) info.email = u.email;
    if (typeof u.name === "string" && u.name) info.name = u.name;
    if (info.email || info.name) users.set(u.user_id, info);
  }
  return { roleName: (id) => roles.get(id), user: (id) => users.get(id) };
}
