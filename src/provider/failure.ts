import type { ChangeOutcome, RecordedState } from "../model/plan";
import { type ApplyReport, failureMessage, PartialApplyError } from "./apply";
import type { ResourceKind } from "./kind";
import { outputs } from "./outputs";

/** Whether anything may have reached the tenant: a write done, or one whose failure hides whether it landed. */
export const anyWrite = (outcomes: readonly ChangeOutcome[]) =>
  outcomes.some(
    (o) => (o.removed && o.change.remove.length > 0) || (o.added && o.change.add.length > 0) || o.uncertain,
  );

/**
 * The error of a failed create or update. When something reached the tenant, or may have (an addition
 * answered 500 may have landed), an error that records it (PartialApplyError: the engine stores `after` and
 * still fails the step), so the state stays true and the next preview shows the attempted roles; when nothing
 * did, a plain error, and the engine keeps the previous state, which is still true. The boundary masks it
 * and adds the serialised provider.
 */
export function applyFailure(
  operation: "Create" | "Update",
  id: string,
  report: ApplyReport,
  after: RecordedState & Record<string, unknown>,
  kind: ResourceKind,
): Error {
  const message = failureMessage(after.organizationId, report, operation, kind.holders.noun);
  if (!anyWrite(report.outcomes)) return new Error(message);
  // The engine shows the reasons and stores them in the state in clear (initErrors); the boundary masks them.
  return new PartialApplyError(message, id, outputs(kind, after), [message]);
}
