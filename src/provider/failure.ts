import { ManagementApiError } from "../client/errors";
import type { CheckFailure } from "../model/desired";
import type { ChangeOutcome, HolderChange } from "../model/plan";
import { type Recorded, toStored } from "../model/stored-state";
import type { ApplyReport } from "./apply";
import type { Holders, ResourceKind } from "./kind";

/** Every way a write fails, and its text. Tests and docs quote them: grep test/ and docs/ before changing. */

/**
 * A failed apply carrying the state to record: the dynamic-provider host answers ErrorResourceInitFailed, and
 * the engine stores it while failing the step, so the next preview starts from the truth.
 */
export class PartialApplyError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "PartialApplyError";
  }
}

/** One write's failure as a line's reason: the API's answer and its fix. */
export function reasonOf(err: unknown): string {
  if (err instanceof ManagementApiError) {
    const api = err.apiMessage ? `${err.status ?? ""} ${err.apiMessage}`.trim() : (err.status ?? err.kind);
    return `${err.method} failed (${api}). ${err.hint}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The error of a write refused before anything was sent: every problem, and that nothing changed. */
export function refusedWrite(
  operation: string,
  noun: Holders["noun"],
  organizationId: string,
  failures: readonly CheckFailure[],
): Error {
  return new Error(
    `${operation} of ${noun} roles in ${organizationId}: nothing was changed; ${failures.length} problem(s) to fix first:\n${failures.map((f) => `  - ${f.reason}`).join("\n")}\nFix them and run \`pulumi up\` again.`,
  );
}

function failedLines(report: ApplyReport): string[] {
  return report.failed.map(
    (f) =>
      `  - ${f.change.holder} (add [${f.change.add.join(", ")}], remove [${f.change.remove.join(", ")}]): ${f.reason}`,
  );
}

/** Whether anything may have reached the tenant: a write done, or one whose failure hides whether it landed. */
const anyWrite = (outcomes: readonly ChangeOutcome[]) =>
  outcomes.some(
    (o) => (o.removed && o.change.remove.length > 0) || (o.added && o.change.add.length > 0) || o.uncertain,
  );

/**
 * The error of a failed create or update: a PartialApplyError when something reached the tenant, or may have
 * (a 500); else a plain error, and the engine keeps the previous state, which is still true.
 */
export function applyFailure(
  operation: "Create" | "Update",
  id: string,
  report: ApplyReport,
  after: Recorded,
  kind: ResourceKind,
): Error {
  const noun = kind.holders.noun;
  const total = report.outcomes.length;
  const others = report.failed.length < total ? " the others were applied" : " nothing else was planned";
  const message = `${operation} of ${noun} roles in ${after.organizationId}: ${report.failed.length} of ${total} ${noun}s failed;${others}, and the state records what reached the tenant.\n${failedLines(report).join("\n")}\nFix the causes above, then \`pulumi preview --refresh\` shows what is left and \`pulumi up --refresh\` finishes it (adding or removing a role twice changes nothing). A plain \`pulumi up\` retries the additions; a removal that failed is shown, and made, again only after a refresh.`;
  if (!anyWrite(report.outcomes)) return new Error(message);
  // The engine shows the reasons and stores them in the state in clear (initErrors); the boundary masks them.
  return new PartialApplyError(message, id, toStored(after, kind), [message]);
}

/** The error of a failed delete: what failed, what was put back (delete.ts), and what could not be. */
export function deleteFailure(
  org: string,
  report: ApplyReport,
  putBack: HolderChange[],
  restored: ApplyReport,
  noun: Holders["noun"],
): Error {
  const lines = [
    `Delete of ${noun} roles in ${org}: ${report.failed.length} of ${report.outcomes.length} ${noun}s failed, and the engine keeps this resource's state as it was.`,
    ...failedLines(report),
  ];
  const unrestored = restored.failed.map((f) => f.change.holder);
  const back = putBack.length - unrestored.length;
  if (back > 0)
    lines.push(
      `So that the tenant matches that state, the roles removed from ${back} member(s) were put back.`,
    );
  if (unrestored.length > 0)
    lines.push(
      `Putting back failed for ${unrestored.length} member(s); they lack roles the state says they hold:`,
      ...restored.failed.map(
        (f) => `  - ${f.change.holder} (put back [${f.change.add.join(", ")}]): ${f.reason}`,
      ),
      "Run `pulumi refresh` before anything else: it records what they hold, and the next run starts from it.",
    );
  lines.push(
    "Fix the causes above, then run `pulumi destroy` again (or `pulumi up`, if the resource is still declared).",
  );
  return new Error(lines.join("\n"));
}
