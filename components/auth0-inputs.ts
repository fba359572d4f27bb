/**
 * `@pulumi/auth0` resources as inputs of OrgMemberRoles: an `auth0.Organization`, `auth0.Role`s and
 * `auth0.User`s stand where IDs do, and `auth0.OrganizationMember(s)` declare who joins in the same program.
 *
 * `@pulumi/auth0` is an optional peer dependency, so nothing here names it: a project without it type-checks
 * this package's declarations too (Pulumi's TypeScript runtime type-checks them, and an import of a missing
 * package fails the program with TS2307). The types are the shapes of its classes (their outputs, as
 * @pulumi/auth0 3.49 declares them): `auth0.Role` fits `RoleResource` and `auth0.User` does not, so a user
 * given as a role is still a type error. At run time its resources are recognised by shape too.
 */
import * as pulumi from "@pulumi/pulumi";

/** What an `auth0.Organization` is to this package: a resource whose ID is the `org_...`. */
export interface OrganizationResource extends pulumi.CustomResource {
  readonly name: pulumi.Output<string>;
  readonly displayName: pulumi.Output<string | undefined>;
}

/** What an `auth0.Role` is to this package: a resource whose ID is the `rol_...`. */
export interface RoleResource extends pulumi.CustomResource {
  readonly name: pulumi.Output<string>;
  readonly description: pulumi.Output<string>;
}

/** What an `auth0.User` is to this package: a resource whose ID is the user ID (`auth0|...`). */
export interface UserResource extends pulumi.CustomResource {
  readonly userId: pulumi.Output<string>;
  readonly connectionName: pulumi.Output<string>;
}

/** An `auth0.OrganizationMember`: one user joining one organization. */
export interface OrganizationMemberResource extends pulumi.CustomResource {
  readonly organizationId: pulumi.Output<string>;
  readonly userId: pulumi.Output<string>;
}

/** An `auth0.OrganizationMembers`: the users of one organization. */
export interface OrganizationMembersResource extends pulumi.CustomResource {
  readonly organizationId: pulumi.Output<string>;
  readonly members: pulumi.Output<string[]>;
}

/** An organization: an `auth0.Organization`, or its ID (`org_...`). */
export type OrganizationRef = OrganizationResource | pulumi.Input<string>;

/** A role: an `auth0.Role`, a role ID (`rol_...`) or a role name (resolved at preview). */
export type RoleRef = RoleResource | pulumi.Input<string>;

/** A user: an `auth0.User`, a user ID (`auth0|...`) or an email (resolved at preview). */
export type UserRef = UserResource | pulumi.Input<string>;

/** A membership declared in the same program: its users join the organization before roles are assigned. */
export type Membership = OrganizationMemberResource | OrganizationMembersResource;

/**
 * A grant that ends: the member holds `role` until `until` (an ISO 8601 instant with a zone); from then on
 * the preview shows it leaving, marked `expired`, and `up` removes it.
 *
 * @example
 * { "auth0|69e9cd6013e3dca66bfbca39": ["viewer", { role: "admin", until: "2026-12-31T18:00:00Z" }] }
 */
export interface ExpiringGrant {
  role: RoleRef;
  until: pulumi.Input<string>;
}

/** One member and its roles, for members given as resources (a map cannot be keyed by an `auth0.User`). */
export interface MemberEntry {
  user: UserRef;
  roles: Array<RoleRef | ExpiringGrant>;
}

/**
 * Members → roles: a map keyed by user ID or email (as stack config writes it), or a list of entries whose
 * users and roles may be `@pulumi/auth0` resources.
 */
export type MembersInput =
  | pulumi.Input<Record<string, pulumi.Input<pulumi.Input<string | ExpiringGrant>[]>>>
  | Record<string, Array<RoleRef | ExpiringGrant>>
  | MemberEntry[];

