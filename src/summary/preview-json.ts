/**
 * Reads what `pulumi preview --json` prints, in either of its two forms, into one shape. Pure.
 *
 * - The digest (default): one JSON document `{ config, steps, diagnostics, changeSummary }`. Pulumi v3.248
 *   leaves policy events out of it (pkg/backend/display/json.go: "we don't handle policy events in JSON
 *   serialization"), and a refresh step keeps its old state unless the provider returned a detailed diff,
 *   which a Node dynamic provider cannot: the refreshed state shows as the old state of the resource's next step.
 * - Engine events (`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true`): one JSON event per line (apitype.EngineEvent):
 *   `preludeEvent` (config), `resourcePreEvent` (each step's old and new state), `resOutputsEvent` (for a
 *   refresh, the state read from the provider), `policyEvent`, `policyAnalyze*SummaryEvent`,
 *   `diagnosticEvent`, `summaryEvent`. This form carries the policy pack's results.
 *
 * Secret values arrive masked: `"[secret]"` in the digest, `{ "4dabf1…": "1b4706…", "ciphertext": "[secret]" }`
 * in events. They are kept as found here; readers decide (see {@link isSecretValue}).
 */

/** A resource's state as the preview shows it. Fields the JSON lacks are empty. */
export interface StateView {
  type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  retainOnDelete: boolean;
}

/** One step the engine plans (`create`, `update`, `delete`, `same`, `create-replacement`, …). */
export interface StepView {
  op: string;
  urn: string;
  type: string;
  old?: StateView;
  new?: StateView;
}

/** What a refresh found for one resource: the state before it and the state it read. */
export interface RefreshView {
  urn: string;
  type: string;
  before?: StateView;
  after?: StateView;
}

export type PolicyLevel = "mandatory" | "advisory" | "remediate" | "disabled" | string;

export interface PolicyFinding {
  pack: string;
  packVersion: string;
  policy: string;
  level: PolicyLevel;
  message: string;
  urn?: string;
}

export interface PolicyPackReport {
  name: string;
  version: string;
  passed: string[];
  failed: string[];
}

export interface Diagnostic {
  severity: string;
  message: string;
  urn?: string;
}

export interface PreviewRecord {
  format: "digest" | "events";
  /** Stack config as the CLI prints it: secrets `"[secret]"`, objects as JSON strings. */
  config: Record<string, unknown>;
  steps: StepView[];
  refreshes: RefreshView[];
  /** `reported: false`: this JSON cannot carry policy results (the digest form). */
  policy: { reported: boolean; findings: PolicyFinding[]; packs: PolicyPackReport[] };
  diagnostics: Diagnostic[];
  /** The preview failed (error diagnostics, a failed summary event, or a mandatory policy violation). */
  failed: boolean;
}

/** Thrown for input that is not the output of `pulumi preview --json`; the message says what was expected. */
export class PreviewJsonError extends Error {
  override name = "PreviewJsonError";
}

const EXPECTED =
  "expected the output of `pulumi preview --json` (one JSON document with `steps`), or of " +
  "`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` (one JSON engine event per line)";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** The signature Pulumi puts on serialised secrets (sdk/go/common/resource/sig: Secret). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A value the CLI masked because it is secret, in either JSON form. */
export function isSecretValue(v: unknown): boolean {
  return v === "[secret]" || (isObject(v) && v[SECRET_SIG_KEY] === SECRET_SIG);
}

function stateView(v: unknown): StateView | undefined {
  if (!isObject(v)) return undefined;
  return {
    type: str(v.type),
    inputs: isObject(v.inputs) ? v.inputs : {},
    outputs: isObject(v.outputs) ? v.outputs : {},
    retainOnDelete: v.retainOnDelete === true,
  };
}

function levelOf(v: unknown): PolicyLevel {
  const level = str(v);
  return level === "warning" ? "advisory" : level || "advisory";
}

/**
 * Parses the text printed by `pulumi preview --json` (either form).
 *
 * @example
 * const record = parsePreviewJson(readFileSync("preview.json", "utf8"));
 * record.steps.filter((s) => s.op === "update");
 */
export function parsePreviewJson(text: string): PreviewRecord {
  const trimmed = text.trim();
  if (trimmed === "")
    throw new PreviewJsonError(
      `the input is empty: ${EXPECTED}. Did the preview fail before printing? See its log.`,
    );
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined; // several documents: engine events, one per line
  }
  if (isObject(whole) && Array.isArray(whole.steps)) return fromDigest(whole);
  return fromEvents(trimmed);
}

function fromDigest(doc: Json): PreviewRecord {
  const steps: StepView[] = [];
  const refreshSteps: Array<{ urn: string; type: string; before?: StateView; after?: StateView }> = [];
  const later = new Map<string, StateView>();
  for (const raw of doc.steps as unknown[]) {
    if (!isObject(raw)) continue;
    const old = stateView(raw.oldState);
    const next = stateView(raw.newState);
    const urn = str(raw.urn);
    const type = old?.type || next?.type || "";
    if (raw.op === "refresh") {
      refreshSteps.push({ urn, type, ...(old ? { before: old } : {}), ...(next ? { after: next } : {}) });
      continue;
    }
    if (old && !later.has(urn)) later.set(urn, old);
    steps.push({ op: str(raw.op), urn, type, ...(old ? { old } : {}), ...(next ? { new: next } : {}) });
  }
  // The refreshed state is the old state of the resource's next step (see the module comment).
  const refreshes = refreshSteps.map((r) => {
    const after = later.get(r.urn) ?? r.after;
    return {
      urn: r.urn,
      type: r.type,
      ...(r.before ? { before: r.before } : {}),
      ...(after ? { after } : {}),
    };
  });
  const diagnostics = (Array.isArray(doc.diagnostics) ? doc.diagnostics : [])
    .filter(isObject)
    .map(diagnostic);
  return {
    format: "digest",
    config: isObject(doc.config) ? doc.config : {},
    steps,
    refreshes,
    policy: { reported: false, findings: [], packs: [] },
    diagnostics,
    failed: diagnostics.some((d) => d.severity === "error"),
  };
}

