import { GROUP_PREVIEW_NEEDS, GROUP_WRITE_NEEDS } from "../api/scopes";
import { mapAll } from "../client/concurrency";
import { isGone, withAdvice } from "../client/errors";
import {
  type CheckFailure,
  checkHolderInputs,
  type DesiredState,
  type HolderInputs,
  holderInputs,
  type MemberRoles,
} from "../model/desired";
import { groupIdProblem } from "../model/ids";
import { groupMapProblems, PROVIDER_VALUES, shapeFailures } from "../model/input-shapes";
import { recordedOf } from "../model/stored-state";
import { changedMembers } from "../model/validate";
import { GROUP_NAMES } from "../pulumi/tokens";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import { type Holders, type KindCheck, type ResourceKind, withoutProvider } from "./kind";
import type { LiveRoles } from "./live-roles";
import { requireScopes } from "./scope-gate";

/** Where OrgGroupRoles keeps its group map and its secret flag (stored names). */
const NAMES = GROUP_NAMES;

/** OrgGroupRoles' inputs: group IDs to role IDs (no names, no ends). */
const GROUP_INPUTS: HolderInputs = holderInputs({
  names: NAMES,
  keyProblem: groupIdProblem,
  roleError: "is not a role ID like rol_0123456789abcdef: OrgGroupRoles takes role IDs, not names",
  mapError: 'must map group IDs to lists of role IDs, e.g. { "grp_abc": ["rol_..."] }',
  overCap: (property, count, cap) =>
    `${property} declares ${count} roles; a group may hold at most ${cap} role assignments per enterprise group (orgMemberRoles:groupRoleCap; by default Auth0's entity-limit policy's 10). Declare fewer roles for this group, or give the others to its members directly with OrgMemberRoles.`,
  memberInputs: false,
});

/** Organization groups: `.../groups/{group}/roles`. */
const GROUPS: Holders = {
  noun: "group",
  gone: "group",
  writes: GROUP_WRITE_NEEDS,
  add: (c, org, id, roles) => c.writeGroupRoles("addGroupRoles", org, id, roles),
  remove: (c, org, id, roles) => c.writeGroupRoles("removeGroupRoles", org, id, roles),
};

/** Each group's roles, one read each (no listing has them), all confirmed; a 404 group is undefined. */
export async function readGroupsLive(
  ctx: RunContext,
  organizationId: string,
  groups: readonly string[],
): Promise<LiveRoles> {
  const live: LiveRoles["live"] = {};
  const client = ctx.client();
  await mapAll(groups, ctx.settings.concurrency, async (g) => {
    try {
      live[g] = (await client.listGroupRoles(organizationId, g)).map((r) => r.id).sort();
    } catch (err) {
      if (!isGone(err, "group")) throw err;
      live[g] = undefined;
    }
  });
  return { live, confirmed: new Set(groups), groupHeld: {} };
}

/** What the tenant would reject for the changing groups; reads only those and the roles they gain. */
export async function validateGroups(
  ctx: RunContext,
  recorded: MemberRoles | undefined,
  desired: DesiredState,
): Promise<CheckFailure[]> {
  const changed = changedMembers(recorded, desired.holders);
  const groups = Object.keys(changed.members).sort();
  if (groups.length === 0 || isUnknown(desired.organizationId)) return [];
  const org = desired.organizationId;
  const [{ live }, role] = await Promise.all([
    readGroupsLive(ctx, org, groups),
    ctx.reads.roleFacts(Object.values(changed.added).flat()),
  ]);
  const failures: CheckFailure[] = [];
  for (const g of groups) {
    const property = `${NAMES.map}[${JSON.stringify(g)}]`;
    if (live[g] === undefined) {
      failures.push({
        property,
        reason: `${property}: organization ${org} has no group ${g}. Check the group ID (Dashboard > Organizations > Groups); groups come from the enterprise connection's SCIM provisioning.`,
      });
      continue;
    }
    // Either mode keeps a role the preview does not show leaving (a create adopts and removes nothing).
    const declared = changed.members[g] ?? [];
    const kept = live[g]!.filter((r) => !(changed.leaving[g] ?? []).includes(r) && !declared.includes(r));
    const after = new Set([...kept, ...declared]);
    if (after.size > ctx.settings.groupRoleCap)
      failures.push({
        property,
        reason: `${property}: group ${g} would hold ${after.size} roles in ${org} (${kept.length} it holds beside those declared), over the ${ctx.settings.groupRoleCap} role assignments per enterprise group allowed (orgMemberRoles:groupRoleCap; by default Auth0's entity-limit policy's 10). Declare fewer roles, or remove the others from the group first.`,
      });
    for (const r of changed.added[g] ?? []) {
      const fact = role(r);
      if (!fact)
        failures.push({
          property,
          reason: `${property}: role ${r} does not exist in the tenant. Check the role ID, or create the role first.`,
        });
      else if (fact.type === "organization" && fact.owner_id && fact.owner_id !== org)
        failures.push({
          property,
          reason: `${property}: role ${r} ("${fact.name}") belongs to organization ${fact.owner_id}; group ${g} is in ${org}. Use a tenant role or one of ${org}'s own.`,
        });
    }
  }
  return failures;
}

/**
 * OrgGroupRoles' `check`. Claims are keyed by group ID beside members' user IDs (claims.ts), so a group
 * moved to another OrgGroupRoles keeps what that one declares.
 */
async function checkGroups(
  ctx: RunContext,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<KindCheck> {
  const shapes = groupMapProblems(news[NAMES.map], [NAMES.map], PROVIDER_VALUES);
  if (shapes.length > 0) return { failures: shapeFailures(shapes) };
  const outcome = checkHolderInputs(withoutProvider(news), GROUP_INPUTS, ctx.settings.groupRoleCap);
  if (!outcome.ok) return { failures: outcome.failures };
  const desired = outcome.desired;
  const old = recordedOf(olds, NAMES);
  const sameOrg = old.organizationId === desired.organizationId;
  const recorded = sameOrg ? old.holders : undefined;
  const before = sameOrg && old.mode === desired.mode ? recorded : undefined;
  ctx.claims.claim(desired, (g) => before !== undefined && g in before);
  if (ctx.settings.previewValidation) {
    await requireScopes(ctx, `Reads of group roles in ${desired.organizationId}`, GROUP_PREVIEW_NEEDS);
    try {
      const failures = await validateGroups(ctx, recorded, desired);
      if (failures.length > 0) return { failures };
    } catch (err) {
      const advice = `While validating the groups of ${desired.organizationId} against the tenant. To preview without reading the tenant, set orgMemberRoles:previewValidation to false; the tenant then checks the change only during \`pulumi up\`.`;
      withAdvice(err, advice);
    }
  }
  return { desired };
}

/** OrgGroupRoles: groups' roles under `groups`, read one group at a time (no run cache to bypass). */
export const GROUP_KIND: ResourceKind = {
  ...NAMES,
  holders: GROUPS,
  inputs: GROUP_INPUTS,
  cap: (settings) => settings.groupRoleCap,
  check: checkGroups,
  readLive: (ctx, org, ids) => readGroupsLive(ctx, org, ids),
  readFresh: (ctx, org, ids) => readGroupsLive(ctx, org, ids),
  writeNeeds: () => ({ ...GROUP_PREVIEW_NEEDS, ...GROUP_WRITE_NEEDS }),
  validate: async (ctx, recorded, desired) => ({
    failures: await validateGroups(ctx, recorded, desired),
    nonMembers: [],
  }),
};
