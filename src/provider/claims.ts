import type { DesiredState } from "../model/desired";
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
}
