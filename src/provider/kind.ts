import { JOIN_NEEDS, type Needs, PREVIEW_NEEDS, WRITE_NEEDS } from "../api/scopes";
import type { Gone } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import {
  type CheckFailure,
  checkHolderInputs,
  type DesiredState,
  type HolderInputs,
  MEMBER_INPUTS,
  type MemberRoles,
} from "../model/desired";
import { expiryProps } from "../model/expiry";
import { type HolderNames, MEMBER_NAMES } from "../pulumi/tokens";
import { checkMembers } from "./check";
import type { RunContext } from "./context";
import type { LiveRoles, ReadOptions } from "./live-roles";
import type { Settings } from "./settings";
import { validate } from "./validation";

type Props = Record<string, unknown>;

type ReadHolders = (
  ctx: RunContext,
  organizationId: string,
  ids: readonly string[],
  options: ReadOptions,
) => Promise<LiveRoles>;

/** What a kind's check gives: the checked desired state and the computed inputs beside it, or failures. */
export type KindCheck = { desired: DesiredState; props?: Props } | { failures: CheckFailure[] };

/** What differs between OrgMemberRoles and OrgGroupRoles, so the operations share one neutral holder map. */
export interface ResourceKind extends HolderNames {
  /** Who holds the roles (see `Holders`). */
  holders: Holders;
  /** `check`: the engine's new inputs (and the recorded ones) to the desired state, or failures. */
  check(ctx: RunContext, olds: Props, news: Props): Promise<KindCheck>;
  /** How its inputs are parsed (model/desired.ts), and the most roles one holder may hold here. */
  inputs: HolderInputs;
  cap(settings: Settings): number;
  /** Live roles through the run's reads (undefined: no such holder); `confirmed`: from the primary store. */
  readLive: ReadHolders;
  /** The same, read now past the run's reads (a refresh). */
  readFresh: ReadHolders;
  /** The scopes `up` needs before its first write: the reads of `validate` and the writes. */
  writeNeeds(desired: DesiredState): Needs;
  /** What the tenant would reject among the changing holders, and declared non-members (groups: none). */
  validate(
    ctx: RunContext,
    recorded: MemberRoles | undefined,
    desired: DesiredState,
  ): Promise<{ failures: CheckFailure[]; nonMembers: string[] }>;
}

/**
 * Organization members or groups, and the calls that write their roles. Plans key by an opaque holder ID,
 * so one apply, delete and adoption serve both.
 */
export interface Holders {
  /** What one holder is called in messages. */
  noun: "member" | "group";
  /** What `isGone` calls a holder that does not exist (a removal from it is then done). */
  gone: Gone;
  /** The calls `add` and `remove` make: their scopes are checked before a delete's first write. */
  writes: Needs;
  add(client: ManagementClient, organizationId: string, id: string, roles: readonly string[]): Promise<void>;
  remove(
    client: ManagementClient,
    organizationId: string,
    id: string,
    roles: readonly string[],
  ): Promise<void>;
}

/** The checked inputs diff, create and update get (check's output), parsed again. */
export function desiredOf(kind: ResourceKind, ctx: RunContext, inputs: Props): DesiredState {
  const outcome = checkHolderInputs(withoutProvider(inputs), kind.inputs, kind.cap(ctx.settings));
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join("\n"));
  return { ...outcome.desired, ...expiryProps(inputs) };
}

/** The inputs without the engine's `__provider`: never part of what the model sees. */
export function withoutProvider(props: Props): Props {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

/** Organization members: `.../members/{user}/roles`. */
const MEMBERS: Holders = {
  noun: "member",
  gone: "member",
  writes: WRITE_NEEDS,
  add: (c, org, id, roles) => c.addMemberRoles(org, id, roles),
  remove: (c, org, id, roles) => c.removeMemberRoles(org, id, roles),
};

/** OrgMemberRoles: organization members' roles, read through the run's cache or the listing. */
export const MEMBER_KIND: ResourceKind = {
  ...MEMBER_NAMES,
  holders: MEMBERS,
  inputs: MEMBER_INPUTS,
  cap: (settings) => settings.roleCap,
  check: checkMembers,
  readLive: (ctx, org, ids, options) => ctx.reads.live(org, ids, options),
  readFresh: (ctx, org, ids, options) => ctx.reads.fresh(org, ids, options),
  // Emails were resolved by check: no lookup before a write.
  writeNeeds: (desired) => {
    const { usersByEmail: _resolvedInCheck, ...reads } = PREVIEW_NEEDS;
    return { ...reads, ...WRITE_NEEDS, ...(desired.addMissingMembers ? JOIN_NEEDS : {}) };
  },
  validate: (ctx, recorded, desired) => validate(ctx, recorded, desired),
};
