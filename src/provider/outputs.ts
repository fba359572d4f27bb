import type { DesiredState } from "../model/desired";
import type { Resolution } from "../model/names";
import type { RecordedState } from "../model/plan";
import { type StoredForm, type StoredState, toStored } from "../model/stored-state";

/**
 * Outputs: `members` mirrors the recorded inputs (what a preview is shown against); see RecordedState, and
 * StoredState for how ownership is stored.
 */
export type OrgMemberRolesOutputs = StoredState & OutputExtras;

/** What the outputs carry beside the recorded state: inputs mirrored so a refresh can give them back. */
export interface OutputExtras {
  /** Users this resource added to the organization (addMissingMembers). Memberships are never removed by it. */
  addedMembers?: string[];
  addMissingMembers?: boolean;
  /** What emails and role names resolved to (mirrored input, computed by check). */
  resolved?: Resolution;
  /** `members` was a secret. */
  membersSecret?: boolean;
}

/** The provider's own property: never part of the state the model sees. */
export function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

/** The memberships this resource added: the union of every list given, or nothing. */
export function membershipsAdded(
  ...lists: Array<readonly string[] | undefined>
): Pick<OutputExtras, "addedMembers"> {
  const all = [...new Set(lists.flatMap((l) => l ?? []))].sort();
  return all.length > 0 ? { addedMembers: all } : {};
}

/** The mirrored extras of `source` (a desired state or stored props), each only when set. */
export function extrasOf(
  source: Pick<DesiredState, "addMissingMembers" | "membersSecret" | "resolved">,
): Omit<OutputExtras, "addedMembers"> {
  return {
    ...(source.addMissingMembers ? { addMissingMembers: true } : {}),
    ...(source.membersSecret ? { membersSecret: true } : {}),
    ...(source.resolved ? { resolved: source.resolved } : {}),
  };
}

/** The outputs to store: the recorded state in its stored form (stored-state.ts), and the extras as they are. */
export function outputs(
  state: RecordedState & OutputExtras,
  form: StoredForm = "compact",
): OrgMemberRolesOutputs {
  return toStored(state, form);
}
