/**
 * The many-organizations curve (`npm run bench:many-orgs -- 500,1000,2000,4000`; also part of `npm run bench`
 * at one size): a B2B tenant of N organizations of BENCH_ORG_MEMBERS members (default 5), two roles each,
 * applied through the real Pulumi engine (Automation API, CLI, dynamic-provider plugin) against the emulator
 * with Auth0's Enterprise buckets compressed BENCH_TIME_SCALE times (default 60), at several sizes in one run,
 * with the exponent of the growth fitted per row (least squares of log time on log size).
 *
 * Layouts (BENCH_LAYOUTS, default `shards`), each measured for ours and for its floor in the same run:
 *   - `single`: every organization in one stack (the shape before sharding);
 *   - `skip-checkpoints`: the same with PULUMI_SKIP_CHECKPOINTS=true (the engine writes the state once, at the end);
 *   - `shards`: `declareOrganizations` with `shard`, stacks of about BENCH_SHARD_SIZE organizations (default 250)
 *     run BENCH_PARALLEL at a time (default 4), as a pipeline's matrix runs them, sharing the tenant's buckets.
 * The floor is the same layout of do-nothing dynamic resources (`pulumi.dynamic.Resource` with a two-method
 * provider, no API call), one per organization with the same inputs: what the engine alone costs. Each step
 * runs on the floor and then on ours before the next step, so the machine's noise falls on both alike. Each
 * layout has its own emulator (a first apply on one tenant would leave nothing to do for the next layout).
 * BENCH_NODE_OPTIONS is given to our provider processes (a --require hook running node:inspector's profiler).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { declareOrganizations } from "../components/from-config";
import type { OrganizationsConfig } from "../components/organizations-config";
import { shardOf } from "../components/shards";
import { emulatorSettings } from "../emulator/server";
import type { TenantFixture } from "../emulator/tenant";
import { configureStack, openStack, scratchProject } from "../scripts/engine";
import { machine, resetCounters, startEmulator, type Tally, takeTally, writeResultsSection } from "./harness";

export const STEPS = [
  "first apply",
  "no-op preview",
  "no-op up",
  "one organization changed",
  "refresh",
  "destroy",
] as const;
export type Step = (typeof STEPS)[number];
export const LAYOUTS = ["single", "skip-checkpoints", "shards"] as const;
export type Layout = (typeof LAYOUTS)[number];
type Who = "ours" | "floor";

export interface ManyOrgsOptions {
  sizes: number[];
  membersPerOrganization: number;
  scale: number;
  layouts: Layout[];
  /** Organizations per shard stack (the `shards` layout: ceil(size / shardSize) stacks). */
  shardSize: number;
  /** Shard stacks run at once. */
  parallel: number;
  /** The steps measured (BENCH_STEPS; default all): a 10,000 run may measure first apply and no-op preview alone. */
  steps: Step[];
  /** Whether the floor is measured too (BENCH_FLOOR=0: ours alone, for a run at 10,000 short of time). */
  floor: boolean;
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Sizes from the first argument (`500,1000`), else BENCH_ORG_SIZES, else BENCH_ORGS (one size). */
export function manyOrgsOptions(
  env: NodeJS.ProcessEnv = process.env,
  argv: string[] = process.argv.slice(2),
): ManyOrgsOptions {
  const sizes = list(argv[0] ?? env.BENCH_ORG_SIZES ?? env.BENCH_ORGS ?? "500,1000,2000,4000").map(Number);
  const layouts = list(env.BENCH_LAYOUTS ?? "shards") as Layout[];
  for (const l of layouts)
    if (!LAYOUTS.includes(l)) throw new Error(`BENCH_LAYOUTS: "${l}" is none of ${LAYOUTS.join(", ")}`);
  if (sizes.some((n) => !(n > 0 && Number.isInteger(n))))
    throw new Error(`sizes must be whole numbers above 0, got ${sizes.join(",")}`);
  return {
    sizes,
    membersPerOrganization: Number(env.BENCH_ORG_MEMBERS ?? 5),
    scale: Number(env.BENCH_TIME_SCALE ?? 60),
    layouts,
    shardSize: Number(env.BENCH_SHARD_SIZE ?? 250),
    parallel: Number(env.BENCH_PARALLEL ?? 4),
    steps: env.BENCH_STEPS ? STEPS.filter((s) => list(env.BENCH_STEPS!).includes(s)) : [...STEPS],
    floor: env.BENCH_FLOOR !== "0",
  };
}

