/** Names and values the Pulumi engine and other Pulumi packages give things: type tokens, the unknown value. */

/** Module and type of the dynamic resource: its type token is `pulumi-nodejs:dynamic/auth0:OrgMemberRoles`. */
export const RESOURCE_MODULE = "auth0";

export const RESOURCE_TYPE = "OrgMemberRoles";

export const RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}`;

/** OrgGroupRoles' type token: `pulumi-nodejs:dynamic/auth0:OrgGroupRoles`. */
export const GROUP_RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:OrgGroupRoles`;

/**
 * Where each resource keeps its holder map and the flag that marks it secret, in its inputs and outputs.
 * Stored names: existing states are read by them, so a rename needs a migration of the states.
 */
export interface HolderNames {
  map: string;
  secretFlag: string;
}

export const MEMBER_NAMES: HolderNames = { map: "members", secretFlag: "membersSecret" };

export const GROUP_NAMES: HolderNames = { map: "groups", secretFlag: "groupsSecret" };

/** The value Pulumi substitutes for inputs not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
