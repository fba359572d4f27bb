import { checkGroupInputs } from "../../model/group-desired";
import { PartialApplyError } from "../apply";
import type { BoundaryInputs } from "../boundary";
import { guarded } from "../boundary";
import type { RunContext } from "../context";
import { create } from "../create";
import { deleteResource } from "../delete";
import { diff } from "../diff";
import type { OrgMemberRolesOutputs } from "../outputs";
import { withoutProvider } from "../outputs";
import { read } from "../read";
import { update } from "../update";
import { checkGroups } from "./check";
import { GROUP_KIND } from "./kind";
import type { GroupRolesOperations } from "./operations";
import { asGroups, asShared } from "./props";

type Props = Record<string, unknown>;

/** The checked inputs of create and update (shared names), as the shared operations take them. */
function groupDesired(ctx: RunContext, inputs: Props) {
  const outcome = checkGroupInputs(asGroups(withoutProvider(inputs)), ctx.settings.groupRoleCap);
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join("\n"));
  return outcome.desired;
}

const outs = <T extends { outs?: unknown }>(r: T): T =>
  r.outs ? { ...r, outs: asGroups(r.outs as Props) } : r;

/** A failed create or update records partial state: in OrgGroupRoles' names too. */
async function renamingPartial<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof PartialApplyError)
      throw new PartialApplyError(err.message, err.id, asGroups(err.properties), err.reasons);
    throw err;
  }
}

/**
 * The group operations over the run context `ctx()` gives, each through the boundary with `secrets` (the
 * member provider's masking, fed the shared names).
 */
export function groupOperations(
  ctx: () => RunContext,
  secrets: (...props: Array<Props | undefined>) => () => BoundaryInputs,
): GroupRolesOperations {
  const shared = (p: Props) => asShared(p);
  const state = (p: Props) => shared(p) as unknown as OrgMemberRolesOutputs;
  return {
    check: (olds, news) =>
      guarded(secrets(shared(olds), shared(news)), news["__provider"], () => checkGroups(ctx(), olds, news)),
    diff: (id, olds, news) =>
      guarded(secrets(shared(olds), shared(news)), undefined, () =>
        diff(ctx(), id, state(olds), groupDesired(ctx(), shared(news))),
      ),
    create: (inputs) =>
      guarded(secrets(shared(inputs)), inputs["__provider"], async () =>
        outs(await renamingPartial(() => create(ctx(), shared(inputs), GROUP_KIND, groupDesired))),
      ),
    update: (id, olds, news) =>
      guarded(secrets(shared(olds), shared(news)), news["__provider"], async () =>
        outs(
          await renamingPartial(() => update(ctx(), id, state(olds), shared(news), GROUP_KIND, groupDesired)),
        ),
      ),
    read: (id, props) =>
      guarded(secrets(shared(props)), undefined, async () => {
        const r = await read(ctx(), id, state(props), GROUP_KIND);
        return {
          ...r,
          ...(r.props ? { props: asGroups(r.props as Props) } : {}),
          ...(r.inputs ? { inputs: asGroups(r.inputs as Props) } : {}),
        };
      }),
    delete: (id, props) =>
      guarded(secrets(shared(props)), undefined, () => deleteResource(ctx(), id, state(props), GROUP_KIND)),
  };
}
