/**
 * The policy pack: `pulumi preview --policy-pack policies` blocks a change over Auth0's per-member role cap
 * before it reaches the tenant. Rules live in their own modules so tests call them directly.
 */
import { PolicyPack } from "@pulumi/policy";
import { effectiveRolesPerMember } from "./effective-roles-per-member";
import { oneOwnerPerGroup } from "./one-owner-per-group";
import { oneOwnerPerMember } from "./one-owner-per-member";
import { auth0DocumentedRoleLimit, rolesPerMember, rolesPerMemberInStack } from "./roles-per-member";

export const policies = [
  rolesPerMember,
  rolesPerMemberInStack,
  auth0DocumentedRoleLimit,
  effectiveRolesPerMember,
  oneOwnerPerMember,
  oneOwnerPerGroup,
];

new PolicyPack("auth0-org-member-roles", { policies });
