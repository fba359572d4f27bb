import type { DesiredState, MemberRoles } from "../model/desired";
import type { RunContext } from "./context";
import { type Holders, MEMBERS } from "./holders";
import { type LiveRoles, type ReadOptions, readLiveRoles } from "./live-roles";
import { prepareWrite } from "./validation";

/**
 * What create, update, read and delete need to know of the resource they serve beyond the plan: who holds
 * the roles (holders.ts), how their live roles are read, and what is checked before the first write. One
 * per resource type: OrgMemberRoles (`MEMBER_KIND`) and OrgGroupRoles (`GROUP_KIND`, group-roles/kind.ts).
 */
export interface ResourceKind {
  holders: Holders;
  /**
   * Live roles of `ids`; `fresh` (refresh) bypasses the run's cache. Undefined for a holder that does not
   * exist; `confirmed` lists those read from the primary store.
   */
  readLive(
    ctx: RunContext,
    organizationId: string,
    ids: readonly string[],
    options: ReadOptions,
    fresh?: boolean,
  ): Promise<LiveRoles>;
  /** Checks before the first write of `up` (what a disabled preview validation did not); returns who joined. */
  prepareWrite(
    ctx: RunContext,
    operation: string,
    recorded: MemberRoles | undefined,
    desired: DesiredState,
  ): Promise<string[]>;
}

export const MEMBER_KIND: ResourceKind = {
  holders: MEMBERS,
  readLive: (ctx, org, ids, options, fresh) =>
    fresh
      ? readLiveRoles(ctx.client(), org, ids, ctx.settings.concurrency, options)
      : ctx.reads.live(ctx.client(), org, ids, ctx.settings.concurrency, options),
  prepareWrite,
};
