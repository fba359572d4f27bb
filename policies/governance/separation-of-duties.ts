import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { groupAssignments, resourcesOf, stackAssignments, totalsByMember } from "../assignments";
import { memberRoleClasses } from "../auth0-classes";
import { unknownKeys, unmatchedRoles } from "./config-check";
import { isRole, memberLabel, stackFacts } from "./stack-facts";

export interface SeparationConfig {
  /** Pairs of roles (IDs or names) no member may hold together in one organization. */
  pairs?: Array<[string, string]>;
}

const schema: PolicyConfigSchema = {
  properties: {
    pairs: {
      type: "array",
      items: { type: "array", items: { type: "string" }, minItems: 2, maxItems: 2 },
      default: [],
    },
  },
};

/**
 * Mandatory (configurable): no member holds both roles of a configured pair in one organization, counting
 * what every resource of the stack grants it (ours and @pulumi/auth0's; a grant that has ended no longer
 * counts) and what the preview read it holds through the organization's groups (`groupRoles`), which no
 * resource here removes. Off until `pairs` lists one.
 */
export const separationOfDuties: StackValidationPolicy = {
  name: "separation-of-duties",
  description: "Blocks a member holding both roles of a configured pair (separation of duties).",
  enforcementLevel: "mandatory",
  configSchema: schema,
  validateStack: (args, report) => {
    const config = args.getConfig<SeparationConfig>();
    for (const problem of unknownKeys("separation-of-duties", config, ["pairs"])) report(problem);
    const pairs = config.pairs ?? [];
    if (pairs.length === 0) return;
    const facts = stackFacts(args.resources);
    for (const problem of unmatchedRoles("separation-of-duties", "pairs", facts, pairs.flat()))
      report(problem);
    for (const [a, b] of pairs)
      if (a === b)
        report(
          `Policy config of separation-of-duties: the pair ["${a}", "${b}"] names one role twice, which would forbid the role itself; a pair names two different roles.`,
        );
    const assignments = [
      ...stackAssignments(args.resources, memberRoleClasses),
      ...groupAssignments(args.resources),
    ];
    for (const t of totalsByMember(assignments))
      for (const [a, b] of pairs.filter(([x, y]) => x !== y)) {
        const holds = (ref: string) => t.roleIds.some((r) => isRole(facts, ref, r));
        if (holds(a) && holds(b))
          report(
            `Organization ${t.organizationId}, member ${memberLabel(t)} would hold both ${a} and ${b}, which separation of duties forbids together (resources: ${resourcesOf(t)}). Remove one of the two roles.`,
          );
      }
  },
};
