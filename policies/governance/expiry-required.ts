import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { parseInstant } from "../../src/model/expiry";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { stackAssignments, totalsByMember } from "../assignments";
import { memberRoleClasses } from "../auth0-classes";
import { unknownKeys, unmatchedRoles } from "./config-check";
import { endsOf, isRole, memberLabel, stackFacts } from "./stack-facts";

export interface ExpiryRequiredConfig {
  /** Roles (IDs or names) that may only be granted with an end. */
  roles?: string[];
  /** The end may be at most this many days away. */
  maxDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const schema: PolicyConfigSchema = {
  properties: {
    roles: { type: "array", items: { type: "string" }, default: [] },
    maxDays: { type: "number", exclusiveMinimum: 0, default: 30 },
  },
};

/**
 * Mandatory (configurable): the listed roles are granted only with an end (`{ role, until }`), at most
 * `maxDays` away. @pulumi/auth0's resources cannot carry an end, so a listed role granted by one fails.
 * `now` is the pack's clock (a parameter for tests).
 */
export function expiryRequiredPolicy(now: () => number = Date.now): StackValidationPolicy {
  return {
    name: "expiry-required",
    description: "Blocks grants of listed roles without an end, or with an end too far away.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: (args, report) => {
      const config = args.getConfig<ExpiryRequiredConfig>();
      for (const problem of unknownKeys("expiry-required", config, ["roles", "maxDays"])) report(problem);
      const listed = config.roles ?? [];
      if (listed.length === 0) return;
      const maxDays = config.maxDays ?? 30;
      const facts = stackFacts(args.resources);
      for (const problem of unmatchedRoles("expiry-required", "roles", facts, listed)) report(problem);
      const ends = new Map(args.resources.map((r) => [r.urn, endsOf(r)]));
      const ours = new Set(args.resources.filter((r) => r.type === RESOURCE_TYPE_TOKEN).map((r) => r.urn));
      for (const t of totalsByMember(stackAssignments(args.resources, memberRoleClasses)))
        for (const a of t.assignments)
          for (const roleId of a.roleIds) {
            const ref = listed.find((l) => isRole(facts, l, roleId));
            if (ref === undefined) continue;
            const who = `Organization ${t.organizationId}, member ${memberLabel(t)}, role ${ref} (resource ${a.resource})`;
            const end = parseInstant(ends.get(a.urn)?.[t.userId]?.[roleId]);
            if (!ours.has(a.urn))
              report(
                `${who}: must be granted with an end, which only OrgMemberRoles can carry; declare it there as { role, until }.`,
              );
            else if (end === undefined)
              report(
                `${who}: must be granted with an end; declare it as { role, until } at most ${maxDays} days away.`,
              );
            else if (end - now() > maxDays * DAY_MS)
              // A secret map's ends are secret too (stored encrypted): the message names no instant then.
              report(
                `${who}: ends ${a.secret ? "" : `${new Date(end).toISOString()}, `}more than ${maxDays} days away; give an end within ${maxDays} days.`,
              );
          }
    },
  };
}

export const expiryRequired = expiryRequiredPolicy();