const ROLES = 20;
const role = (i: number) => `rol_${String(i % ROLES).padStart(16, "0")}`;
const orgId = (i: number) => `org_many${String(i).padStart(12, "0")}`;
const userId = (i: number) => `auth0|many${String(i).padStart(20, "0")}`;

/** The tenant: every organization with its members, none holding a role yet. */
function tenant(size: number, perOrg: number): TenantFixture {
  const users = Array.from({ length: size * perOrg }, (_, i) => ({
    user_id: userId(i),
    email: `many${i}@example.com`,
    name: `User ${i}`,
  }));
  const organizations = Array.from({ length: size }, (_, i) => ({
    id: orgId(i),
    name: `customer-${i}`,
    display_name: `Customer ${i}`,
  }));
  const roles = Array.from({ length: ROLES }, (_, i) => ({
    id: role(i),
    name: `role-${i}`,
    description: "",
  }));
  const members: TenantFixture["members"] = {};
  organizations.forEach((org, i) => {
    members[org.id] = Object.fromEntries(
      Array.from({ length: perOrg }, (_, j) => [userId(i * perOrg + j), []]),
    );
  });
  return { organizations, users, roles, members };
}

/** The declaration of organization `i`: each member two roles; in the "changed" variant organization 0's first member swaps one. */
function declaration(perOrg: number, i: number, changed: boolean): Record<string, string[]> {
  return Object.fromEntries(
    Array.from({ length: perOrg }, (_, j) => {
      const roles = changed && i === 0 && j === 0 ? [role(j), role(j + 7)] : [role(j), role(j + 1)];
      return [userId(i * perOrg + j), roles.sort()];
    }),
  );
}

/** The stack config's organizations list, as a team writes it. */
function config(size: number, perOrg: number, changed: boolean): OrganizationsConfig["organizations"] {
  return Array.from({ length: size }, (_, i) => ({
    name: `org-${i}`,
    organizationId: orgId(i),
    members: declaration(perOrg, i, changed),
  }));
}

/** Does nothing and answers at once: what the engine alone costs per resource. */
const doNothing: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: "noop", outs: inputs };
  },
  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: news };
  },
};

export class DoNothing extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    super(doNothing, name, props, opts, "bench", "DoNothing");
  }
}

/** The program of one stack: all organizations, or shard `index` of `count`. */
function program(
  who: Who,
  size: number,
  perOrg: number,
  variant: { changed: boolean },
  shard: { index: number; count: number } | undefined,
): () => Promise<void> {
  return async () => {
    const organizations = config(size, perOrg, variant.changed);
    if (who === "ours") {
      declareOrganizations({ organizations, ...(shard ? { shard } : {}) }, "bench");
      return;
    }
    for (const org of organizations) {
      if (shard && shardOf(org.organizationId, shard.count) !== shard.index) continue;
      // The same inputs as ours, and the same option a shard sets.
      new DoNothing(
        org.name!,
        { organizationId: org.organizationId, members: org.members, mode: "authoritative" },
        shard ? { retainOnDelete: true } : {},
      );
    }
  };
}

/** One measured step of one layout at one size. */
export interface ManyOrgsRow {
  size: number;
  layout: Layout;
  step: Step;
  stacks: number;
  wall: Record<Who, number>;
  /** Our calls (the floor makes none). */
  tally: Tally;
}

