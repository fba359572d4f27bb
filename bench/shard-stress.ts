/**
 * `npm run bench:shard-stress`: the four-shard-stack stress scenario of test/e2e/shard-stress.test.ts at a
 * larger size and for more rounds (BENCH_STRESS_ROUNDS, default 50; BENCH_STRESS_ORGS, default 64;
 * BENCH_STRESS_MEMBERS, default 4; BENCH_STRESS_SEED, default 37), through the real engine against one
 * emulator with Auth0's Enterprise buckets in real time. Prints one line per round (kind, calls, 429s by
 * endpoint, lost and extra assignments, failed runs, seconds) and the totals, and writes its section of
 * bench/RESULTS.md. Exits 1 when any assignment was lost or extra or any run failed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { RATE_LIMIT_PROFILES } from "../emulator/buckets";
import { Emulator, emulatorSettings } from "../emulator/server";
import { configureStack, openStack, scratchProject } from "../scripts/engine";
import {
  type RoundReport,
  runShardStress,
  type StressShape,
  stressTenant,
} from "../test/helpers/shard-stress";
import { machine, writeResultsSection } from "./harness";

const env = process.env;
const ROUNDS = Number(env.BENCH_STRESS_ROUNDS ?? 50);
const SHAPE: StressShape = {
  organizations: Number(env.BENCH_STRESS_ORGS ?? 64),
  members: Number(env.BENCH_STRESS_MEMBERS ?? 4),
  roles: 8,
  stacks: 4,
  seed: Number(env.BENCH_STRESS_SEED ?? 37),
};

const percent = (part: number, whole: number) => (whole === 0 ? "0.0" : ((100 * part) / whole).toFixed(1));

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-shard-stress-"));
  const emulator = await Emulator.start({
    fixture: stressTenant(SHAPE),
    rateLimits: RATE_LIMIT_PROFILES.enterprise,
  });
  let stacks = 0;
  const harness = {
    emulator,
    async newStack(program: PulumiFn) {
      const name = `stress${++stacks}`;
      const stack = await openStack({
        workDir: scratchProject(path.join(tmp, name), { name: "stress" }),
        stackName: name,
        stateDir: path.join(tmp, "state"),
        home: path.join(tmp, "home"),
        program,
      });
      await configureStack(stack, emulatorSettings(emulator.url));
      return stack;
    },
  };
  const lines: string[] = [];
  const byRoute429 = new Map<string, number>();
  const started = performance.now();
  console.log(
    `${SHAPE.organizations} organizations × ${SHAPE.members} members, ${SHAPE.stacks} shard stacks at once, ${ROUNDS} rounds, seed ${SHAPE.seed}; ${machine()}`,
  );
  let reports: RoundReport[] = [];
  try {
    reports = await runShardStress(harness, SHAPE, ROUNDS, (r) => {
      const limited = Object.entries(emulator.counts())
        .filter(([key]) => key.endsWith(" 429"))
        .map(([key, n]) => {
          const route = key.split(" ").slice(0, 2).join(" ");
          byRoute429.set(route, (byRoute429.get(route) ?? 0) + n);
          return `${route} ${n}`;
        });
      const line = `round ${String(r.round).padStart(2)} ${r.kind.padEnd(11)} calls ${String(r.calls).padStart(5)}  429s ${String(r.rateLimited).padStart(4)} (${percent(r.rateLimited, r.calls)}%)  lost ${r.lost.length}  extra ${r.extra.length}  failed ${r.failed.length}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.did}${limited.length ? `  [429: ${limited.join(", ")}]` : ""}`;
      console.log(line);
      for (const f of r.failed) console.log(`  stack ${f.stack} failed: ${f.error.slice(-600)}`);
      for (const x of [...r.lost.map((l) => `lost ${l}`), ...r.extra.map((e) => `extra ${e}`)].slice(0, 10))
        console.log(`  ${x}`);
      lines.push(line);
    });
  } finally {
    await emulator.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const sum = (f: (r: RoundReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const calls = sum((r) => r.calls);
  const limited = sum((r) => r.rateLimited);
  const firstApply = reports[0];
  const later = reports.slice(1);
  const laterCalls = later.reduce((n, r) => n + r.calls, 0);
  const laterLimited = later.reduce((n, r) => n + r.rateLimited, 0);
  const bad = sum((r) => r.lost.length + r.extra.length + r.failed.length);
  const totals = [
    `rounds ${reports.length}: calls ${calls}, 429s ${limited} (${percent(limited, calls)}%); first apply ${firstApply?.calls ?? 0} calls, ${firstApply?.rateLimited ?? 0} 429s (${percent(firstApply?.rateLimited ?? 0, firstApply?.calls ?? 0)}%); later rounds ${laterCalls} calls, ${laterLimited} 429s (${percent(laterLimited, laterCalls)}%)`,
    `lost ${sum((r) => r.lost.length)}, extra ${sum((r) => r.extra.length)}, failed runs ${sum((r) => r.failed.length)}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
    `429s by endpoint: ${[...byRoute429].map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`,
  ];
  for (const t of totals) console.log(t);
  writeResultsSection(
    "shard-stress",
    [
      `## Four shard stacks at once: ${ROUNDS} rounds of edits, moves and re-creations`,
      "",
      `\`BENCH_STRESS_ROUNDS=${ROUNDS} BENCH_STRESS_ORGS=${SHAPE.organizations} BENCH_STRESS_MEMBERS=${SHAPE.members} BENCH_STRESS_SEED=${SHAPE.seed} npm run bench:shard-stress\` on ${machine()}, ${new Date().toISOString().slice(0, 10)}. One emulator with Auth0's Enterprise buckets in real time; every round runs the four stacks' \`up\` (or \`destroy\` for a shard past \`count\`) at once, then compares the tenant with the scenario's own model (test/helpers/shard-stress.ts).`,
      "",
      "```",
      ...lines,
      ...totals,
      "```",
    ].join("\n"),
  );
  process.exitCode = bad === 0 ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
