/**
 * The scopes of the two Auth0 applications a pipeline uses (README, "In a pipeline"), taken from the rows of
 * src/api/endpoints.ts so that a new endpoint cannot be forgotten here: the read-only application previews
 * (`check`, validation, names, refresh), the writing one applies. `read:organizations` is not in either:
 * only `npm run export-org` reads the organization itself.
 *
 * @example
 * PREVIEW_SCOPES; // ["read:organization_member_roles", "read:organization_members", "read:roles", "read:users"]
 * APPLY_SCOPES.filter((s) => !PREVIEW_SCOPES.includes(s)); // the three write scopes
 */
import { ENDPOINTS, type EndpointName } from "./endpoints";

/**
 * What the provider reads, and when: member roles one by one (validation, refresh of up to three members),
 * the members listing with `fields=roles` (which also needs the member-roles scope), role IDs and names, and
 * users by email (members declared by email).
 */
const PREVIEW_ENDPOINTS = [
  "listMemberRoles",
  "listMembers",
  "listEffectiveRoles",
  "getRole",
  "listRoles",
  "usersByEmail",
] as const satisfies readonly EndpointName[];

/** What `up` writes: roles added and removed, and members joined with `addMissingMembers`. */
const WRITE_ENDPOINTS = [
  "addMemberRoles",
  "removeMemberRoles",
  "addMembers",
] as const satisfies readonly EndpointName[];

const scopesOf = (names: readonly EndpointName[]): string[] =>
  [...new Set(names.map((n) => ENDPOINTS[n].scope))].sort();

/** The read-only application of the preview and drift jobs. */
export const PREVIEW_SCOPES: readonly string[] = scopesOf(PREVIEW_ENDPOINTS);

/** The writing application of the apply job: `up` runs `check` and its reads before writing. */
export const APPLY_SCOPES: readonly string[] = scopesOf([...PREVIEW_ENDPOINTS, ...WRITE_ENDPOINTS]);

/**
 * What OrgGroupRoles adds, kept apart so that a stack without groups grants none of it: each group's roles
 * are read one group at a time (validation, refresh; no listing of groups), and written by group.
 */
const GROUP_PREVIEW_ENDPOINTS = ["listGroupRoles"] as const satisfies readonly EndpointName[];
const GROUP_WRITE_ENDPOINTS = [
  "addGroupRoles",
  "removeGroupRoles",
] as const satisfies readonly EndpointName[];

/** The read-only application's extra scope when the stack declares an OrgGroupRoles. */
export const GROUP_PREVIEW_SCOPES: readonly string[] = scopesOf(GROUP_PREVIEW_ENDPOINTS);

/** The writing application's extra scopes when the stack declares an OrgGroupRoles. */
export const GROUP_APPLY_SCOPES: readonly string[] = scopesOf([
  ...GROUP_PREVIEW_ENDPOINTS,
  ...GROUP_WRITE_ENDPOINTS,
]);
