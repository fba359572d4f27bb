import * as pulumi from "@pulumi/pulumi";
import type { MemberRoles, OwnershipMode } from "../src/model/desired";
import { PROVIDER_SOURCE } from "../src/provider/shell";
import { RESOURCE_TYPE_TOKEN } from "../src/pulumi/tokens";
import { refuseUnknownSettings } from "../src/pulumi/unknown-config";
import { checkMemberRolesArgs } from "./args-shape";
import {
  joiningUsers,
  type Membership,
  type MembersInput,
  membersMap,
  type OrganizationRef,
  organizationIdOf,
} from "./auth0-inputs";
import { splitGrants } from "./grants";

const DERIVED_OUTPUTS = ["declaredDiffers", "tenantDiffers"];

/** The inputs of {@link OrgMemberRoles} as plain values; {@link OrgMemberRolesArgs} lets each be a Pulumi `Input`. */
export interface OrgMemberRolesInputs {
  /** The organization's ID (`org_...`). Changing it replaces the resource. */
  organizationId: string;
  /**
   * Member → the roles it must hold in this organization. Members by user ID (`auth0|...`) or by email; roles
   * by ID (`rol_...`, or an `auth0.Role`'s `id`) or by name. Names are resolved against the tenant when they
   * first appear (an ambiguous one is an error) and the state stores IDs.
   */
  members: Record<string, string[]>;
  /**
   * `authoritative` (default): each declared member holds exactly these roles; extra roles seen by a refresh are
   * removed by the next `up`. `additive`: these roles are ensured; roles assigned elsewhere are left alone.
   */
  mode?: OwnershipMode;
  /**
   * Add declared users who are not yet members to the organization before assigning their roles
   * (`POST /organizations/{id}/members`, 10 a request). Default false: a non-member fails the preview. The
   * preview lists them under `addedMembers`. Memberships are never removed by this resource, not even on
   * destroy: leaving an organization is more than losing roles.
   */
  addMissingMembers?: boolean;
}

/** `T` with every value, at every depth, allowed to be a Pulumi `Input` (an `Output` of another resource). */
type DeepInput<T> = [T] extends [readonly (infer U)[]]
  ? pulumi.Input<DeepInput<U>[]>
  : [T] extends [object]
    ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
    : pulumi.Input<T>;

/** The organization: `organization` (an `auth0.Organization` or its ID), or `organizationId` (its ID). */
export type OrganizationArg =
  | { organization: OrganizationRef; organizationId?: never }
  | { organizationId: pulumi.Input<string>; organization?: never };

/**
 * Inputs of {@link OrgMemberRoles}. Every value may be a Pulumi `Input`; the organization, roles and users may
 * be `@pulumi/auth0` resources (their IDs are used, and the resource depends on them).
 */
export type OrgMemberRolesArgs = OrganizationArg & {
  [K in Exclude<keyof OrgMemberRolesInputs, "organizationId" | "members">]?:
    | DeepInput<NonNullable<OrgMemberRolesInputs[K]>>
    | undefined;
} & {
  /**
   * Member → roles: a map keyed by user ID or email, or a list of `{ user, roles }` whose users and roles may
   * be `auth0.User` and `auth0.Role` resources.
   */
  members: MembersInput;
  /**
   * `auth0.OrganizationMember` / `auth0.OrganizationMembers` of this program that make declared users members
   * of this organization. The preview takes those users as joining, not as non-members; the resource depends
   * on the memberships, so `up` assigns roles after they exist, and checks that each user is a member then.
   */
  memberships?: Membership[];
};

/**
 * One organization's member roles, as code. `pulumi preview` shows which roles each member gains or loses;
 * `pulumi up` makes only those calls (at most one DELETE and one POST per changed member).
 * Credentials come from stack config (`auth0:domain`, `auth0:clientId`, `auth0:clientSecret` or
 * `auth0:apiToken`) or the `AUTH0_*` environment variables, never from inputs.
 *
 * @example
 * import * as auth0 from "@pulumi/auth0";
 * import { OrgMemberRoles } from "pulumi-auth0-org-member-roles";
 *
 * const acme = new auth0.Organization("acme", { name: "acme" });
 * const admin = new auth0.Role("admin", { name: "admin" });
 * const ada = new auth0.User("ada", { connectionName: "Username-Password-Authentication", email: "ada@acme.example" });
 * const joins = new auth0.OrganizationMember("ada-acme", { organizationId: acme.id, userId: ada.id });
 * new OrgMemberRoles("acme-roles", {
 *   organization: acme,
 *   members: [{ user: ada, roles: [admin, "rol_0123456789abcdef"] }],
 *   memberships: [joins],
 * });
 */
