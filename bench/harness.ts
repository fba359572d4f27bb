/**
 * What every benchmark scenario shares: the emulator in a process of its own, its admin routes (counters,
 * resets), the per-endpoint tally of one measured step and the rate-limit lower bound of those calls.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RATE_LIMIT_PROFILES } from "../emulator/buckets";
import { ENDPOINT_GROUPS } from "../emulator/server";
import { PROJECT_ROOT } from "../scripts/engine";

/** The emulator in its own process (the measured client gets the other core), on a clock compressed `scale` times. */
export async function startEmulator(
  fixtureFile: string,
  origin: number,
  scale: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, "dist/src/cli/main.js"),
      "emulator",
      "--port=0",
      `--seed=${fixtureFile}`,
      "--profile=enterprise",
      `--time-scale=${scale}`,
      `--clock-origin=${origin}`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { url, child };
}

export async function admin(
  url: string,
  method: "GET" | "POST",
  route: string,
): Promise<Record<string, number>> {
  const res = await fetch(`${url}/__emulator/${route}`, { method });
  return (await res.json()) as Record<string, number>;
}

/** The calls of one measured step, by endpoint ("GET members", ...), without the token endpoint. */
export interface Tally {
  calls: Record<string, number>;
  total: number;
  rateLimited: number;
  failed: number;
  /** Seconds the rate limits alone impose on these calls, on the emulator's (compressed) clock. */
  boundSeconds: number;
}

/** Counters since the last reset, tallied; then both counters and buckets start afresh for the next step. */
export async function takeTally(url: string): Promise<Tally> {
  const counts = await admin(url, "GET", "counters");
  const calls: Record<string, number> = {};
  let total = 0;
  let rateLimited = 0;
  let failed = 0;
  for (const [key, n] of Object.entries(counts)) {
    const [method, route, status] = key.split(" ");
    if (route === "token") continue;
    total += n;
    if (status === "429") rateLimited += n;
    else if (status === "reset" || Number(status) >= 400) failed += n;
    const endpoint = `${method} ${route}`;
    calls[endpoint] = (calls[endpoint] ?? 0) + n;
  }
  return { calls, total, rateLimited, failed, boundSeconds: lowerBound(counts) };
}

/** Counters and buckets start afresh: each step is measured from full buckets. */
export async function resetCounters(url: string): Promise<void> {
  await admin(url, "POST", "counters/reset");
  await admin(url, "POST", "rate-limits/reset");
}

/** The rate-limit lower bound: successful calls beyond each bucket's burst, at its refill rate; the slowest bucket. */
export function lowerBound(counts: Record<string, number>): number {
  const profile = RATE_LIMIT_PROFILES.enterprise;
  const perGroup = new Map<string, number>();
  let total = 0;
  for (const [key, n] of Object.entries(counts)) {
    const [method, route, status] = key.split(" ");
    if (route === "token" || status === "429" || status === "reset") continue;
    total += n;
    const group = ENDPOINT_GROUPS[`${method} ${route}`];
    if (group) perGroup.set(group, (perGroup.get(group) ?? 0) + n);
  }
  let bound = profile.global ? Math.max(0, total - profile.global.burst) / profile.global.perSecond : 0;
  for (const [group, n] of perGroup) {
    const spec = profile.groups[group as keyof typeof profile.groups];
    if (spec) bound = Math.max(bound, Math.max(0, n - spec.burst) / spec.perSecond);
  }
  return bound;
}

/** "2 × AMD EPYC, 24 GiB, Node v20" */
export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Writes `text` as the section `name` of bench/RESULTS.md, between its markers, leaving the other
 * scenarios' sections as they are (each scenario can be run alone).
 */
export function writeResultsSection(name: string, text: string): void {
  const file = path.join(PROJECT_ROOT, "bench/RESULTS.md");
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const before = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const block = `${start}\n${text.trim()}\n${end}`;
  const from = before.indexOf(start);
  const to = before.indexOf(end);
  const after =
    from >= 0 && to > from
      ? `${before.slice(0, from)}${block}${before.slice(to + end.length)}`
      : `${before.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, after);
}
