import type { StackValidationPolicy } from "@pulumi/policy";
import { POLICY_ROLE_CAP } from "../src/api/limits";
import { groupAssignments, stackAssignments, totalsByMember } from "./assignments";
import { memberRoleClasses } from "./auth0-classes";
import { overLimit, type RoleLimitConfig } from "./roles-per-member";

/**
 * Advisory: a member's effective roles (declared directly, across the stack, and held through a group as
 * the preview read them) past `maxRolesPerMember` (default 100). Auth0 does not say whether roles held
 * through a group count toward its per-member cap (docs/auth0-api.md): the mandatory rules count direct
 * assignments, which Auth0 refuses past its cap; this one warns where groups may take a member over it.
 */
export const effectiveRolesPerMember: StackValidationPolicy = {
  name: "effective-roles-per-member",
  description: `Warns when a member's direct and group-held roles together pass ${POLICY_ROLE_CAP}.`,
  enforcementLevel: "advisory",
  configSchema: {
    properties: { maxRolesPerMember: { type: "integer", minimum: 1, default: POLICY_ROLE_CAP } },
  },
  validateStack: (args, report) => {
    const limit = args.getConfig<RoleLimitConfig>().maxRolesPerMember ?? POLICY_ROLE_CAP;
    const groups = groupAssignments(args.resources);
    if (groups.length === 0) return;
    const throughGroups = new Set(groups.map((g) => JSON.stringify([g.organizationId, g.userId])));
    const totals = totalsByMember([...stackAssignments(args.resources, memberRoleClasses), ...groups]).filter(
      (t) => throughGroups.has(JSON.stringify([t.organizationId, t.userId])),
    );
    for (const t of overLimit(totals, limit).over)
      report(
        `Organization ${t.organizationId}, user ${t.shown}: ${t.roleIds.length} roles with those held through groups, more than ${limit}. Auth0 does not document whether group-held roles count toward its per-member cap; declare fewer direct roles or review the groups.`,
      );
  },
};
