import { auditRecorder, type RecordWrite, WRITE_ANSWER_STATUS } from "../audit/recorder";
import { mapSettled } from "../client/concurrency";
import { isGone, ManagementApiError } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import type { ChangeOutcome, HolderChange } from "../model/plan";
import type { RunContext } from "./context";
import { reasonOf } from "./failure";
import type { Holders, ResourceKind } from "./kind";

export interface MemberFailure {
  change: HolderChange;
  reason: string;
}

export interface ApplyReport {
  /** One per change, in order: which halves reached the tenant. */
  outcomes: ChangeOutcome[];
  failed: MemberFailure[];
}

/**
 * Applies a plan: per holder at most one DELETE, then one POST, holders in parallel. One failing never stops
 * the others, and each outcome says what reached the tenant, so a failed apply records what it did.
 */
export async function applyInRun(
  ctx: RunContext,
  organizationId: string,
  changes: readonly HolderChange[],
  kind: ResourceKind,
): Promise<ApplyReport> {
  const outcomes: ChangeOutcome[] = changes.map((change) => ({
    change,
    removed: change.remove.length === 0,
    added: change.add.length === 0,
  }));
  const client = ctx.client();
  const record = changes.length > 0 ? auditRecorder(ctx, organizationId, kind.holders.noun) : undefined;
  const settled = await mapSettled(outcomes, ctx.settings.concurrency, async (outcome) => {
    // A read overlapping the write is stale, and a co-owner of a removed role learns of it (WriteLog).
    const end = ctx.writes.begin(organizationId, outcome.change.holder, outcome.change.remove);
    try {
      await applyOne(client, organizationId, outcome, kind.holders, record);
    } finally {
      end();
    }
  });
  const failed: MemberFailure[] = [];
  settled.forEach((result, i) => {
    if (result.status === "rejected") failed.push({ change: changes[i]!, reason: reasonOf(result.reason) });
  });
  return { outcomes, failed };
}

/** One member's change: the removal first (so a member at the cap can swap roles), then the addition. */
async function applyOne(
  client: ManagementClient,
  organizationId: string,
  outcome: ChangeOutcome,
  holders: Holders,
  record: RecordWrite | undefined,
): Promise<void> {
  const { holder: id, add, remove } = outcome.change;
  // The audit trail (src/audit): each write that reached the tenant, or may have.
  const audit = (added: readonly string[], removed: readonly string[], err?: unknown) => {
    if (err === undefined) record?.({ id, added, removed, status: WRITE_ANSWER_STATUS, uncertain: false });
    else if (outcome.uncertain)
      record?.({ id, added, removed, status: (err as ManagementApiError).status, uncertain: true });
  };
  if (!outcome.removed) {
    let gone = false;
    try {
      await holders.remove(client, organizationId, id, remove);
    } catch (err) {
      // A member who left the organization (a group deleted) holds nothing here any more: the removal is done.
      if (!isGone(err, holders.gone)) {
        uncertainIf(outcome, err);
        audit([], remove, err);
        throw err;
      }
      gone = true;
    }
    outcome.removed = true;
    if (!gone) audit([], remove);
  }
  if (!outcome.added) {
    try {
      await holders.add(client, organizationId, id, add);
    } catch (err) {
      uncertainIf(outcome, err);
      audit(add, [], err);
      throw err;
    }
    outcome.added = true;
    audit(add, []);
  }
}

/** Failures after which a sent write may still have landed; a refusal (4xx) applied nothing. */
const MAY_HAVE_LANDED = new Set(["server-error", "network", "timeout", "unexpected-response"]);

/** Marks `outcome` uncertain when `err` may hide a write that landed; returns `err` to throw. */
function uncertainIf(outcome: ChangeOutcome, err: unknown): unknown {
  if (!(err instanceof ManagementApiError) || MAY_HAVE_LANDED.has(err.kind)) outcome.uncertain = true;
  return err;
}
