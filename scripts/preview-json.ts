/**
 * `pulumi preview --json` on a stack opened through the Automation API (scripts/engine.ts). The SDK's
 * `stack.preview()` has no `json` option at v3.248, so this appends `--json` through the workspace's
 * documented `serializeArgsForOp` hook (extra arguments for every CLI command) for the one call, and
 * collects stdout: the same text the CLI prints when run by hand, including when the preview fails.
 *
 * @example
 * const { text, failed } = await previewJson(stack, { refresh: true, policyPacks: ["policies"] }, "events");
 */
import type { PreviewOptions, Stack } from "@pulumi/pulumi/automation";

/** `digest`: the default single JSON document. `events`: one engine event per line (carries policy results). */
export type PreviewJsonFormat = "digest" | "events";

export interface PreviewJsonResult {
  text: string;
  /** The CLI exited non-zero (the preview failed: an error, or a mandatory policy violation). */
  failed: boolean;
  /**
   * The CLI's exit code, as a pipeline step sees it (7: changes under `expectNoChanges`, see
   * src/summary/drift.ts); 1 when the error does not say.
   */
  exitCode: number;
  error?: Error;
}

/**
 * The SDK's CommandError keeps its result private, and when the CLI exits non-zero its `code` is the SDK's
 * own -2 ("unknown"); the exit code is in the message of the process error it wraps ("Command failed with
 * exit code N", execa's words). 1 when neither says.
 */
function exitCodeOf(err: unknown): number {
  const message = err instanceof Error ? err.message : "";
  const code = /Command failed with exit code (\d+)/.exec(message)?.[1] ?? /^code: (\d+)/.exec(message)?.[1];
  return code === undefined ? 1 : Number(code);
}

const STREAMING = "PULUMI_ENABLE_STREAMING_JSON_PREVIEW";

export async function previewJson(
  stack: Stack,
  options: Omit<PreviewOptions, "onOutput"> = {},
  format: PreviewJsonFormat = "events",
): Promise<PreviewJsonResult> {
  const ws = stack.workspace;
  const ownHook = Object.hasOwn(ws, "serializeArgsForOp");
  const hook = ws.serializeArgsForOp;
  const serialize = hook.bind(ws);
  const hadStreaming = Object.hasOwn(ws.envVars, STREAMING);
  const streaming = ws.envVars[STREAMING];
  const chunks: string[] = [];
  ws.serializeArgsForOp = async (name: string) => [...(await serialize(name)), "--json"];
  if (format === "events") ws.envVars[STREAMING] = "true";
  else delete ws.envVars[STREAMING];
  try {
    await stack.preview({ ...options, onOutput: (s: string) => chunks.push(s) });
    return { text: chunks.join(""), failed: false, exitCode: 0 };
  } catch (err) {
    return { text: chunks.join(""), failed: true, exitCode: exitCodeOf(err), error: err as Error };
  } finally {
    if (ownHook) ws.serializeArgsForOp = hook;
    else Reflect.deleteProperty(ws, "serializeArgsForOp");
    if (hadStreaming) ws.envVars[STREAMING] = streaming!;
    else delete ws.envVars[STREAMING];
  }
}
