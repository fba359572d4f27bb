import { type BoundaryInputs, guarded } from "./boundary";
import type { RunContext } from "./context";
import { create } from "./create";
import { deleteResource } from "./delete";
import { diff } from "./diff";
import type { ResourceOperations } from "./implementation";
import type { ResourceKind } from "./kind";
import { inputsOf } from "./outputs";
import { read } from "./read";
import { update } from "./update";

type Props = Record<string, unknown>;

/**
 * The operations of the resource type `kind` over the run context `ctx()` gives, each through the boundary
 * with the masking `secrets` gives for its props.
 */
export function operationsOf(
  kind: ResourceKind,
  ctx: () => RunContext,
  secretsOf: (kind: ResourceKind) => (...props: Array<Props | undefined>) => () => BoundaryInputs,
): ResourceOperations {
  const secrets = secretsOf(kind);
  return {
    check: (olds: Props, news: Props) =>
      guarded(secrets(olds, news), news["__provider"], async () => {
        const checked = await kind.check(ctx(), olds, news);
        if ("failures" in checked) return { inputs: news, failures: checked.failures };
        return { inputs: { ...inputsOf(kind, checked.desired), ...checked.props } };
      }),
    diff: (_id, olds: Props, news: Props) =>
      guarded(secrets(olds, news), undefined, () => diff(ctx(), kind, olds, news)),
    create: (inputs: Props) =>
      guarded(secrets(inputs), inputs["__provider"], () => create(ctx(), kind, inputs)),
    update: (id, olds: Props, news: Props) =>
      guarded(secrets(olds, news), news["__provider"], () => update(ctx(), kind, id, olds, news)),
    read: (id, props: Props = {}) => guarded(secrets(props), undefined, () => read(ctx(), kind, id, props)),
    delete: (_id, props: Props) =>
      guarded(secrets(props), undefined, () => deleteResource(ctx(), kind, props)),
  };
}
