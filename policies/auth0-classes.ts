/**
 * `@pulumi/auth0`'s member-role classes, for the rules to match its resources by class (`isType`,
 * `validateResourceOfType`) and read their properties by its types. It is an optional peer dependency: the
 * pack runs without it.
 */
import type * as auth0 from "@pulumi/auth0";

/** The classes of @pulumi/auth0 whose resources assign organization member roles. */
export interface MemberRoleClasses {
  /** One member, many roles, authoritative over that member's roles. */
  OrganizationMemberRoles: typeof auth0.OrganizationMemberRoles;
  /** One member, one role. */
  OrganizationMemberRole: typeof auth0.OrganizationMemberRole;
}

const isMissing = (err: unknown) =>
  (err as NodeJS.ErrnoException)?.code === "MODULE_NOT_FOUND" &&
  String((err as Error).message).includes("'@pulumi/auth0'");

/**
 * The classes, or undefined when `@pulumi/auth0` is not installed where the pack runs (it resolves from the
 * node_modules around the pack: the project's). A program can declare its resources only with the package
 * installed in its project, so the rules then have only ours to see. Any other failure to load it is thrown:
 * a broken install must not pass as "no such resources".
 *
 * @example
 * const classes = loadMemberRoleClasses();
 * if (classes && args.isType(classes.OrganizationMemberRoles)) { ... }
 */
export function loadMemberRoleClasses(load: () => unknown = () => require("@pulumi/auth0")) {
  try {
    const pkg = load() as typeof auth0;
    return {
      OrganizationMemberRoles: pkg.OrganizationMemberRoles,
      OrganizationMemberRole: pkg.OrganizationMemberRole,
    };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** Loaded once, when the pack loads. */
export const memberRoleClasses: MemberRoleClasses | undefined = loadMemberRoleClasses();
