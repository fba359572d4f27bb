/** Names and values the Pulumi engine and other Pulumi packages give things: type tokens, the unknown value. */

/** Module and type of the dynamic resource: its type token is `pulumi-nodejs:dynamic/auth0:OrgMemberRoles`. */
export const RESOURCE_MODULE = "auth0";

export const RESOURCE_TYPE = "OrgMemberRoles";

export const RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}`;

/** Type tokens of @pulumi/auth0's bridged member-role resources (they add up on the same member). */
export const AUTH0_ORGANIZATION_MEMBER_ROLES_TOKEN =
  "auth0:index/organizationMemberRoles:OrganizationMemberRoles";

export const AUTH0_ORGANIZATION_MEMBER_ROLE_TOKEN =
  "auth0:index/organizationMemberRole:OrganizationMemberRole";

/** The value Pulumi substitutes for inputs not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
