import type { DesiredState } from "../model/desired";
import { UNKNOWN_VALUE } from "../pulumi/tokens";

/**
 * Roles that resources of the current run still declare, per organization and member. The engine checks every
 * resource of the program before it deletes the ones that left it (a rename or a new parent changes the URN:
 * the new resource is created, then the old one deleted, in the same provider process). The old resource's
 * delete must not take what the new one declares: a member another resource declares has moved there, and
 * its new resource alone decides its roles (it adopted them when it was created).
 *
 * One engine run is one provider process; tests that drive several runs in one process call `startRun`.
 */
const claims = new Map<string, Map<string, Set<string>>>();

/** Records what `desired` declares (unknown values, at preview, claim nothing). */
export function claim(desired: DesiredState): void {
  const org = desired.organizationId;
  if (org === UNKNOWN_VALUE || (desired.members as unknown) === UNKNOWN_VALUE) return;
  let users = claims.get(org);
  if (!users) {
    users = new Map();
    claims.set(org, users);
  }
  for (const [userId, roles] of Object.entries(desired.members)) {
    if ((roles as unknown) === UNKNOWN_VALUE) continue;
    let held = users.get(userId);
    if (!held) {
      held = new Set();
      users.set(userId, held);
    }
    for (const role of roles) if (role !== UNKNOWN_VALUE) held.add(role);
  }
}

/** What the resources checked in this run declare for a member of `organizationId`; undefined: none declares it. */
export function claimedIn(organizationId: string): (userId: string) => ReadonlySet<string> | undefined {
  return (userId) => claims.get(organizationId)?.get(userId);
}

/** Forgets every claim: a new engine run. */
export function forgetClaims(): void {
  claims.clear();
}
