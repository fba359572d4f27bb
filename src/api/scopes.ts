/**
 * What each step of the provider and the command-line tool calls, and so the scopes of the two Auth0
 * applications a pipeline uses (docs: "Credentials and scopes"): the read-only application previews (`check`,
 * validation, names, refresh), the writing one applies. The scope of each call comes from its row in
 * endpoints.ts, which test/unit/contract.test.ts holds to Auth0's published reference (emulator/contract.ts).
 *
 * @example
 * PREVIEW_SCOPES; // ["read:organization_member_roles", "read:organization_members", "read:roles", "read:users"]
 * missingScopes(new Set(PREVIEW_SCOPES), WRITE_NEEDS); // ["create:organization_member_roles: POST ...", ...]
 */
import { API_PREFIX, acceptedScopes, ENDPOINTS, type EndpointName } from "./endpoints";

/** The calls a step may make, each with what it is for in a word or two (named when its scope is missing). */
export type Needs = Partial<Record<EndpointName, string>>;

/** What each step calls, with what for (see `Needs`). */
const STEP_NEEDS = {
  /**
   * What a preview reads of an OrgMemberRoles: member roles one by one (validation, refresh of up to three
   * members), the members listing with `fields=roles` (which also needs the member-roles scope), role IDs and
   * names, and users by email (members declared by email).
   */
  preview: {
    listMemberRoles: "member roles",
    listMembers: "members listing",
    getRole: "roles gained",
    listRoles: "role names",
    usersByEmail: "emails",
  },
  /**
   * Read when the application may: a changing member's effective roles, which give its direct roles and what
   * it holds through groups in one call. Without the scope the preview reads member roles instead and says
   * that group-held roles were not read.
   */
  optionalPreview: {
    listEffectiveRoles: "group-held roles",
  },
  /** What `up` and `destroy` write: roles added and removed. */
  write: {
    addMemberRoles: "roles added",
    removeMemberRoles: "roles removed",
  },
  /** What `addMissingMembers: true` writes: users joined to the organization. */
  join: {
    addMembers: "addMissingMembers",
  },
  /** What OrgGroupRoles reads at preview: each group's roles, one group at a time (no listing of groups). */
  groupPreview: {
    listGroupRoles: "group roles",
    getRole: "roles gained",
  },
  /** What OrgGroupRoles writes. */
  groupWrite: {
    addGroupRoles: "roles added",
    removeGroupRoles: "roles removed",
  },
  /** What `export-org` reads: the organization, and its members with their roles and emails. */
  export: {
    getOrganization: "organization name",
    listMembers: "members, emails",
    listMemberRoles: "members' roles",
    listRoles: "role names (aliases)",
  },
  /**
   * What `report` reads: the organization, and its members with emails and direct roles (`fields=roles` needs the
   * member-roles scope too, as the preview's listing does).
   */
  report: {
    getOrganization: "organization name",
    listMembers: "members, emails",
    listMemberRoles: "members' direct roles",
  },
  /**
   * What `report` reads when granted, and says it did not read otherwise: roles held through groups. Without the
   * group-members read it reads every member's effective roles instead of those in a group holding a role.
   */
  optionalReport: {
    listOrganizationGroups: "the organization's groups",
    listGroupRoles: "the groups' roles",
    listGroupMembers: "the groups' members",
    listEffectiveRoles: "group-held roles",
    listRoles: "separation-of-duties roles checked",
  },
} as const satisfies Record<string, Needs>;

export const {
  preview: PREVIEW_NEEDS,
  optionalPreview: OPTIONAL_PREVIEW_NEEDS,
  write: WRITE_NEEDS,
  join: JOIN_NEEDS,
  groupPreview: GROUP_PREVIEW_NEEDS,
  groupWrite: GROUP_WRITE_NEEDS,
  export: EXPORT_NEEDS,
  report: REPORT_NEEDS,
  optionalReport: OPTIONAL_REPORT_NEEDS,
} = STEP_NEEDS;

const scopesOf = (...needs: Needs[]): string[] =>
  [...new Set(needs.flatMap((n) => Object.keys(n).map((e) => ENDPOINTS[e as EndpointName].scope)))].sort();

/** The read-only application of the preview and drift jobs. */
export const PREVIEW_SCOPES: readonly string[] = scopesOf(PREVIEW_NEEDS);

/** What a preview reads when it may: group-held roles. */
export const OPTIONAL_PREVIEW_SCOPES: readonly string[] = scopesOf(OPTIONAL_PREVIEW_NEEDS);

/** The writing application of the apply job: `up` runs `check` and its reads before writing. */
export const APPLY_SCOPES: readonly string[] = scopesOf(PREVIEW_NEEDS, WRITE_NEEDS, JOIN_NEEDS);

const beyond = (base: readonly string[], scopes: readonly string[]) =>
  scopes.filter((s) => !base.includes(s));

/** The read-only application's extra scopes when the stack declares an OrgGroupRoles. */
export const GROUP_PREVIEW_SCOPES: readonly string[] = beyond(PREVIEW_SCOPES, scopesOf(GROUP_PREVIEW_NEEDS));

/** The writing application's extra scopes when the stack declares an OrgGroupRoles. */
export const GROUP_APPLY_SCOPES: readonly string[] = beyond(
  APPLY_SCOPES,
  scopesOf(GROUP_PREVIEW_NEEDS, GROUP_WRITE_NEEDS),
);

/**
 * One line per scope of `needs` that `granted` lacks, naming the calls that need it and why; none when every
 * scope is granted or when the token does not say which it grants (then the API decides, call by call).
 *
 * @example
 * missingScopes(new Set(["read:roles"]), { usersByEmail: "emails" });
 * // ["read:users: GET /api/v2/users-by-email (emails)"]
 */
export function missingScopes(granted: ReadonlySet<string> | undefined, needs: Needs): string[] {
  if (!granted) return [];
  const calls = new Map<string, string[]>();
  for (const [name, why] of Object.entries(needs) as Array<[EndpointName, string]>) {
    const { method, scope, path } = ENDPOINTS[name];
    if (acceptedScopes(name).some((s) => granted.has(s))) continue;
    calls.set(scope, [...(calls.get(scope) ?? []), `${method} ${API_PREFIX}${path} (${why})`]);
  }
  return [...calls].sort(([a], [b]) => a.localeCompare(b)).map(([s, c]) => `${s}: ${c.join("; ")}`);
}

/** The scopes `report` needs, and those it reads when granted: its help and doctor --for report list these. */
export const REPORT_SCOPES: readonly string[] = scopesOf(REPORT_NEEDS);
export const OPTIONAL_REPORT_SCOPES: readonly string[] = scopesOf(OPTIONAL_REPORT_NEEDS);
