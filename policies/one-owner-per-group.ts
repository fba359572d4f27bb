import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { GROUP_NAMES, GROUP_RESOURCE_TYPE_TOKEN, MEMBER_NAMES } from "../src/pulumi/tokens";
import {
  type MemberAssignment,
  ourAssignments,
  resourceCount,
  resourcesOf,
  totalsByMember,
} from "./assignments";

/** What each OrgGroupRoles of the stack assigns, one entry per group (read as `ourAssignments` reads members). */
export function groupRoleAssignments(resources: readonly PolicyResource[]): MemberAssignment[] {
  return resources
    .filter((r) => r.type === GROUP_RESOURCE_TYPE_TOKEN)
    .flatMap((r) =>
      ourAssignments(r, {
        ...r.props,
        [MEMBER_NAMES.map]: r.props[GROUP_NAMES.map],
        [MEMBER_NAMES.secretFlag]: r.props[GROUP_NAMES.secretFlag],
      }),
    );
}

/**
 * Mandatory: an organization group's roles are owned by one authoritative OrgGroupRoles. Two resources that
 * manage the same (organization, group), one of them authoritative, would undo each other on every `up`;
 * several additive ones may share a group.
 */
export const oneOwnerPerGroup: StackValidationPolicy = {
  name: "one-owner-per-group",
  description:
    "Blocks two OrgGroupRoles managing the same organization group when one of them is authoritative.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    for (const t of totalsByMember(groupRoleAssignments(args.resources))) {
      const count = resourceCount(t);
      if (count > 1 && t.assignments.some((a) => a.authoritative))
        report(
          `Organization ${t.organizationId}, group ${t.shown} is managed by ${count} resources (${resourcesOf(t)}), at least one authoritative: they would undo each other. Keep the group in one resource, or make the others additive.`,
        );
    }
  },
};
