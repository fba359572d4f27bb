import type * as pulumi from "@pulumi/pulumi";
import type { DesiredState } from "../model/desired";
import { diffState } from "../model/diff";
import { lostRoles } from "../model/plan";
import { recordedOf } from "../model/stored-state";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";
import { endsChanged } from "./expiry";
import type { OrgMemberRolesOutputs } from "./outputs";

/**
 * `diff`: the recorded state against the checked inputs (model/diff.ts, pure). Besides: a resource whose
 * declared roles another resource of this run removed (it was checked after that removal, its inputs waiting
 * on another output) has changes, so that its update gives them back; at preview nothing is written, so
 * the preview is the pure diff.
 */
export async function diff(
  ctx: RunContext,
  _id: string,
  olds: OrgMemberRolesOutputs,
  news: DesiredState,
): Promise<pulumi.dynamic.DiffResult> {
  const state = recordedOf(olds);
  // An end added, moved or reached changes the inputs to record, with or without a write.
  const result = endsChanged(
    olds as unknown as Record<string, unknown>,
    news as unknown as Record<string, unknown>,
  )
    ? { ...diffState(state, news), changes: true }
    : diffState(state, news);
  if (result.changes || isUnknown(news.members) || news.organizationId !== state.organizationId)
    return result;
  const lost = lostRoles(state, news.members, (u) => ctx.writes.removedFrom(state.organizationId, u));
  return Object.keys(lost).length > 0 ? { ...result, changes: true } : result;
}
