import type { MemberRoles } from "./desired";

/** A member whose declaration cannot be applied, found before any write. */
export interface PreflightProblem {
  userId: string;
  reason: string;
}

/**
 * Checks a first apply against what the tenant holds, before writing anything, so bad input never leaves a
 * half-applied change (a failed create records no state in Pulumi). Pure: the caller reads `live` and the
 * tenant's role IDs. Finds what Auth0 would reject member by member: not a member (404), unknown role
 * (400), over the per-member cap (409; adoption keeps roles assigned outside, so they count).
 *
 * @example
 * preflightCreate({ "auth0|a": ["rol_x"] }, { "auth0|a": undefined }, new Set(["rol_x"]), 100);
 * // [{ userId: "auth0|a", reason: "not a member of the organization ..." }]
 */
export function preflightCreate(
  desired: MemberRoles,
  live: Record<string, string[] | undefined>,
  tenantRoles: ReadonlySet<string>,
  roleCap: number,
): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const [userId, roles] of Object.entries(desired)) {
    const held = live[userId];
    if (held === undefined) {
      problems.push({
        userId,
        reason:
          "not a member of the organization (or no such user): add them to the organization first (Dashboard or POST /organizations/{id}/members), or drop them from members.",
      });
      continue;
    }
    const unknown = roles.filter((r) => !tenantRoles.has(r));
    if (unknown.length > 0)
      problems.push({
        userId,
        reason: `no such role in the tenant: ${unknown.join(", ")}. Check the role IDs (role names are not accepted).`,
      });
    const total = new Set([...held, ...roles]).size;
    if (total > roleCap)
      problems.push({
        userId,
        reason: `would hold ${total} roles (${held.length} assigned now, kept on create), over Auth0's cap of ${roleCap} per organization member: declare fewer, or remove roles assigned elsewhere first.`,
      });
  }
  return problems;
}
