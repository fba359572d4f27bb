/**
 * The shipped workflow (.github/workflows/member-roles.yml), parsed, for tests of what each job and step can
 * reach. js-yaml is the devDependency (the version mocha and @pulumi/pulumi install anyway); it ships no types,
 * so the one function used is declared here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../scripts/engine";

const { load } = require("js-yaml") as { load(text: string): unknown };

export const WORKFLOW_PATH = path.join(PROJECT_ROOT, ".github/workflows/member-roles.yml");

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

export interface Job {
  if?: string;
  needs?: string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  strategy?: Record<string, unknown>;
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  steps: Step[];
}

export interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
  [key: string]: unknown;
}

export function workflowText(): string {
  return readFileSync(WORKFLOW_PATH, "utf8");
}

export function loadWorkflow(text: string = workflowText()): Workflow {
  return load(text) as Workflow;
}

/** The secrets a value names (`${{ secrets.X }}`), sorted, wherever they are in it. */
export function secretsIn(value: unknown): string[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return [...new Set([...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

/** A step's name for messages: its `name`, else its `uses` or the first line of its `run`. */
export function stepLabel(step: Step): string {
  return step.name ?? step.uses ?? step.run?.split("\n", 1)[0] ?? "(unnamed)";
}
