import type { StackValidationPolicy } from "@pulumi/policy";
import { resourceCount, resourcesOf, stackAssignments, totalsByMember } from "./assignments";
import { memberRoleClasses } from "./auth0-classes";

/**
 * Mandatory: a member's roles in an organization are owned by one authoritative resource. Two resources that
 * manage the same (organization, user), at least one of them authoritative, would undo each other on every
 * `up`. Several additive ones (or @pulumi/auth0 OrganizationMemberRole, one role each) may share a member.
 */
export const oneOwnerPerMember: StackValidationPolicy = {
  name: "one-owner-per-member",
  description:
    "Blocks two resources managing the same organization member's roles when one of them is authoritative.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const assignments = stackAssignments(args.resources, memberRoleClasses);
    for (const t of totalsByMember(assignments)) {
      const count = resourceCount(t);
      if (count > 1 && t.assignments.some((a) => a.authoritative))
        report(
          `Organization ${t.organizationId}, user ${t.shown} is managed by ${count} resources (${resourcesOf(t)}), at least one authoritative: they would undo each other. Keep the member in one resource, or make the others additive.`,
        );
    }
  },
};
