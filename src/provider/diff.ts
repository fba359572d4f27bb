import type * as pulumi from "@pulumi/pulumi";
import { diffState } from "../model/diff";
import { lostRoles } from "../model/plan";
import { recordedOf } from "../model/stored-state";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import { endsChanged } from "./expiry";
import type { ResourceKind } from "./kind";

/**
 * `diff`: the recorded state against the checked inputs (model/diff.ts, pure). Besides: a resource whose
 * declared roles another resource of this run removed (it was checked after that removal, its inputs waiting
 * on another output) has changes, so that its update gives them back; at preview nothing is written, so
 * the preview is the pure diff.
 */
export async function diff(
  ctx: RunContext,
  kind: ResourceKind,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const state = recordedOf(olds, kind.map);
  const desired = kind.desired(ctx, news);
  // An end added, moved or reached changes the inputs to record, with or without a write.
  const result = endsChanged(olds, news)
    ? { ...diffState(state, desired), changes: true }
    : diffState(state, desired);
  if (result.changes || isUnknown(desired.holders) || desired.organizationId !== state.organizationId)
    return result;
  const lost = lostRoles(state, desired.holders, (u) => ctx.writes.removedFrom(state.organizationId, u));
  return Object.keys(lost).length > 0 ? { ...result, changes: true } : result;
}
