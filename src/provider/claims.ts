import type { CheckFailure, DesiredState, MemberRoles } from "../model/desired";
import type { Ends } from "../model/expiry";
import type { MemberClaim } from "../model/plan";
import { isUnknown } from "../pulumi/unknown";

/**
 * Roles that resources of the current run declare, per organization and member. The engine checks every
 * resource of the program before it deletes the ones that left it (a rename or a new parent changes the URN:
 * the new resource is created, then the old one deleted, in the same provider process). A resource that
 * drops a member, or is deleted, keeps away from what another resource of the run declares (model/plan.ts
 * `withoutClaimed`). One instance per run (RunContext).
 */
export class Claims {
  private readonly byOrg = new Map<string, Map<string, { roles: Set<string>; takenOver: boolean }>>();
  /** (organization, user, role) of every grant with an end that a checked resource declares. */
  private readonly ends = new Set<string>();

  /**
   * Records what `desired` declares (unknown values, at preview, claim nothing). `knewBefore` says which
   * members the resource declared in the same mode before this run: an authoritative resource takes over
   * the others.
   */
  claim(desired: DesiredState, knewBefore: (userId: string) => boolean): void {
    const org = desired.organizationId;
    if (isUnknown(org) || isUnknown(desired.members)) return;
    let users = this.byOrg.get(org);
    if (!users) {
      users = new Map();
      this.byOrg.set(org, users);
    }
    for (const [userId, roles] of Object.entries(desired.members)) {
      if (isUnknown(roles)) continue;
      let held = users.get(userId);
      if (!held) {
        held = { roles: new Set(), takenOver: false };
        users.set(userId, held);
      }
      if (desired.mode === "authoritative" && !knewBefore(userId)) held.takenOver = true;
      for (const role of roles) if (!isUnknown(role)) held.roles.add(role);
    }
  }

  /** What the resources checked in this run declare for a member of `organizationId`; undefined: none. */
  of(organizationId: string): (userId: string) => MemberClaim | undefined {
    return (userId) => this.byOrg.get(organizationId)?.get(userId);
  }

  /** Records the grants with an end that a checked resource declares (see endConflicts). */
  claimEnds(organizationId: string, until: Ends): void {
    for (const [userId, ends] of Object.entries(until))
      for (const roleId of Object.keys(ends)) this.ends.add(JSON.stringify([organizationId, userId, roleId]));
  }

  /**
   * Grants with an end that the end could not take away, checked before `members` and `until` are claimed:
   * another resource of the run declares the same role for the member (it keeps it, withoutClaimed), or
   * declared it with an end while this one declares it without.
   */
  endConflicts(organizationId: string, members: MemberRoles, until: Ends): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const claimed = this.of(organizationId);
    for (const [userId, roles] of Object.entries(members)) {
      if (isUnknown(roles)) continue;
      for (const roleId of roles) {
        const ending = until[userId]?.[roleId] !== undefined;
        const property = `members[${JSON.stringify(userId)}]`;
        if (ending && claimed(userId)?.roles.has(roleId))
          failures.push({
            property,
            reason: `${property}: member ${userId}, role ${roleId}: the grant ends, but another resource of the stack declares the role for this member too, so the end could not remove it. Declare the role in one resource only.`,
          });
        else if (!ending && this.ends.has(JSON.stringify([organizationId, userId, roleId])))
          failures.push({
            property,
            reason: `${property}: member ${userId}, role ${roleId}: another resource of the stack declares this grant with an end, which this resource's grant would keep from taking effect. Declare the role in one resource only.`,
          });
      }
    }
    return failures;
  }
}
