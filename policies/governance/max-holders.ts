import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { type MemberTotal, stackAssignments, totalsByMember } from "../assignments";
import { memberRoleClasses } from "../auth0-classes";
import { unknownKeys, unmatchedRoles } from "./config-check";
import { isRole, memberLabel, stackFacts } from "./stack-facts";

export interface MaxHoldersConfig {
  /** Role (ID or name) → the most members that may hold it in one organization. */
  maxHolders?: Record<string, number>;
}

const schema: PolicyConfigSchema = {
  properties: {
    maxHolders: { type: "object", additionalProperties: { type: "integer", minimum: 0 }, default: {} },
  },
};

/**
 * Mandatory (configurable): at most N members hold a role in one organization, counting every resource of
 * the stack. Off until `maxHolders` names a role.
 */
export const maxHolders: StackValidationPolicy = {
  name: "max-holders",
  description: "Blocks more members holding a role in one organization than configured.",
  enforcementLevel: "mandatory",
  configSchema: schema,
  validateStack: (args, report) => {
    const config = args.getConfig<MaxHoldersConfig>();
    for (const problem of unknownKeys("max-holders", config, ["maxHolders"])) report(problem);
    const limits = Object.entries(config.maxHolders ?? {});
    if (limits.length === 0) return;
    const facts = stackFacts(args.resources);
    for (const problem of unmatchedRoles(
      "max-holders",
      "maxHolders",
      facts,
      limits.map(([role]) => role),
    ))
      report(problem);
    const byOrg = new Map<string, MemberTotal[]>();
    for (const t of totalsByMember(stackAssignments(args.resources, memberRoleClasses)))
      byOrg.set(t.organizationId, [...(byOrg.get(t.organizationId) ?? []), t]);
    for (const [org, totals] of byOrg)
      for (const [role, limit] of limits) {
        const holders = totals.filter((t) => t.roleIds.some((r) => isRole(facts, role, r)));
        if (holders.length <= limit) continue;
        const names = holders.map((t) => memberLabel(t)).sort();
        const resources = [...new Set(holders.flatMap((t) => t.assignments.map((a) => a.resource)))].sort();
        report(
          `Organization ${org}: ${holders.length} members would hold ${role}, more than the ${limit} allowed (${names.join(", ")}; resources: ${resources.join(", ")}). Grant it to fewer members.`,
        );
      }
  },
};
