import { ENDPOINTS } from "../api/endpoints";
import { withAdvice } from "../client/errors";
import type { DesiredState, MemberRoles } from "../model/desired";
import { type GroupRoles, shownGroupRoles } from "../model/group-grants";
import { changedMembers } from "../model/validate";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import type { EffectiveOff } from "./live-roles";

/** Past this many changing members, a preview shows no group roles rather than a part that looks whole. */
export const GROUP_ROLE_READS_UP_TO = 100;

/**
 * What the members a change touches hold through groups, for the preview (one effective-roles read each,
 * shared with validation: run-reads.ts). A plain 404 (Early Access feature off; unconfirmed) means no
 * groups. `unread` says why nothing was read, so the preview and the summary say so rather than show nothing.
 */
export async function readGroupRoles(
  ctx: RunContext,
  organizationId: string,
  users: readonly string[],
): Promise<GroupRoleRead> {
  if (users.length === 0) return {};
  if (users.length > GROUP_ROLE_READS_UP_TO)
    return {
      unread: `${users.length} members change, more than the ${GROUP_ROLE_READS_UP_TO} whose group roles a preview reads`,
    };
  const { held, unavailable } = await ctx.reads.groupHeld(organizationId, users);
  if (unavailable) return { unread: UNREAD_BECAUSE[unavailable] };
  const roles = shownGroupRoles(held);
  return roles ? { roles } : {};
}

/** Why group-held roles were not read, said once per resource in the preview and the PR summary. */
const UNREAD_BECAUSE: Record<EffectiveOff, string> = {
  scope: `the application lacks ${ENDPOINTS.listEffectiveRoles.scope}; grant it to show the roles members hold through groups`,
  entitlement:
    "the tenant's plan does not include effective roles (403 insufficient_entitlement), so roles held through groups were not read",
  "not-found": "the tenant answered the effective-roles endpoint with 404 (groups not enabled?)",
  refused: "the tenant refused the effective-roles request (400), so roles held through groups were not read",
};

/** What the preview read of changing members' group roles, or why it read nothing. */
export interface GroupRoleRead {
  roles?: GroupRoles;
  unread?: string;
}

/** Group roles of changing members, dropped ones included; a failed read fails the preview with a way out. */
export async function groupRolesOfChange(
  ctx: RunContext,
  recorded: MemberRoles | undefined,
  desired: DesiredState,
): Promise<GroupRoleRead> {
  if (isUnknown(desired.organizationId)) return {};
  // Members dropped from the map change too: their direct roles go, and a group may still grant them.
  const dropped =
    recorded && !isUnknown(desired.holders)
      ? Object.keys(recorded).filter((u) => !Object.hasOwn(desired.holders, u))
      : [];
  const users = [...Object.keys(changedMembers(recorded, desired.holders).members), ...dropped].sort();
  try {
    return await readGroupRoles(ctx, desired.organizationId, users);
  } catch (err) {
    const advice = `While reading what members of ${desired.organizationId} hold through its groups (GET .../effective-roles). To preview without reading the tenant, set orgMemberRoles:previewValidation to false.`;
    withAdvice(err, advice);
  }
}