/** A custom resource's ID, whatever package declares it: structural, so `@pulumi/auth0` is never loaded. */
function idOf(ref: pulumi.CustomResource | pulumi.Input<string>): pulumi.Input<string> {
  return pulumi.CustomResource.isInstance(ref) ? ref.id : ref;
}

/**
 * The organization ID an input names (an `auth0.Organization`'s ID is its `org_...`).
 *
 * @example
 * organizationIdOf(new auth0.Organization("acme", { name: "acme" })); // its id, an Output
 */
export const organizationIdOf = (ref: OrganizationRef): pulumi.Input<string> => idOf(ref);

/** A role's ID, or the reference as written (an ID, or a name the provider resolves). */
export const roleIdOf = (ref: RoleRef): pulumi.Input<string> => idOf(ref);

/** A user's ID (an `auth0.User`'s ID is its user ID, `auth0|...`), or the reference as written. */
export const userIdOf = (ref: UserRef): pulumi.Input<string> => idOf(ref);

const hasResource = (values: readonly unknown[]) => values.some((v) => pulumi.CustomResource.isInstance(v));

/**
 * The `members` input in the map form the provider stores. A map without resources is passed on unchanged
 * (its secrecy and values exactly as given); resources become their IDs, which carry the dependency on them.
 * A user listed twice is an error: which roles it should hold would depend on the order.
 *
 * @example
 * membersMap([{ user: ada, roles: [admin, "rol_0123456789abcdef"] }]); // Output<{ "auth0|...": [...] }>
 */
export function membersMap(members: MembersInput): pulumi.Input<Record<string, pulumi.Input<string>[]>> {
  if (Array.isArray(members)) {
    const entries = members.map((e) =>
      pulumi.all([userIdOf(e.user), pulumi.all(e.roles.map((r) => roleIdOf(r as RoleRef)))]),
    );
    return pulumi.all(entries).apply((pairs) => {
      const map: Record<string, string[]> = {};
      for (const [user, roles] of pairs) {
        if (user in map)
          throw new Error(`members lists ${user} twice: list each member once, with all its roles`);
        map[user] = roles;
      }
      return map;
    });
  }
  if (pulumi.Output.isInstance(members) || members instanceof Promise || typeof members !== "object")
    return members as pulumi.Input<Record<string, pulumi.Input<string>[]>>;
  const lists = Object.values(members);
  if (!lists.some((roles) => Array.isArray(roles) && hasResource(roles)))
    return members as Record<string, pulumi.Input<string>[]>;
  return Object.fromEntries(
    Object.entries(members).map(([user, roles]) => [
      user,
      Array.isArray(roles) ? roles.map((r) => roleIdOf(r as RoleRef)) : roles,
    ]),
  ) as Record<string, pulumi.Input<string>[]>;
}

/** The user IDs one membership resource makes members of its organization. */
function usersOf(m: Membership): pulumi.Output<string[]> {
  // By shape: OrganizationMember has `userId`, OrganizationMembers has `members`.
  if ("userId" in m && m.userId !== undefined) return m.userId.apply((u) => [u]);
  if ("members" in m && m.members !== undefined) return m.members.apply((list) => list ?? []);
  throw new Error(
    "memberships takes auth0.OrganizationMember and auth0.OrganizationMembers resources (a userId or members output)",
  );
}

/**
 * The users the `memberships` make members of `organizationId`, sorted: the provider's preview validation takes
 * them as joining rather than as non-members. Memberships of another organization are left out. The output
 * depends on every membership, and is not known at preview while one of them is being created with
 * unknown outputs; the preview then holds no non-member against the change, and `up` checks them all.
 */
export function joiningUsers(
  organizationId: pulumi.Input<string>,
  memberships: readonly Membership[],
): pulumi.Output<string[]> {
  const declared = memberships.map((m) => pulumi.all([m.organizationId, usersOf(m)]));
  return pulumi
    .all([organizationId, pulumi.all(declared)])
    .apply(([org, list]) =>
      [...new Set(list.filter(([o]) => o === org).flatMap(([, users]) => users))].sort(),
    );
}
