import type { DesiredState } from "../model/desired";
import { isUnknown } from "../pulumi/unknown";

/** What the resources checked in a run declare for one member. */
export interface Claim {
  /** Every role some resource of the run declares for the member. */
  roles: ReadonlySet<string>;
  /** Some resource declaring the member is authoritative: it owns every role the member holds. */
  authoritative: boolean;
}

/**
 * Roles that resources of the current run declare, per organization and member. The engine checks every
 * resource of the program before it deletes the ones that left it (a rename or a new parent changes the URN:
 * the new resource is created, then the old one deleted, in the same provider process). A resource that
 * drops a member, or is deleted, keeps away from what another resource of the run declares (model/plan.ts
 * `withoutClaimed`). One instance per run (RunContext).
 */
export class Claims {
  private readonly byOrg = new Map<string, Map<string, { roles: Set<string>; authoritative: boolean }>>();

  /** Records what `desired` declares (unknown values, at preview, claim nothing). */
  claim(desired: DesiredState): void {
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
        held = { roles: new Set(), authoritative: false };
        users.set(userId, held);
      }
      if (desired.mode === "authoritative") held.authoritative = true;
      for (const role of roles) if (!isUnknown(role)) held.roles.add(role);
    }
  }

  /** What the resources checked in this run declare for a member of `organizationId`; undefined: none. */
  of(organizationId: string): (userId: string) => Claim | undefined {
    return (userId) => this.byOrg.get(organizationId)?.get(userId);
  }
}
