import type { CheckFailure, DesiredState, MemberRoles } from "../model/desired";
import type { HolderMapName } from "../model/stored-state";
import { checkMembers, desiredFrom } from "./check";
import type { RunContext } from "./context";
import { type Holders, MEMBERS } from "./holders";
import type { LiveRoles, ReadOptions } from "./live-roles";
import { prepareWrite } from "./validation";

type Props = Record<string, unknown>;

/** What a kind's check gives: the checked desired state and the computed inputs beside it, or failures. */
export type KindCheck = { desired: DesiredState; props?: Props } | { failures: CheckFailure[] };

/**
 * Everything that differs between OrgMemberRoles (`MEMBER_KIND`) and OrgGroupRoles (`GROUP_KIND`,
 * group-kind.ts). The operations (operations.ts) work on a neutral `holders` map; the kind says where
 * that map lives in the engine's props, how the inputs are checked, how holders are read and written, and
 * what is checked before the first write. A rename or a new field of one resource is a change here.
 */
export interface ResourceKind {
  /** The holder map's name in the inputs and outputs (a stored name: existing states are read by it). */
  map: HolderMapName;
  /** The input that marks the holder map secret (a stored name too). */
  secretFlag: string;
  /** Who holds the roles: the calls that read and write them, and what messages call one. */
  holders: Holders;
  /** `check`: the engine's new inputs (and the recorded ones) to the desired state, or failures. */
  check(ctx: RunContext, olds: Props, news: Props): Promise<KindCheck>;
  /** The checked inputs diff, create and update get (check's output), parsed again. */
  desired(ctx: RunContext, inputs: Props): DesiredState;
  /**
   * Live roles of `ids`, through the run's reads. Undefined for a holder that does not exist; `confirmed`
   * lists those read from the primary store.
   */
  readLive(
    ctx: RunContext,
    organizationId: string,
    ids: readonly string[],
    options: ReadOptions,
  ): Promise<LiveRoles>;
  /** The same, read now past the run's reads (a refresh). */
  readFresh(
    ctx: RunContext,
    organizationId: string,
    ids: readonly string[],
    options: ReadOptions,
  ): Promise<LiveRoles>;
  /** Checks before the first write of `up` (what a disabled preview validation did not); returns who joined. */
  prepareWrite(
    ctx: RunContext,
    operation: string,
    recorded: MemberRoles | undefined,
    desired: DesiredState,
  ): Promise<string[]>;
}

/** OrgMemberRoles: organization members' roles, read through the run's cache or the listing. */
export const MEMBER_KIND: ResourceKind = {
  map: "members",
  secretFlag: "membersSecret",
  holders: MEMBERS,
  check: checkMembers,
  desired: desiredFrom,
  readLive: (ctx, org, ids, options) => ctx.reads.live(org, ids, options),
  readFresh: (ctx, org, ids, options) => ctx.reads.fresh(org, ids, options),
  prepareWrite,
};
