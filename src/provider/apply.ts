import { ManagementApiError } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import { mapSettled } from "../client/rate-limit";
import type { MemberChange } from "../model/plan";

export interface MemberFailure {
  change: MemberChange;
  reason: string;
}

export interface ApplyReport {
  applied: MemberChange[];
  failed: MemberFailure[];
}

/**
 * Applies a plan: per member at most one DELETE (first) and one POST, members in parallel up to `concurrency`.
 * One member failing never stops the others; every failure is reported with the API's reason and the fix.
 */
export async function applyChanges(
  client: ManagementClient,
  organizationId: string,
  changes: readonly MemberChange[],
  concurrency: number,
): Promise<ApplyReport> {
  const outcomes = await mapSettled(changes, concurrency, async (change) => {
    await client.removeMemberRoles(organizationId, change.userId, change.remove);
    await client.addMemberRoles(organizationId, change.userId, change.add);
  });
  const report: ApplyReport = { applied: [], failed: [] };
  outcomes.forEach((outcome, i) => {
    const change = changes[i]!;
    if (outcome.status === "fulfilled") report.applied.push(change);
    else report.failed.push({ change, reason: describe(outcome.reason) });
  });
  return report;
}

function describe(err: unknown): string {
  if (err instanceof ManagementApiError) {
    const api = err.apiMessage ? `${err.status ?? ""} ${err.apiMessage}`.trim() : (err.status ?? err.code);
    return `${err.method} failed (${api}). ${err.hint}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** One error for every failed member, naming each with its reason, and saying how to converge. */
export function failureError(organizationId: string, report: ApplyReport, operation: string): Error {
  const lines = report.failed.map(
    (f) =>
      `  - ${f.change.userId} (add [${f.change.add.join(", ")}], remove [${f.change.remove.join(", ")}]): ${f.reason}`,
  );
  return new Error(
    `${operation} of member roles in ${organizationId}: ${report.failed.length} of ${report.failed.length + report.applied.length} members failed, the others were applied.\n${lines.join("\n")}\nFix the causes above and run \`pulumi up\` again: it repeats only what is missing (adding or removing a role twice changes nothing).`,
  );
}
