import { auditRecorder, type RecordWrite, WRITE_ANSWER_STATUS } from "../audit/recorder";
import { mapSettled } from "../client/concurrency";
import { isGone, ManagementApiError } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import type { ChangeOutcome, HolderChange } from "../model/plan";
import type { RunContext } from "./context";
import { reasonOf } from "./failure";
import { type Holders, MEMBERS } from "./holders";
import type { ResourceKind } from "./kind";
import type { WriteLog } from "./write-log";

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
 * Applies a plan: per member at most one DELETE (first) and one POST, members in parallel up to `concurrency`.
 * One member failing never stops the others; every failure is reported with the API's reason and the fix, and
 * every outcome says what reached the tenant, so a failed apply can record what it did.
 */
export async function applyChanges(
  client: ManagementClient,
  organizationId: string,
  changes: readonly HolderChange[],
  concurrency: number,
  writes: WriteLog,
  holders: Holders = MEMBERS,
  record?: RecordWrite,
): Promise<ApplyReport> {
  const outcomes: ChangeOutcome[] = changes.map((change) => ({
    change,
    removed: change.remove.length === 0,
    added: change.add.length === 0,
  }));
  const settled = await mapSettled(outcomes, concurrency, async (outcome) => {
    const userId = outcome.change.holder;
    // Logged from start to end: a read of this member that overlaps the write, by any resource of the run,
    // is stale, and another resource declaring a role this removes learns it (WriteLog).
    const end = writes.begin(organizationId, userId, outcome.change.remove);
    try {
      await applyOne(client, organizationId, outcome, holders, record);
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
  // The audit trail (src/audit): each write that reached the tenant, or may have, once.
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

/**
 * Failures after which a write may still have reached the tenant: the request was sent and Auth0 may have
 * processed it, but the answer was an error or never came. A refusal (4xx) did not apply anything.
 */
const MAY_HAVE_LANDED = new Set(["server-error", "network", "timeout", "unexpected-response"]);

/** Marks `outcome` uncertain when `err` may hide a write that landed; returns `err` to throw. */
function uncertainIf(outcome: ChangeOutcome, err: unknown): unknown {
  if (!(err instanceof ManagementApiError) || MAY_HAVE_LANDED.has(err.kind)) outcome.uncertain = true;
  return err;
}

/** {@link applyChanges} in this run: its client, concurrency and write log, to the holders of `kind`. */
export function applyInRun(
  ctx: RunContext,
  organizationId: string,
  changes: readonly HolderChange[],
  kind: ResourceKind,
): Promise<ApplyReport> {
  return applyChanges(
    ctx.client(),
    organizationId,
    changes,
    ctx.settings.concurrency,
    ctx.writes,
    kind.holders,
    changes.length > 0 ? auditRecorder(ctx, organizationId, kind.holders) : undefined,
  );
}
