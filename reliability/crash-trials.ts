/**
 * Crash trials: `pulumi up` killed with SIGKILL at a random moment, then recovered the way the README says
 * (`pulumi cancel` where a lock remains, `pulumi refresh --clear-pending-creates`, `pulumi up`), and the
 * tenant checked against the declaration. Each trial alternates the declaration so every `up` has work.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator } from "../emulator/server";
import { syntheticTenant } from "../emulator/tenant";
import { PROJECT_ROOT, scratchProject } from "../scripts/engine";
import { desiredFor } from "./crash-plan";
import { tally } from "./tally";

export interface CrashTrial {
  trial: number;
  killedAfterMs: number;
  /** Writes the tenant saw before the kill. */
  writesBeforeKill: number;
  /** The killed process had finished before the signal (no crash happened). */
  finishedBeforeKill: boolean;
  recovered: boolean;
  converged: boolean;
  lost: number;
  extra: number;
  error?: string;
}

function run(
  env: Record<string, string>,
  killAfterMs?: number,
): Promise<{ code: number | null; killed: boolean; output: string }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [path.join(PROJECT_ROOT, "dist/reliability/up-child.js")],
      {
        env: { ...process.env, ...env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    let killed = false;
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = true;
            try {
              process.kill(-child.pid!, "SIGKILL"); // the whole group: node, pulumi, the provider plugin
            } catch {
              killed = false;
            }
          }, killAfterMs);
    child.on("exit", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed: killed && code === null, output });
    });
  });
}

/**
 * The CLI starts provider plugins in process groups of their own, so they outlive a SIGKILL of the run's
 * group (as they would not outlive a dead runner). Kill those left running in `workDir`.
 */
function killOrphanedPlugins(workDir: string): number {
  let killed = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) !== workDir) continue;
      process.kill(Number(pid), "SIGKILL");
      killed++;
    } catch {
      // gone already, or not ours to read
    }
  }
  return killed;
}

/** Runs `trials` crash trials against one emulator (with per-request latency so the kill lands mid-apply). */
export async function runCrashTrials(
  trials: number,
  onTrial?: (t: CrashTrial) => void,
): Promise<CrashTrial[]> {
  const members = 60;
  const fixture = syntheticTenant({ members, roles: 12 });
  const org = fixture.organizations[0]!.id;
  const emulator = await Emulator.start({ fixture, faults: { latencyMs: 25 } });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "crash-"));
  const env = {
    CRASH_WORKDIR: scratchProject(path.join(tmp, "project"), { name: "crash" }),
    CRASH_STATE_DIR: path.join(tmp, "state"),
    CRASH_HOME: path.join(tmp, "home"),
    CRASH_EMULATOR_URL: emulator.url,
    CRASH_ORG: org,
    CRASH_MEMBERS: String(members),
    ORG_MEMBER_ROLES_CONCURRENCY: "4",
  };
  const results: CrashTrial[] = [];
  let random = 42;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random / 2 ** 31;
  };
  try {
    for (let trial = 0; trial < trials; trial++) {
      const variant = trial % 2 === 0 ? 1 : 2;
      const killedAfterMs = Math.round(1_500 + next() * 1_800);
      emulator.resetCounters();
      const crashed = await run({ ...env, CRASH_VARIANT: String(variant) }, killedAfterMs);
      const writesBeforeKill = emulator.writes();
      killOrphanedPlugins(env.CRASH_WORKDIR);
      const recovery = await run({ ...env, CRASH_VARIANT: String(variant), CRASH_MODE: "recover" });
      const { lost, extra } = tally(emulator, org, desiredFor(variant, members));
      const result: CrashTrial = {
        trial,
        killedAfterMs,
        writesBeforeKill,
        finishedBeforeKill: !crashed.killed,
        recovered: recovery.code === 0,
        converged: recovery.code === 0 && lost === 0 && extra === 0,
        lost,
        extra,
        ...(recovery.code === 0 ? {} : { error: recovery.output.slice(-2000) }),
      };
      results.push(result);
      onTrial?.(result);
    }
  } finally {
    await emulator.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}
