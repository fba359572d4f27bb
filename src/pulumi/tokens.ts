/** Names and values the Pulumi engine and other Pulumi packages give things: type tokens, the unknown value. */

/** Module and type of the dynamic resource: its type token is `pulumi-nodejs:dynamic/auth0:OrgMemberRoles`. */
export const RESOURCE_MODULE = "auth0";

export const RESOURCE_TYPE = "OrgMemberRoles";

export const RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}`;

/** OrgGroupRoles' type token: `pulumi-nodejs:dynamic/auth0:OrgGroupRoles`. */
export const GROUP_RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:OrgGroupRoles`;

/** The value Pulumi substitutes for inputs not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