export class OrgMemberRoles extends pulumi.CustomResource {
  declare readonly organizationId: pulumi.Output<string>;
  /** Roles per declared member as last applied, or as seen by the last refresh (drift shows here). */
  declare readonly members: pulumi.Output<MemberRoles>;
  declare readonly mode: pulumi.Output<OwnershipMode>;
  /** Users this resource added to the organization (see `addMissingMembers`). */
  declare readonly addedMembers: pulumi.Output<string[] | undefined>;
  /** What the declaration's emails and role names resolved to. */
  declare readonly resolved: pulumi.Output<
    { users: Record<string, string>; roles: Record<string, string> } | undefined
  >;
  /**
   * The roles this resource owns (what destroy, or dropping a member, removes), only for members where that
   * differs from `members` (after a refresh saw a role go, for instance); every other member owns its
   * `members` roles. Stored this way so a large organization's map is not stored a third time. Always a secret.
   */
  declare readonly declaredDiffers: pulumi.Output<MemberRoles | undefined>;
  /**
   * Where the tenant is known to differ from `members` (`missing`: declared, not held; `extra`: held, not
   * declared), after a failed apply or an adoption. Empty after a successful apply and after a refresh. Always a secret.
   */
  declare readonly tenantDiffers: pulumi.Output<Record<string, { missing: string[]; extra: string[] }>>;
  /** When each grant with an end ends: member → role ID → instant (ISO 8601, UTC). */
  declare readonly until: pulumi.Output<Record<string, Record<string, string>> | undefined>;
  /** The grants that have ended (and left `members`): member → role IDs. */
  declare readonly expired: pulumi.Output<MemberRoles | undefined>;

  constructor(name: string, args: OrgMemberRolesArgs, opts?: pulumi.CustomResourceOptions) {
    // Before anything reads them: a misshapen input stops here, named, instead of as a TypeError below.
    checkMemberRolesArgs(name, args);
    // A misspelt orgMemberRoles: setting would leave its default in force; the provider cannot tell.
    refuseUnknownSettings();
    const organizationId =
      args.organization !== undefined ? organizationIdOf(args.organization) : args.organizationId;
    const grants = splitGrants(args.members);
    const members = membersMap(grants.members);
    const memberships = args.memberships ?? [];
    super(
      RESOURCE_TYPE_TOKEN,
      name,
      {
        // What pulumi.dynamic.Resource would store, in one line instead of 2,283 characters (shell.ts).
        __provider: PROVIDER_SOURCE,
        organizationId,
        members,
        mode: args.mode,
        addMissingMembers: args.addMissingMembers,
        // Read by check only (preview validation); not stored: the memberships' own state says who joined.
        // Computed from the memberships' outputs, it makes this resource depend on each of them, so `up`
        // assigns roles only after the users have joined.
        ...(memberships.length > 0 ? { joiningMembers: joiningUsers(organizationId, memberships) } : {}),
        // The provider sees secrets in plaintext; this tells it to keep IDs out of failure details.
        membersSecret: pulumi.output(pulumi.isSecret(pulumi.output(members))),
        // Filled by check with the users this resource added; a secret whenever members is one.
        addedMembers: pulumi.output(members).apply(() => []),
        // Filled by check with what emails and role names resolved to; a secret whenever members is one
        // (the engine marks a value secret when the input of the same name was).
        resolved: pulumi.output(members).apply(() => ({ users: {}, roles: {} })),
        // Filled by check with what changing members hold through a group (shown, never written; not stored
        // in the outputs); a secret whenever members is one.
        groupRoles: pulumi.output(members).apply(() => ({})),
        declaredDiffers: undefined,
        tenantDiffers: undefined,
        // Grants that end (member → role → instant), and those ended, which check computes; both secret
        // whenever members is one.
        ...(grants.until ? { until: grants.until } : {}),
        expired: pulumi.output(members).apply(() => ({})),
      },
      // Both are derived from `members`, which may be a secret; the engine re-marks an output secret only when
      // an input of the same name was, so these two are always stored encrypted.
      {
        ...opts,
        additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...DERIVED_OUTPUTS])],
      },
    );
  }
}
