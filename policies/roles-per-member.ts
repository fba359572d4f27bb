import {
  type PolicyConfigSchema,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { AUTH0_DOCUMENTED_ROLE_CAP, POLICY_ROLE_CAP } from "../src/api/limits";
import { RESOURCE_TYPE_TOKEN } from "../src/pulumi/tokens";
import {
  bulkAssignment,
  type MemberAssignment,
  type MemberTotal,
  ourAssignments,
  resourceCount,
  resourcesOf,
  stackAssignments,
  totalsByMember,
} from "./assignments";
import { type MemberRoleClasses, memberRoleClasses } from "./auth0-classes";

export interface RoleLimitConfig {
  maxRolesPerMember?: number;
}

const limitSchema = (defaultLimit: number): PolicyConfigSchema => ({
  properties: { maxRolesPerMember: { type: "integer", minimum: 1, default: defaultLimit } },
});

function describe(total: MemberTotal, limit: number, what: string): string {
  return `Organization ${total.organizationId}, user ${total.shown}: ${total.roleIds.length} roles, ${what} ${limit} (resources: ${resourcesOf(total)}).`;
}

/** Members over `limit` in one list of totals; also the ones that could cross it once unknowns resolve. */
export function overLimit(totals: readonly MemberTotal[], limit: number) {
  return {
    over: totals.filter((t) => t.roleIds.length > limit),
    maybe: totals.filter((t) => t.roleIds.length <= limit && t.roleIds.length + t.unknownRoles > limit),
  };
}

function unknownNote(t: MemberTotal, limit: number): string {
  return `Organization ${t.organizationId}, user ${t.shown}: ${t.roleIds.length} known roles and ${t.unknownRoles} not known until apply could exceed ${limit}; the policy checks again during \`pulumi up\`, when they are known.`;
}

/** Reports, for one resource's assignments, the members over the configured limit. */
function judgeOne(assignments: MemberAssignment[], args: ResourceValidationArgs, report: ReportViolation) {
  const limit = args.getConfig<RoleLimitConfig>().maxRolesPerMember ?? POLICY_ROLE_CAP;
  const { over, maybe } = overLimit(totalsByMember(assignments), limit);
  for (const t of over)
    report(`${describe(t, limit, "over the limit of")} Declare at most ${limit} roles for this member.`);
  for (const t of maybe) report(unknownNote(t, limit));
}

/**
 * The per-resource validation: ours by type token (a dynamic resource has no class `validateResourceOfType`
 * could match), and @pulumi/auth0's OrganizationMemberRoles by its class, with its properties typed by the
 * package. OrganizationMemberRole assigns one role: alone it cannot pass a limit. One function, and the typed
 * one called only on its own type: a validation that declares itself not applicable to a resource makes the
 * engine report the whole policy not applicable there (not passed), which the pull-request summary shows.
 */
export function perResourceValidation(classes: MemberRoleClasses | undefined): ResourceValidation {
  const theirs =
    classes &&
    validateResourceOfType(classes.OrganizationMemberRoles, (props, args, report) =>
      judgeOne([bulkAssignment(args, props)], args, report),
    );
  return (args, report) => {
    if (args.type === RESOURCE_TYPE_TOKEN) judgeOne(ourAssignments(args, args.props), args, report);
    else if (theirs && classes && args.isType(classes.OrganizationMemberRoles)) return theirs(args, report);
  };
}

/**
 * Mandatory: no member may be assigned more than `maxRolesPerMember` roles (default `POLICY_ROLE_CAP`, 100) by one resource.
 * Fails at preview, before anything reaches the tenant.
 *
 * @example
 * new PolicyPack("p", { policies: [rolesPerMember] });
 */
export const rolesPerMember: ResourceValidationPolicy = {
  name: "roles-per-member",
  description: `Blocks more than ${POLICY_ROLE_CAP} roles per organization member (Auth0 answers 409 past its cap).`,
  enforcementLevel: "mandatory",
  configSchema: limitSchema(POLICY_ROLE_CAP),
  validateResource: perResourceValidation(memberRoleClasses),
};

/**
 * Mandatory: the same member's roles add up across resources (ours and @pulumi/auth0's). Catches totals
 * spread over several resources that no single resource shows.
 */
export const rolesPerMemberInStack: StackValidationPolicy = {
  name: "roles-per-member-in-stack",
  description: `Blocks more than ${POLICY_ROLE_CAP} roles per organization member across all resources of the stack.`,
  enforcementLevel: "mandatory",
  configSchema: limitSchema(POLICY_ROLE_CAP),
  validateStack: (args, report) => {
    const limit = args.getConfig<RoleLimitConfig>().maxRolesPerMember ?? POLICY_ROLE_CAP;
    const assignments = stackAssignments(args.resources, memberRoleClasses);
    const spread = totalsByMember(assignments).filter((t) => resourceCount(t) > 1);
    for (const t of overLimit(spread, limit).over)
      report(
        `${describe(t, limit, "over the limit of")} Together these resources assign too many; remove roles from one of them.`,
      );
  },
};

/**
 * Advisory by default: Auth0's current entity-limit page says 50 role assignments per organization member;
 * the tenant may reject more. Set `enforcementLevel: disabled` or another limit in the pack's config.
 */
export const auth0DocumentedRoleLimit: StackValidationPolicy = {
  name: "auth0-documented-role-limit",
  description: `Warns when a member holds more than ${AUTH0_DOCUMENTED_ROLE_CAP} roles, the limit on Auth0's entity-limit page.`,
  enforcementLevel: "advisory",
  configSchema: limitSchema(AUTH0_DOCUMENTED_ROLE_CAP),
  validateStack: (args, report) => {
    const limit = args.getConfig<RoleLimitConfig>().maxRolesPerMember ?? AUTH0_DOCUMENTED_ROLE_CAP;
    const assignments = stackAssignments(args.resources, memberRoleClasses);
    for (const t of overLimit(totalsByMember(assignments), limit).over)
      report(
        `${describe(t, limit, "more than the")} Auth0's entity-limit page allows per organization member; the tenant may answer 409.`,
      );
  },
};
