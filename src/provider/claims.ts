import type { CheckFailure, DesiredState, MemberRoles } from "../model/desired";
import type { Ends } from "../model/expiry";
import type { MemberClaim } from "../model/plan";
import { isUnknown } from "../pulumi/unknown";

/**
 * Roles the resources of this run declare, per organization and member. The engine checks every resource
 * before deleting those that left (a rename creates the new one, then deletes the old, in one process), so
 * a drop or delete can keep away from them (plan.ts `withoutClaimed`).
 */
export class Claims {
  private readonly byOrg = new Map<string, Map<string, { roles: Set<string>; takenOver: boolean }>>();
  /** Per (organization, user, role): the declarations that grant it with an end, and those without. */
  private readonly grants = new Map<string, { ending: Set<string>; lasting: Set<string> }>();

  /** Records what `desired` declares; `knewBefore`: members it declared in this mode before this run. */
  claim(desired: DesiredState, knewBefore: (userId: string) => boolean): void {
    const org = desired.organizationId;
    if (isUnknown(org) || isUnknown(desired.holders)) return;
    let users = this.byOrg.get(org);
    if (!users) {
      users = new Map();
      this.byOrg.set(org, users);
    }
    for (const [userId, roles] of Object.entries(desired.holders)) {
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

  /**
   * Grants whose end could not take the role away, as another resource declares it too (withoutClaimed
   * keeps it); then records this resource's. `declaration` identifies the inputs, so a resource checked twice
   * in one process (preview, then update) never conflicts with itself.
   */
  grantConflicts(
    organizationId: string,
    members: MemberRoles,
    until: Ends,
    declaration: string,
  ): CheckFailure[] {
    const failures: CheckFailure[] = [];
    for (const [userId, roles] of Object.entries(members)) {
      if (isUnknown(roles)) continue;
      for (const roleId of roles) {
        if (isUnknown(roleId)) continue;
        const key = JSON.stringify([organizationId, userId, roleId]);
        const ending = until[userId]?.[roleId] !== undefined;
        const grant = this.grants.get(key) ?? { ending: new Set<string>(), lasting: new Set<string>() };
        const others = (set: Set<string>) => [...set].some((d) => d !== declaration);
        const property = `members[${JSON.stringify(userId)}]`;
        if (ending && (others(grant.lasting) || others(grant.ending)))
          failures.push({
            property,
            reason: `${property}: member ${userId}, role ${roleId}: the grant ends, but another resource of the stack declares the role for this member too, so the end could not remove it. Declare the role in one resource only.`,
          });
        else if (!ending && others(grant.ending))
          failures.push({
            property,
            reason: `${property}: member ${userId}, role ${roleId}: another resource of the stack declares this grant with an end, which this resource's grant would keep from taking effect. Declare the role in one resource only.`,
          });
        (ending ? grant.ending : grant.lasting).add(declaration);
        this.grants.set(key, grant);
      }
    }
    return failures;
  }
}
