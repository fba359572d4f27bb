import { isGone, withAdvice } from "../client/errors";
import type { CheckFailure, DesiredState, MemberRoles } from "../model/desired";
import { changedMembers, nearCap, validateChanges } from "../model/validate";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import { VALIDATION_PER_MEMBER_READS } from "./live-roles";

/** Which inputs are not known yet (preview): they are not held against the change now; checked in up. */
export interface Pending {
  mode?: boolean;
  addMissingMembers?: boolean;
  /** Users another resource of the program makes members (`joiningMembers`); "pending": not known yet. */
  joining?: ReadonlySet<string> | "pending" | undefined;
}

/**
 * What the tenant would reject among the members that change, and declared non-members. Reads only those
 * members (live-roles.ts) and the roles they gain (run-reads.ts).
 */
export async function validate(
  ctx: RunContext,
  recorded: MemberRoles | undefined,
  desired: DesiredState,
  pending: Pending = {},
  /** Awaited before the first call (the check's scope gate). */
  beforeCalls: () => Promise<void> = async () => {},
): Promise<{ failures: CheckFailure[]; nonMembers: string[] }> {
  const changed = changedMembers(recorded, desired.holders);
  const users = Object.keys(changed.members);
  if (users.length === 0 || isUnknown(desired.organizationId)) return { failures: [], nonMembers: [] };
  await beforeCalls();
  // Connected before the reads: a configuration error (no credentials) is not one of validation's reads.
  ctx.client();
  const roleCap = ctx.settings.roleCap;
  try {
    const [facts, role] = await Promise.all([
      // Up to 100 changing members are read from the primary store; past that, from the listing, which lags
      // writes: a member it does not show, or shows close to the cap, is read again from the primary store.
      ctx.reads.live(desired.organizationId, users, {
        perMemberUpTo: VALIDATION_PER_MEMBER_READS,
        confirm: (userId, listed) => nearCap(changed, userId, listed, roleCap),
        // A per-member read also gives group grants, shown by check (group-grants.ts); the listing does not.
        effective: users.length <= VALIDATION_PER_MEMBER_READS,
      }),
      ctx.reads.roleFacts(Object.values(changed.added).flat()),
    ]);
    const failures = validateChanges(
      changed,
      { live: facts.live, role },
      {
        organizationId: desired.organizationId,
        mode: desired.mode,
        roleCap,
        addsMissingMembers:
          desired.addMissingMembers === true ||
          pending.addMissingMembers === true ||
          pending.joining === "pending",
        ...(pending.mode ? { skipCap: true } : {}),
        ...(pending.joining instanceof Set ? { joining: pending.joining } : {}),
      },
    );
    // Users another resource makes members are not this resource's to add (addMissingMembers).
    const joinsElsewhere = (u: string) => pending.joining instanceof Set && pending.joining.has(u);
    return { failures, nonMembers: users.filter((u) => facts.live[u] === undefined && !joinsElsewhere(u)) };
  } catch (err) {
    if (isGone(err, "organization"))
      return {
        failures: [
          {
            property: "organizationId",
            reason: `organizationId: no organization ${desired.organizationId} in the tenant (${err.apiMessage ?? "404"}). Check the ID (org_...).`,
          },
        ],
        nonMembers: [],
      };
    // The error keeps its type and kind; the message gains the way out for pipelines that cannot read.
    const advice = `While validating ${desired.organizationId} against the tenant. To preview without reading the tenant (offline, or credentials without read scopes), set orgMemberRoles:previewValidation to false; the tenant then checks the change only during \`pulumi up\`.`;
    withAdvice(err, advice);
  }
}
