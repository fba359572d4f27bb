import type { DesiredState } from "../model/desired";
import type { RunContext } from "./context";
import type { ResourceKind } from "./kind";
import type { LiveRoles } from "./live-roles";

/**
 * Reads members this resource starts to manage (all of them on create, new ones on update), to adopt what
 * they hold. The listing lags writes (Auth0 serves it from a search index): a member it shows holding a
 * declared role (whose POST would be skipped) or, in authoritative mode, another role (to be recorded as
 * held) is read again from the primary store. The listing alone never decides that a write is not needed.
 */
export function readForAdoption(
  ctx: RunContext,
  desired: DesiredState,
  users: readonly string[],
  kind: ResourceKind,
): Promise<LiveRoles> {
  return kind.readLive(ctx, desired.organizationId, users, {
    confirm: (userId, listed) => {
      const wanted = desired.holders[userId] ?? [];
      return listed.some((r) => wanted.includes(r) || desired.mode === "authoritative");
    },
  });
}

/** The holders of `read` read from the primary store, with what they hold: only those count as observed. */
export function confirmedLive(read: LiveRoles): Record<string, string[] | undefined> {
  return Object.fromEntries([...read.confirmed].map((id) => [id, read.live[id]]));
}
