/**
 * Auth0 Organization member roles as code for Pulumi.
 *
 * @example
 * import { OrgMemberRoles } from "pulumi-auth0-org-member-roles";
 * new OrgMemberRoles("acme", { organizationId: "org_0123456789abcdef", members: { "auth0|abc": ["rol_0123456789abcdef"] } });
 */

export type { MemberRoles, OwnershipMode } from "../src/model/desired";
export { GROUP_RESOURCE_TYPE_TOKEN, RESOURCE_TYPE_TOKEN } from "../src/pulumi/tokens";
export type {
  ExpiringGrant,
  MemberEntry,
  Membership,
  MembersInput,
  OrganizationRef,
  RoleRef,
  UserRef,
} from "./auth0-inputs";
export { declareOrganizations } from "./from-config";
export { OrgGroupRoles, type OrgGroupRolesArgs } from "./org-group-roles";
export {
  type OrganizationArg,
  OrgMemberRoles,
  type OrgMemberRolesArgs,
  type OrgMemberRolesInputs,
} from "./org-member-roles";
export type { OrganizationsConfig } from "./organizations-config";
export { type Shard, shardOf } from "./shards";
