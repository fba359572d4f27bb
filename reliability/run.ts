/**
 * `npm run reliability`: the fault matrix through the resource (RELIABILITY_TRIALS per cell, default 5),
 * each fault once through `pulumi up` on the real engine, and RELIABILITY_CRASHES crash trials (default 30).
 * Writes RELIABILITY.md with the figures and the command.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OrgMemberRoles } from "../components/org-member-roles";
import { Emulator, emulatorSettings } from "../emulator/server";
import { syntheticTenant } from "../emulator/tenant";
import { configureStack, openStack, PROJECT_ROOT, scratchProject } from "../scripts/engine";
import { desiredFor } from "./crash-plan";
import { type CrashTrial, runCrashTrials } from "./crash-trials";
import { FAULT_CASES, OPERATIONS, type RunResult, runMatrix } from "./fault-matrix";
import { tally } from "./tally";

const TRIALS = Number(process.env.RELIABILITY_TRIALS ?? 5);
const CRASHES = Number(process.env.RELIABILITY_CRASHES ?? 30);

interface EngineRun {
  fault: string;
  convergedFirstTime: boolean;
  convergedOnRerun: boolean;
  lost: number;
  extra: number;
  calls: number;
}

/** Each fault during a `pulumi up` that changes every member (adds and removes), through the real engine. */
async function engineFaults(): Promise<EngineRun[]> {
  const members = 30;
  const fixture = syntheticTenant({ members, roles: 12 });
  const org = fixture.organizations[0]!.id;
  const emulator = await Emulator.start({ fixture });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "reliability-engine-"));
  let variant = 1;
  const runs: EngineRun[] = [];
  try {
    const stack = await openStack({
      workDir: scratchProject(path.join(tmp, "project"), { name: "reliability" }),
      stackName: "faults",
      stateDir: path.join(tmp, "state"),
      program: async () =>
        void new OrgMemberRoles("org", { organizationId: org, members: desiredFor(variant, members) }),
      env: { ORG_MEMBER_ROLES_RETRY_BUDGET: "200" },
    });
    await configureStack(stack, {
      ...emulatorSettings(emulator.url),
      "orgMemberRoles:requestTimeoutMs": "400",
    });
    await stack.up();
    for (const fault of FAULT_CASES) {
      variant = variant === 1 ? 2 : 1;
      emulator.resetCounters();
      emulator.setFaults({ ...structuredClone(fault.faults), seed: 7 });
      let failed = false;
      try {
        await stack.up();
      } catch {
        failed = true;
      }
      const calls = emulator.apiCalls();
      emulator.setFaults({});
      let rerunFailed = false;
      if (failed) await stack.up().catch(() => (rerunFailed = true));
      const { lost, extra } = tally(emulator, org, desiredFor(variant, members));
      const converged = lost === 0 && extra === 0 && !rerunFailed;
      const run = {
        fault: fault.name,
        convergedFirstTime: converged && !failed,
        convergedOnRerun: converged && failed,
        lost,
        extra,
        calls,
      };
      console.log(`  engine: ${JSON.stringify(run)}`);
      runs.push(run);
    }
  } finally {
    await emulator.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return runs;
}