async function engineStep(stack: Stack, step: Step, variant: { changed: boolean }): Promise<void> {
  const quiet = { onOutput: () => {} };
  try {
    if (step === "first apply" || step === "no-op up") await stack.up(quiet);
    else if (step === "no-op preview") await stack.preview(quiet);
    else if (step === "one organization changed") {
      variant.changed = true;
      await stack.up(quiet);
    } else if (step === "refresh") await stack.refresh(quiet);
    else await stack.destroy(quiet);
  } catch (err) {
    const text = String((err as { stdout?: string }).stdout ?? (err as Error).message ?? err);
    throw new Error(`${step} on stack ${stack.name} failed:\n${text.slice(-4000)}`);
  }
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface LayoutRun {
  layout: Layout;
  url: string;
  stacks: Record<Who, Stack[]>;
  variant: Record<Who, { changed: boolean }>;
}

async function openLayout(
  o: ManyOrgsOptions,
  size: number,
  layout: Layout,
  tmp: string,
  origin: number,
  children: Array<{ kill(): void }>,
): Promise<LayoutRun> {
  const fixtureFile = path.join(tmp, `fixture-${size}.json`);
  writeFileSync(fixtureFile, JSON.stringify(tenant(size, o.membersPerOrganization)));
  const { url, child } = await startEmulator(fixtureFile, origin, o.scale);
  children.push(child);
  const count = layout === "shards" ? Math.ceil(size / o.shardSize) : 1;
  const run: LayoutRun = {
    layout,
    url,
    stacks: { ours: [], floor: [] },
    variant: { ours: { changed: false }, floor: { changed: false } },
  };
  for (const who of o.floor ? (["floor", "ours"] as const) : (["ours"] as const))
    for (let index = 0; index < count; index++) {
      const dir = path.join(tmp, `${size}-${layout}-${who}-${index}`);
      const skip = layout === "skip-checkpoints" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
      const stack = await openStack({
        workDir: scratchProject(path.join(dir, "project"), { name: "many-orgs" }),
        stackName: `shard-${index}`,
        stateDir: path.join(dir, "state"),
        program: program(
          who,
          size,
          o.membersPerOrganization,
          run.variant[who],
          layout === "shards" ? { index, count } : undefined,
        ),
        // Our provider processes pace on the emulator's compressed clock (clock-hook.ts).
        env:
          who === "ours"
            ? {
                ...skip,
                NODE_OPTIONS: `--require ${path.join(__dirname, "clock-hook.js")} ${process.env.BENCH_NODE_OPTIONS ?? ""}`,
                BENCH_CLOCK_SCALE: String(o.scale),
                BENCH_CLOCK_ORIGIN: String(origin),
              }
            : skip,
      });
      if (who === "ours")
        await configureStack(stack, {
          ...emulatorSettings(url),
          // The provider's operation deadline (3 hours) runs on the compressed clock too: 3 real minutes.
          "orgMemberRoles:operationTimeoutSeconds": String(3 * 3600 * o.scale),
        });
      run.stacks[who].push(stack);
    }
  return run;
}

export async function manyOrgsBenchmark(o: ManyOrgsOptions = manyOrgsOptions()): Promise<ManyOrgsRow[]> {
  const rows: ManyOrgsRow[] = [];
  const origin = Date.now();
  for (const size of o.sizes) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-many-orgs-"));
    const children: Array<{ kill(): void }> = [];
    console.log(
      `\n${size} organizations x ${o.membersPerOrganization} members x 2 roles (time scale ${o.scale}x, Enterprise buckets), layouts ${o.layouts.join(", ")}`,
    );
    try {
      const runs: LayoutRun[] = [];
      for (const layout of o.layouts) runs.push(await openLayout(o, size, layout, tmp, origin, children));
      for (const step of o.steps)
        for (const run of runs) {
          const wall = { ours: 0, floor: 0 };
          let tally: Tally | undefined;
          for (const who of o.floor ? (["floor", "ours"] as const) : (["ours"] as const)) {
            await resetCounters(run.url);
            const start = performance.now();
            await pool(run.stacks[who], o.parallel, (s) => engineStep(s, step, run.variant[who]));
            wall[who] = (performance.now() - start) / 1000;
            if (who === "ours") tally = await takeTally(run.url);
          }
          const row: ManyOrgsRow = {
            size,
            layout: run.layout,
            step,
            stacks: run.stacks.ours.length,
            wall,
            tally: tally!,
          };
          rows.push(row);
          console.log(
            `  ${run.layout.padEnd(16)} ${step.padEnd(25)} ours ${wall.ours.toFixed(1).padStart(7)} s  floor ${wall.floor.toFixed(1).padStart(7)} s  calls ${String(row.tally.total).padStart(6)}  429s ${row.tally.rateLimited}  failed ${row.tally.failed}  bound ${(row.tally.boundSeconds / o.scale).toFixed(1)} s`,
          );
        }
    } finally {
      for (const c of children) c.kill();
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return rows;
}

/** The least-squares slope of log(y) on log(x): the exponent k of y ≈ c·x^k. Undefined below two points. */
export function fittedExponent(points: Array<{ x: number; y: number }>): number | undefined {
  const p = points.filter((q) => q.x > 0 && q.y > 0).map((q) => ({ x: Math.log(q.x), y: Math.log(q.y) }));
  if (p.length < 2) return undefined;
  const mx = p.reduce((s, q) => s + q.x, 0) / p.length;
  const my = p.reduce((s, q) => s + q.y, 0) / p.length;
  const sxx = p.reduce((s, q) => s + (q.x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  return p.reduce((s, q) => s + (q.x - mx) * (q.y - my), 0) / sxx;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? "–" : n.toFixed(digits));

/** One RESULTS.md section per set of sizes and layouts, so that runs stand side by side. */
export const manyOrgsSectionName = (o: ManyOrgsOptions) =>
  `many-organizations-${o.layouts.join("+")}-${o.sizes.join(",")}x${o.membersPerOrganization}`;

export function manyOrgsSection(o: ManyOrgsOptions, rows: ManyOrgsRow[], runSeconds: number): string {
  const sizeCells = o.sizes.map((n) => n.toLocaleString("en"));
  const lines = [
    `## Many organizations: ${sizeCells.join(", ")} × ${o.membersPerOrganization} members through the engine (${o.layouts.join(", ")})`,
    "",
    `Command: \`${[
      `BENCH_LAYOUTS=${o.layouts.join(",")}`,
      o.layouts.includes("shards") ? `BENCH_SHARD_SIZE=${o.shardSize} BENCH_PARALLEL=${o.parallel}` : "",
      o.steps.length < STEPS.length ? `BENCH_STEPS="${o.steps.join(",")}"` : "",
      o.floor ? "" : "BENCH_FLOOR=0",
      `BENCH_TIME_SCALE=${o.scale}`,
    ]
      .filter(Boolean)
      .join(" ")} npm run bench:many-orgs -- ${o.sizes.join(",")}\`.`,
    `Date: ${new Date().toISOString()}. Machine: ${machine()}. Run took ${runSeconds.toFixed(0)} s real.`,
    "",
    `Per organization ${o.membersPerOrganization} members, 2 roles each, through the Automation API (\`up\`, \`refresh\` and \`destroy\` run \`--skip-preview\`) on the real CLI and dynamic-provider plugin; emulator with Auth0's Enterprise buckets ${o.scale}× faster. "floor" is the same layout of do-nothing dynamic resources with the same inputs, run just before ours on each step. Layouts: \`single\` one stack; \`skip-checkpoints\` one stack with PULUMI_SKIP_CHECKPOINTS=true; \`shards\` \`declareOrganizations\` with \`shard\`, ⌈size / ${o.shardSize}⌉ stacks, ${o.parallel} at a time, sharing the tenant's buckets. Exponent: least squares of log seconds on log size.`,
    "",
    `| layout | step | | ${sizeCells.map((s) => `${s} s`).join(" | ")} | exponent |`,
    `|${"---|".repeat(o.sizes.length + 4)}`,
  ];
  for (const layout of o.layouts)
    for (const step of o.steps)
      for (const who of o.floor ? (["ours", "floor"] as const) : (["ours"] as const)) {
        const cells = o.sizes.map((size) =>
          rows.find((r) => r.size === size && r.layout === layout && r.step === step),
        );
        const k = fittedExponent(cells.flatMap((r) => (r ? [{ x: r.size, y: r.wall[who] }] : [])));
        lines.push(
          `| ${layout} | ${step} | ${who} | ${cells.map((r) => fmt(r?.wall[who])).join(" | ")} | ${fmt(k, 2)} |`,
        );
      }
  lines.push(
    "",
    "Our calls per step (the floor makes none); bound = what the rate limits alone impose on those calls (successful calls beyond each bucket's burst ÷ its refill rate, slowest bucket), in this machine's seconds; ratio = ours ÷ max(bound, floor).",
    "",
    "| layout | size | stacks | step | calls | 429s | failed | bound s | ours s | ratio |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const r of rows) {
    const bound = r.tally.boundSeconds / o.scale;
    lines.push(
      `| ${r.layout} | ${r.size.toLocaleString("en")} | ${r.stacks} | ${r.step} | ${r.tally.total} | ${r.tally.rateLimited} | ${r.tally.failed} | ${fmt(bound)} | ${fmt(r.wall.ours)} | ${Math.max(bound, r.wall.floor) > 0 ? fmt(r.wall.ours / Math.max(bound, r.wall.floor), 2) : "–"} |`,
    );
  }
  return lines.join("\n");
}

if (require.main === module) {
  const started = performance.now();
  const options = manyOrgsOptions();
  manyOrgsBenchmark(options)
    .then((rows) => {
      const text = manyOrgsSection(options, rows, (performance.now() - started) / 1000);
      writeResultsSection(manyOrgsSectionName(options), text);
      console.log(`\n${text}`);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
