import { type Needs, PREVIEW_NEEDS } from "../api/scopes";
import { checkDeclaration, type NamesToRead, namesToRead } from "../model/declaration";
import type { DesiredState } from "../model/desired";
import type { TenantNames } from "../model/names";
import { recordedOf } from "../model/stored-state";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import { type GroupRoleRead, groupRolesOfChange } from "./group-grants";
import { type KindCheck, withoutProvider } from "./kind";
import { scopeGate } from "./scope-gate";
import { validate } from "./validation";

/**
 * OrgMemberRoles' `check` (offline part: model/declaration.ts). Preview validation asks the tenant too, so a
 * green preview means a green up. Claims are recorded here: every check runs before any delete (claims.ts).
 */
export async function checkMembers(
  ctx: RunContext,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<KindCheck> {
  // `expired` is the program's placeholder (secret when `members` is); check computes it.
  const { expired: _placeholder, ...given } = withoutProvider(news);
  const recorded = recordedOf(olds);
  const names = namesToRead(given, recorded);
  if ("failures" in names) return names;
  // Every scope this check may need, named at once if missing, before whichever call comes first.
  const gate = scopeGate(
    ctx,
    // Any value may stand here before the inputs are checked (`String` throws on `{ toString: null }`).
    `Reads of member roles in ${typeof given["organizationId"] === "string" ? given["organizationId"] : "the organization"}`,
    previewNeeds(ctx, names.uses),
  );
  const directory = await directoryFor(ctx, names, gate);
  const checked = checkDeclaration(
    given,
    recorded,
    { names, directory },
    {
      roleCap: ctx.settings.roleCap,
      now: ctx.clock.now(),
    },
  );
  if ("failures" in checked) return checked;
  const { desired, key } = checked;
  // An end cannot remove a role another resource of the run declares for the member (withoutClaimed).
  if (!isUnknown(desired.holders)) {
    const org = desired.organizationId;
    const conflicts = ctx.claims.grantConflicts(org, desired.holders, desired.until ?? {}, key);
    if (conflicts.length > 0) return { failures: conflicts };
  }
  const sameOrg = recorded.organizationId === desired.organizationId;
  const before = sameOrg && recorded.mode === desired.mode ? recorded.holders : undefined;
  ctx.claims.claim(desired, (userId) => before !== undefined && userId in before);
  let joining: string[] = [];
  let groups: GroupRoleRead = {};
  if (ctx.settings.previewValidation) {
    const previous = sameOrg ? recorded.holders : undefined;
    const pending = {
      mode: isUnknown(news["mode"]),
      addMissingMembers: isUnknown(news["addMissingMembers"]),
      joining: joiningOf(news["joiningMembers"]),
    };
    const { failures, nonMembers } = await validate(ctx, previous, desired, pending, gate);
    if (failures.length > 0) return { failures };
    joining = nonMembers;
    // Shown, never written: what changing members also hold through a group (group-grants.ts).
    groups = await groupRolesOfChange(ctx, previous, desired);
  }
  // Memberships added before stay listed (also with validation off, when who joins is known only in up).
  return {
    desired: withJoins(desired, sameOrg ? recorded.addedMembers : undefined, joining),
    props: {
      ...(groups.roles ? { groupRoles: groups.roles } : {}),
      ...(groups.unread ? { groupRolesUnread: groups.unread } : {}),
    },
  };
}

/** What the names resolve among (run-reads.ts); nothing read when the previous resolution has them all. */
async function directoryFor(
  ctx: RunContext,
  names: NamesToRead,
  gate: () => Promise<void>,
): Promise<TenantNames> {
  if (names.emails.length === 0 && names.roleNames.length === 0) return { usersByEmail: {}, roles: [] };
  await gate();
  return ctx.reads.directory(names.emails, names.roleNames.length > 0 ? names.organizationId : undefined);
}

/** The scopes this check may read with, checked against the token once, before the first call. */
function previewNeeds(ctx: RunContext, { emails, roleNames }: NamesToRead["uses"]): Needs {
  const { usersByEmail, listRoles, ...reads } = PREVIEW_NEEDS;
  return {
    ...(emails ? { usersByEmail } : {}),
    ...(roleNames || ctx.settings.previewValidation ? { listRoles } : {}),
    ...(ctx.settings.previewValidation ? reads : {}),
  };
}

/**
 * Users another resource makes members (`joiningMembers`), or "pending" while unknown at preview: then no
 * non-member fails the preview, and `up` checks each before its first write.
 */
function joiningOf(value: unknown): ReadonlySet<string> | "pending" | undefined {
  if (isUnknown(value) || (Array.isArray(value) && value.some(isUnknown))) return "pending";
  return Array.isArray(value) ? new Set(value.filter((u): u is string => typeof u === "string")) : undefined;
}

/** `addedMembers` grows by the users this change adds, so the preview shows them joining. */
function withJoins(
  desired: DesiredState,
  before: readonly string[] | undefined,
  joining: readonly string[],
): DesiredState {
  const added = [...new Set([...(before ?? []), ...(desired.addMissingMembers ? joining : [])])].sort();
  const { addedMembers: _previous, ...rest } = desired;
  return added.length > 0 ? { ...rest, addedMembers: added } : rest;
}
