import { type Needs, PREVIEW_NEEDS } from "../api/scopes";
import { type CheckFailure, checkInputs, type DesiredState, type MemberRoles } from "../model/desired";
import { endsByIds, expiryProps, planExpiry, repeatedEnds } from "../model/expiry";
import { ORGANIZATION_ID } from "../model/ids";
import { memberMapProblems, PROVIDER_VALUES, shapeFailures } from "../model/input-shapes";
import {
  isEmail,
  isEmptyResolution,
  isRoleName,
  type Resolution,
  resolveNames,
  unresolvedNames,
} from "../model/names";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import { type GroupRoleRead, groupRolesOfChange } from "./group-grants";
import { type KindCheck, withoutProvider } from "./kind";
import { scopeGate } from "./scope-gate";
import { validate } from "./validation";

/**
 * OrgMemberRoles' `check`: names to IDs, shapes, then (preview validation on) what the tenant would reject, so that a green
 * preview means a green up. Records what the resource declares in the run's claims: every resource of the
 * program is checked before any resource that left it is deleted (claims.ts).
 */
export async function checkMembers(
  ctx: RunContext,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<KindCheck> {
  // `expired` is the program's placeholder (it makes the value a secret when `members` is); check computes it.
  const { expired: _placeholder, ...given } = withoutProvider(news);
  // Shapes first, with no call: a misshapen map would be resolved (or read) as something else, and its
  // problems named by the resolved IDs instead of the paths the program wrote.
  const shapes = memberMapProblems(given["members"], ["members"], PROVIDER_VALUES);
  if (shapes.length > 0) return { failures: shapeFailures(shapes) };
  // Before the first call, whichever makes it: every scope this check may need, named at once if missing.
  const gate = scopeGate(
    ctx,
    `Reads of member roles in ${String(given["organizationId"])}`,
    previewNeeds(ctx, given),
  );
  const named = await resolveDeclaration(ctx, olds, given, gate);
  if ("failures" in named) return { failures: named.failures };
  const outcome = checkInputs(named.inputs, ctx.settings.roleCap);
  if (!outcome.ok) return { failures: outcome.failures };
  const expiry = checkExpiry(ctx, olds, named.inputs, outcome.desired);
  if ("failures" in expiry) return { failures: expiry.failures };
  const desired = expiry;
  const sameOrg = olds["organizationId"] === desired.organizationId;
  const before =
    sameOrg && olds["mode"] === desired.mode ? (olds["members"] as MemberRoles | undefined) : undefined;
  ctx.claims.claim(desired, (userId) => before !== undefined && userId in before);
  let joining: string[] = [];
  let groups: GroupRoleRead = {};
  if (ctx.settings.previewValidation) {
    const { failures, nonMembers } = await validate(
      ctx,
      sameOrg ? (olds["members"] as MemberRoles) : undefined,
      desired,
      {
        mode: isUnknown(news["mode"]),
        addMissingMembers: isUnknown(news["addMissingMembers"]),
        joining: joiningOf(news["joiningMembers"]),
      },
      gate,
    );
    if (failures.length > 0) return { failures };
    joining = nonMembers;
    // Shown, never written: what changing members also hold through a group (group-grants.ts).
    groups = await groupRolesOfChange(ctx, sameOrg ? (olds["members"] as MemberRoles) : undefined, desired);
  }
  // Memberships added before stay listed (also with validation off, when who joins is known only in up).
  const recordedJoins = sameOrg ? (olds["addedMembers"] as string[] | undefined) : undefined;
  return {
    desired: withJoins(desired, recordedJoins, joining),
    props: {
      ...(groups.roles ? { groupRoles: groups.roles } : {}),
      ...(groups.unread ? { groupRolesUnread: groups.unread } : {}),
    },
  };
}

/**
 * What this check may read: names to resolve (emails, role names), and with preview validation on the
 * changing members' roles and the roles they gain. Checked against the token before the first call.
 */
function previewNeeds(ctx: RunContext, given: Record<string, unknown>): Needs {
  const members = given["members"];
  const entries =
    members !== null && typeof members === "object" && !Array.isArray(members) ? Object.entries(members) : [];
  const emails = entries.some(([key]) => isEmail(key));
  const roleNames = entries.some(([, roles]) => Array.isArray(roles) && roles.some(isRoleName));
  const { usersByEmail, listRoles, ...reads } = PREVIEW_NEEDS;
  return {
    ...(emails ? { usersByEmail } : {}),
    ...(roleNames || ctx.settings.previewValidation ? { listRoles } : {}),
    ...(ctx.settings.previewValidation ? reads : {}),
  };
}

/**
 * The users whose membership another resource of the program creates (the component's `joiningMembers`), or
 * "pending" when that list is not known yet (another resource's output at preview): then no non-member is
 * held against the change at preview, and `up` checks every one before its first write.
 */
function joiningOf(value: unknown): ReadonlySet<string> | "pending" | undefined {
  if (isUnknown(value) || (Array.isArray(value) && value.some(isUnknown))) return "pending";
  return Array.isArray(value) ? new Set(value.filter((u): u is string => typeof u === "string")) : undefined;
}

/** `addedMembers` grows by the users this change adds to the organization, so the preview shows them joining. */
function withJoins(
  desired: DesiredState,
  before: readonly string[] | undefined,
  joining: readonly string[],
): DesiredState {
  const added = [...new Set([...(before ?? []), ...(desired.addMissingMembers ? joining : [])])].sort();
  const { addedMembers: _previous, ...rest } = desired;
  return added.length > 0 ? { ...rest, addedMembers: added } : rest;
}

/** The checked inputs of diff, create and update, which the engine passes as it got them from check. */
export function desiredFrom(ctx: RunContext, inputs: Record<string, unknown>): DesiredState {
  const outcome = checkInputs(withoutProvider(inputs), ctx.settings.roleCap);
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join("\n"));
  return { ...outcome.desired, ...expiryProps(inputs) };
}

