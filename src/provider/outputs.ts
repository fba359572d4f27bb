import type { DesiredState } from "../model/desired";
import type { Resolution } from "../model/names";
import type { RecordedState } from "../model/plan";
import { type HolderMapName, type StoredForm, type StoredState, toStored } from "../model/stored-state";

/**
 * OrgMemberRoles' outputs: `members` mirrors the recorded inputs (what a preview is shown against); see
 * RecordedState, and StoredState for how ownership is stored. OrgGroupRoles stores the same with `groups`
 * and `groupsSecret` in place of `members` and `membersSecret` (its ResourceKind says so).
 */
export type OrgMemberRolesOutputs = StoredState & OutputExtras;

/** What the outputs carry beside the recorded state: inputs mirrored so a refresh can give them back. */
export type OutputExtras = {
  /** Users this resource added to the organization (addMissingMembers). Memberships are never removed by it. */
  addedMembers?: string[];
  addMissingMembers?: boolean;
  /** What emails and role names resolved to (mirrored input, computed by check). */
  resolved?: Resolution;
  /** `members` was a secret. */
  membersSecret?: boolean;
};

type Props = Record<string, unknown>;

/**
 * Where a resource keeps its holder map and the flag that marks it secret: the part of its ResourceKind
 * this module reads. Not the kind itself: the provider's published declarations reach this module
 * (OrgMemberRolesOutputs) and must stop short of the client's, which reach zod's.
 */
type Names = { map: HolderMapName; secretFlag: string };

/** The provider's own property: never part of the state the model sees. */
export function withoutProvider(props: Props): Props {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

/** The memberships this resource added: the union of every list given, or nothing. */
export function membershipsAdded(...lists: Array<readonly string[] | undefined>): Props {
  const all = [...new Set(lists.flatMap((l) => l ?? []))].sort();
  return all.length > 0 ? { addedMembers: all } : {};
}

/** The checked inputs as the engine holds them: the holder map and its secret flag under the kind's names. */
export function inputsOf(kind: Names, desired: DesiredState): Props {
  const { holders, secret, ...rest } = desired;
  return { ...rest, [kind.map]: holders, ...(secret ? { [kind.secretFlag]: true } : {}) };
}

/** The mirrored extras of a desired state, each only when set, under the kind's names. */
export function extrasOf(
  kind: Names,
  source: Pick<DesiredState, "addMissingMembers" | "secret" | "resolved">,
): Props {
  return {
    ...(source.addMissingMembers ? { addMissingMembers: true } : {}),
    ...(source.secret ? { [kind.secretFlag]: true } : {}),
    ...(source.resolved ? { resolved: source.resolved } : {}),
  };
}

/** The mirrored extras of stored props, each only when set. */
export function storedExtras(kind: Names, props: Props): Props {
  const keys = ["addMissingMembers", kind.secretFlag, "resolved"];
  return Object.fromEntries(keys.filter((k) => props[k]).map((k) => [k, props[k]]));
}

/** The outputs to store: the recorded state in its stored form (stored-state.ts), and the extras as they are. */
export function outputs(kind: Names, state: RecordedState & Props, form: StoredForm = "compact"): Props {
  return toStored(state, kind.map, form);
}
