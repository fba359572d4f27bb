/**
 * What the drift watch's `pulumi preview --refresh --expect-no-changes --json` found. Only changes may open
 * the drift issue: a preview that failed (a credential, the network, a program error) must fail the job
 * instead, or a broken secret would read as drift, or close the issue as if the drift were gone. The CLI the
 * workflow pins says which: v3.248.0 exits 7 for changes under `--expect-no-changes`, and only when nothing
 * failed (`pkg/cmd/pulumi/cmd/exit_codes.go`, `ExitNoChanges`; `operations/preview.go` returns any error
 * before it checks for changes). Pure: the JSON text and the exit code in, a verdict out.
 *
 * @example
 * driftVerdict(readFileSync("preview.json", "utf8"), 7); // { verdict: "drift", changes: 1, reason: "…" }
 */
import { parsePreviewJson } from "./preview-json";

/** The CLI's exit code for "changes were proposed" under `--expect-no-changes`. */
export const EXIT_CHANGES_PROPOSED = 7;

export interface DriftVerdict {
  verdict: "clean" | "drift" | "error";
  /** Resources the preview would change (0 when unknown). */
  changes: number;
  reason: string;
}

/** Steps that change nothing. */
const UNCHANGED = new Set(["same", "read", "refresh"]);

export function driftVerdict(previewText: string, exitCode: number): DriftVerdict {
  if (exitCode === 0) return { verdict: "clean", changes: 0, reason: "the preview proposed no change" };
  if (exitCode !== EXIT_CHANGES_PROPOSED)
    return { verdict: "error", changes: 0, reason: `the preview failed (exit code ${exitCode})` };
  let steps: Array<{ op: string }>;
  try {
    steps = parsePreviewJson(previewText).steps;
  } catch (err) {
    // Changes, but no summary of them to put in the issue.
    return { verdict: "error", changes: 0, reason: (err as Error).message };
  }
  const changes = steps.filter((s) => !UNCHANGED.has(s.op)).length;
  return { verdict: "drift", changes, reason: `${changes} resource(s) would change` };
}