/**
 * Resolves the emails and role names of a declaration (model/names.ts), reading only those the previous
 * resolution (the recorded inputs, same organization) does not have. A declaration by IDs reads nothing.
 */
export async function resolveDeclaration(
  ctx: RunContext,
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
  /** Awaited before the first call (the check's scope gate). */
  beforeCalls: () => Promise<void> = async () => {},
): Promise<{ inputs: Record<string, unknown> } | { failures: CheckFailure[] }> {
  // `resolved` and `addedMembers` are placeholders from the program (check computes them); at preview they
  // may even be unknown.
  const { resolved: _placeholder, addedMembers: _computed, ...rest } = inputs;
  const sameOrg = olds["organizationId"] === rest["organizationId"];
  const previous = sameOrg ? (olds["resolved"] as Resolution | undefined) : undefined;
  const members = rest["members"];
  const usesNames =
    members !== null &&
    typeof members === "object" &&
    Object.entries(members as Record<string, unknown>).some(
      ([key, roles]) => isEmail(key) || (Array.isArray(roles) && roles.some(isRoleName)),
    );
  // Names are looked up in a valid organization only: structural problems are reported first, with no call.
  const organizationId = rest["organizationId"];
  if (!usesNames || typeof organizationId !== "string" || !ORGANIZATION_ID.test(organizationId))
    return { inputs: rest };
  const needed = unresolvedNames(members, previous);
  if (needed.emails.length > 0 || needed.roleNames.length > 0) await beforeCalls();
  const directory =
    needed.emails.length > 0 || needed.roleNames.length > 0
      ? await ctx.reads.directory(needed.emails, needed.roleNames.length > 0 ? organizationId : undefined)
      : { usersByEmail: {}, roles: [] };
  const out = resolveNames(members as Record<string, unknown>, previous, directory, organizationId);
  if (out.failures.length > 0) return { failures: out.failures };
  return {
    inputs: {
      ...rest,
      members: out.members,
      ...(isEmptyResolution(out.resolution) ? {} : { resolved: out.resolution }),
    },
  };
}

/**
 * The run's one decision about ends: which grants have ended on the run's clock, taken out of the map and
 * listed in `expired`; `update` then applies that decision as it was shown. Grants of the recorded inputs
 * end quietly; new ends must lie ahead. An end on a role another resource of the run declares for the member
 * fails: it could not remove what that one keeps.
 */
function checkExpiry(
  ctx: RunContext,
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
  desired: DesiredState,
): DesiredState | { failures: CheckFailure[] } {
  const until = endsByIds(inputs["until"], desired.resolved);
  if (isUnknown(desired.holders)) return desired;
  const repeated = repeatedEnds(inputs["members"], until);
  if (repeated.length > 0) return { failures: repeated };
  const sameOrg = olds["organizationId"] === desired.organizationId;
  const recorded = sameOrg ? expiryProps(olds).until : undefined;
  const outcome = planExpiry(desired.holders, until, recorded, ctx.clock.now());
  if (!outcome.ok) return { failures: outcome.failures };
  // Expired grants are out of the map: they keep nothing from another resource.
  const conflicts = ctx.claims.grantConflicts(
    desired.organizationId,
    outcome.plan.members,
    outcome.plan.until,
    JSON.stringify(inputs),
  );
  if (conflicts.length > 0) return { failures: conflicts };
  const { until: ends, expired } = outcome.plan;
  const { until: _given, expired: _placeholder, ...rest } = desired;
  return {
    ...rest,
    holders: outcome.plan.members,
    ...(Object.keys(ends).length > 0 ? { until: ends } : {}),
    ...(Object.keys(expired).length > 0 ? { expired } : {}),
  };
}
