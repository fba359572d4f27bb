import type * as pulumi from "@pulumi/pulumi";
import { GROUP_PREVIEW_NEEDS } from "../../api/scopes";
import { withAdvice } from "../../client/errors";
import type { MemberRoles } from "../../model/desired";
import { checkGroupInputs } from "../../model/group-desired";
import { groupMapProblems, PROVIDER_VALUES, shapeFailures } from "../../model/input-shapes";
import type { RunContext } from "../context";
import { withoutProvider } from "../outputs";
import { requireScopes } from "../scope-gate";
import { validateGroups } from "./kind";
import { asGroups } from "./props";

/**
 * OrgGroupRoles' `check`: shapes, then (preview validation on) what the tenant would reject for the groups
 * that change. Records what the resource declares in the run's claims, keyed by group ID beside members'
 * user IDs (claims.ts): a group moved to another OrgGroupRoles keeps what that one declares.
 */
export async function checkGroups(
  ctx: RunContext,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const shapes = groupMapProblems(news["groups"], ["groups"], PROVIDER_VALUES);
  if (shapes.length > 0) return { inputs: news, failures: shapeFailures(shapes) };
  const outcome = checkGroupInputs(withoutProvider(news), ctx.settings.groupRoleCap);
  if (!outcome.ok) return { inputs: news, failures: outcome.failures };
  const desired = outcome.desired;
  const sameOrg = olds["organizationId"] === desired.organizationId;
  const recorded = sameOrg ? (olds["groups"] as MemberRoles | undefined) : undefined;
  const before = sameOrg && olds["mode"] === desired.mode ? recorded : undefined;
  ctx.claims.claim(desired, (g) => before !== undefined && g in before);
  if (ctx.settings.previewValidation) {
    await requireScopes(ctx, `Reads of group roles in ${desired.organizationId}`, GROUP_PREVIEW_NEEDS);
    try {
      const failures = await validateGroups(ctx, recorded, desired);
      if (failures.length > 0) return { inputs: news, failures };
    } catch (err) {
      const advice = `While validating the groups of ${desired.organizationId} against the tenant. To preview without reading the tenant, set orgMemberRoles:previewValidation to false; the tenant then checks the change only during \`pulumi up\`.`;
      withAdvice(err, advice);
    }
  }
  return { inputs: asGroups({ ...desired }) };
}