function matrixTable(results: RunResult[]): string[] {
  const lines = [
    "| fault | operation | runs | converged first time | converged on rerun | not converged | lost assignments | extra assignments | calls per run (mean / max) |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const fault of FAULT_CASES)
    for (const operation of OPERATIONS) {
      const cell = results.filter((r) => r.fault === fault.name && r.operation === operation);
      if (cell.length === 0) continue;
      const first = cell.filter((r) => r.convergedFirstTime).length;
      const rerun = cell.filter((r) => r.convergedOnRerun).length;
      const calls = cell.map((r) => r.calls);
      lines.push(
        `| ${fault.name} | ${operation} | ${cell.length} | ${first} | ${rerun} | ${cell.length - first - rerun} | ${cell.reduce((n, r) => n + r.lost, 0)} | ${cell.reduce((n, r) => n + r.extra, 0)} | ${(calls.reduce((a, b) => a + b, 0) / calls.length).toFixed(1)} / ${Math.max(...calls)} |`,
      );
    }
  return lines;
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  console.log(
    `Fault matrix: ${FAULT_CASES.length} faults x ${OPERATIONS.length} operations x ${TRIALS} trials`,
  );
  const matrix = await runMatrix(TRIALS, (r) =>
    console.log(
      `  ${r.fault} / ${r.operation}: ${r.convergedFirstTime ? "converged" : r.convergedOnRerun ? "converged on rerun" : "NOT CONVERGED"} (${r.calls} calls)`,
    ),
  );
  console.log("Faults through pulumi up");
  const engine = await engineFaults();
  console.log(`Crash trials: ${CRASHES}`);
  const crashes: CrashTrial[] = await runCrashTrials(CRASHES, (t) =>
    console.log(
      `  trial ${t.trial}: killed after ${t.killedAfterMs} ms (${t.writesBeforeKill} writes before), ${t.converged ? "converged" : "NOT CONVERGED"}`,
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const killed = crashes.filter((c) => !c.finishedBeforeKill);
  const maxWrites = Math.max(...crashes.map((c) => c.writesBeforeKill));
  const lines = [
    "# Reliability",
    "",
    `Command: \`npm run reliability\` (RELIABILITY_TRIALS=${TRIALS}, RELIABILITY_CRASHES=${CRASHES}). Date: ${started.toISOString()}. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}. Took ${seconds.toFixed(0)} s.`,
    "CI runs the same suites with fewer trials (`test/integration/reliability.test.ts`).",
    "",
    "## Fault matrix through the resource (40 declared members, 5 undeclared; emulator over HTTP)",
    "",
    "A run converges when every declared member holds exactly what the rules say (create adopts, update is authoritative over what the state shows, delete removes only declared roles, refresh records the drift), undeclared members are untouched, and no call is left failing. When the first run fails, its error names the members left; the faults are lifted and the same operation runs again.",
    "",
    ...matrixTable(matrix),
    "",
    `Totals: ${matrix.length} runs, ${matrix.filter((r) => r.convergedFirstTime).length} converged first time, ${matrix.filter((r) => r.convergedOnRerun).length} on rerun, ${matrix.filter((r) => !r.convergedFirstTime && !r.convergedOnRerun).length} not converged; ${matrix.reduce((n, r) => n + r.lost, 0)} lost and ${matrix.reduce((n, r) => n + r.extra, 0)} extra assignments.`,
    "",
    "## The same faults during `pulumi up` (real engine, 30 members, every member changes)",
    "",
    "| fault | converged first time | converged on rerun | lost | extra | calls |",
    "|---|---|---|---|---|---|",
    ...engine.map(
      (e) =>
        `| ${e.fault} | ${e.convergedFirstTime ? "yes" : "no"} | ${e.convergedOnRerun ? "yes" : e.convergedFirstTime ? "–" : "no"} | ${e.lost} | ${e.extra} | ${e.calls} |`,
    ),
    "",
    "## Crash trials: `pulumi up` killed with SIGKILL (node, pulumi, provider plugin), then recovered",
    "",
    "Recovery as the README says: `pulumi cancel` (where a lock remains), `pulumi refresh --clear-pending-creates`, `pulumi up`. 60 members, 25 ms per request; each trial flips the declaration of every member, so every `up` has about 120 writes to make.",
    "",
    `Trials: ${crashes.length}. Killed while running: ${killed.length} (${crashes.length - killed.length} had finished before the signal): ${killed.filter((c) => c.writesBeforeKill === 0).length} before any write, ${killed.filter((c) => c.writesBeforeKill > 0 && c.writesBeforeKill < maxWrites).length} in the middle of the writes, ${killed.filter((c) => c.writesBeforeKill >= maxWrites).length} after the last write but before the state was saved. Recovered: ${crashes.filter((c) => c.recovered).length}; converged: ${crashes.filter((c) => c.converged).length}; lost assignments: ${crashes.reduce((n, c) => n + c.lost, 0)}; extra: ${crashes.reduce((n, c) => n + c.extra, 0)}.`,
    "",
  ];
  const failed = crashes.filter((c) => !c.converged);
  if (failed.length)
    lines.push(
      "Failures:",
      "",
      ...failed.map((f) => `- trial ${f.trial}: ${(f.error ?? "").replace(/\n/g, " ").slice(0, 400)}`),
      "",
    );
  writeFileSync(path.join(PROJECT_ROOT, "RELIABILITY.md"), `${lines.join("\n")}\n`);
  console.log(lines.join("\n"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
