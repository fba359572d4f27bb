/**
 * The policy pack: `pulumi preview --policy-pack policies` blocks a change over Auth0's per-member role cap
 * before it reaches the tenant. Rules live in their own modules so tests call them directly.
 */
import { PolicyPack } from "@pulumi/policy";
import { effectiveRolesPerMember } from "./effective-roles-per-member";
import { expiryRequired } from "./governance/expiry-required";
import { maxHolders } from "./governance/max-holders";
import { separationOfDuties } from "./governance/separation-of-duties";
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
  // Governance (issue 28): off until configured with --policy-pack-config.
  expiryRequired,
  separationOfDuties,
  maxHolders,
];

new PolicyPack("auth0-org-member-roles", { policies });
