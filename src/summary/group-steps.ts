/**
 * OrgGroupRoles in the PR summary: its steps and refreshes read as OrgMemberRoles' are, with its map where
 * `members` would be (GROUP_NAMES, src/pulumi/tokens.ts), so the same planning
 * shows which roles each group gains and loses. Pure.
 */
import { GROUP_NAMES, GROUP_RESOURCE_TYPE_TOKEN, MEMBER_NAMES } from "../pulumi/tokens";
import type { PreviewRecord, RefreshView, StateView, StepView } from "./preview-json";

export const isGroupResource = (type: string) => type === GROUP_RESOURCE_TYPE_TOKEN;

const renamed = (p: Record<string, unknown>): Record<string, unknown> => {
  const { [GROUP_NAMES.map]: groups, [GROUP_NAMES.secretFlag]: _s, groupRoles: _r, ...rest } = p;
  return groups === undefined ? rest : { ...rest, [MEMBER_NAMES.map]: groups };
};
const view = (s: StateView | undefined): StateView | undefined =>
  s && { ...s, inputs: renamed(s.inputs), outputs: renamed(s.outputs) };

/** The group resources' steps and refreshes of `record`, in member shape, typed `asType`. */
export function groupStepsAs(
  record: PreviewRecord,
  asType: string,
): Pick<PreviewRecord, "steps" | "refreshes"> {
  const step = (s: StepView): StepView => {
    const out: StepView = { ...s, type: asType };
    const old = view(s.old);
    const nu = view(s.new);
    if (old) out.old = old;
    if (nu) out.new = nu;
    return out;
  };
  const refresh = (r: RefreshView): RefreshView => {
    const out: RefreshView = { ...r, type: asType };
    const before = view(r.before);
    const after = view(r.after);
    if (before) out.before = before;
    if (after) out.after = after;
    return out;
  };
  return {
    steps: record.steps.filter((s) => isGroupResource(s.type)).map(step),
    refreshes: record.refreshes.filter((r) => isGroupResource(r.type)).map(refresh),
  };
}