function diagnostic(d: Json): Diagnostic {
  const urn = str(d.urn);
  // The digest keeps the prefix in the message ("error: ..."); events keep it apart.
  const message = str(d.message).replace(/^(error|warning|info|debug): /, "");
  return { severity: str(d.severity), message, ...(urn ? { urn } : {}) };
}

function fromEvents(text: string): PreviewRecord {
  const record: PreviewRecord = {
    format: "events",
    config: {},
    steps: [],
    refreshes: [],
    policy: { reported: false, findings: [], packs: [] },
    diagnostics: [],
    failed: false,
  };
  const packs = new Map<string, PolicyPackReport>();
  const refreshes = new Map<string, RefreshView>();
  const lines = text.split("\n");
  let events = 0;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (err) {
      throw new PreviewJsonError(
        `line ${index + 1} is not JSON (${err instanceof Error ? err.message : String(err)}): ${EXPECTED}.`,
      );
    }
    if (!isObject(event) || typeof event.sequence !== "number")
      throw new PreviewJsonError(`line ${index + 1} is not a Pulumi engine event: ${EXPECTED}.`);
    events++;
    readEvent(event, record, packs, refreshes);
  });
  if (events === 0) throw new PreviewJsonError(`no engine events found: ${EXPECTED}.`);
  record.refreshes = [...refreshes.values()];
  record.policy.packs = [...packs.values()].map((p) => ({
    ...p,
    failed: [...new Set(p.failed)].sort(),
    passed: [...new Set(p.passed)].filter((name) => !p.failed.includes(name)).sort(),
  }));
  if (record.policy.findings.some((f) => f.level === "mandatory")) record.failed = true;
  return record;
}

function packOf(packs: Map<string, PolicyPackReport>, e: Json): PolicyPackReport {
  const name = str(e.policyPackName);
  let pack = packs.get(name);
  if (!pack) {
    pack = { name, version: str(e.policyPackVersion), passed: [], failed: [] };
    packs.set(name, pack);
  }
  return pack;
}

function readEvent(
  event: Json,
  record: PreviewRecord,
  packs: Map<string, PolicyPackReport>,
  refreshes: Map<string, RefreshView>,
): void {
  if (isObject(event.preludeEvent) && isObject(event.preludeEvent.config)) {
    record.config = event.preludeEvent.config;
  } else if (isObject(event.resourcePreEvent) && isObject(event.resourcePreEvent.metadata)) {
    const m = event.resourcePreEvent.metadata;
    const old = stateView(m.old);
    const next = stateView(m.new);
    const step = { urn: str(m.urn), type: str(m.type) };
    if (m.op === "refresh") {
      if (!refreshes.has(step.urn)) refreshes.set(step.urn, { ...step, ...(old ? { before: old } : {}) });
    } else {
      record.steps.push({ op: str(m.op), ...step, ...(old ? { old } : {}), ...(next ? { new: next } : {}) });
    }
  } else if (isObject(event.resOutputsEvent) && isObject(event.resOutputsEvent.metadata)) {
    const m = event.resOutputsEvent.metadata;
    if (m.op !== "refresh") return;
    const urn = str(m.urn);
    const before = refreshes.get(urn)?.before ?? stateView(m.old);
    const after = stateView(m.new);
    refreshes.set(urn, {
      urn,
      type: str(m.type),
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    });
  } else if (isObject(event.policyLoadEvent)) {
    record.policy.reported = true;
  } else if (isObject(event.policyEvent)) {
    const e = event.policyEvent;
    record.policy.reported = true;
    packOf(packs, e);
    const urn = str(e.resourceUrn);
    record.policy.findings.push({
      pack: str(e.policyPackName),
      packVersion: str(e.policyPackVersion),
      policy: str(e.policyName),
      level: levelOf(e.enforcementLevel),
      message: str(e.message),
      ...(urn ? { urn } : {}),
    });
  } else if (isObject(event.policyAnalyzeSummaryEvent) || isObject(event.policyAnalyzeStackSummaryEvent)) {
    const e = (event.policyAnalyzeSummaryEvent ?? event.policyAnalyzeStackSummaryEvent) as Json;
    record.policy.reported = true;
    const pack = packOf(packs, e);
    pack.passed.push(...strings(e.passed));
    pack.failed.push(...strings(e.failed));
  } else if (isObject(event.diagnosticEvent)) {
    record.diagnostics.push(diagnostic(event.diagnosticEvent));
    if (event.diagnosticEvent.severity === "error") record.failed = true;
  } else if (isObject(event.summaryEvent)) {
    if (event.summaryEvent.result === "failed") record.failed = true;
  }
}
