/**
 * The many-organizations scenario (`npm run bench`, or alone `npm run bench:many-orgs`): a B2B tenant of
 * BENCH_ORGS organizations (default 1000) of BENCH_ORG_MEMBERS members (default 5), two roles each, applied
 * through the real Pulumi engine (Automation API, CLI, dynamic-provider plugin) against the emulator with
 * Auth0's Enterprise buckets compressed BENCH_TIME_SCALE times (default 60).
 *
 * In the same run, the engine's own floors for the same stack operations, with no API call at all:
 *   - a do-nothing dynamic resource per organization (the same shape as ours: what the engine costs);
 *   - a do-nothing dynamic resource per member (what one resource per member, the bridged Terraform shape,
 *     costs the engine before its first API call).
 * Steps are interleaved (each step on every stack before the next step) so that the machine's noise falls on
 * all three alike. Wall times are real seconds; the rate-limit bound is on the emulator's compressed clock,
 * so both are what this machine waits. BENCH_NODE_OPTIONS is given to our provider processes (to
 * profile them: Node 20 refuses --cpu-prof there, a --require hook that runs node:inspector's profiler works).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { OrgMemberRoles } from "../components/org-member-roles";
import { emulatorSettings } from "../emulator/server";
import type { TenantFixture } from "../emulator/tenant";
import { configureStack, openStack, scratchProject } from "../scripts/engine";
import { machine, resetCounters, startEmulator, type Tally, takeTally, writeResultsSection } from "./harness";

const STEPS = [
  "first apply",
  "no-op up",
  "one organization changed",
  "refresh --skip-preview",
  "refresh --yes",
  "destroy",
] as const;
type Step = (typeof STEPS)[number];

export interface ManyOrgsOptions {
  organizations: number;
  membersPerOrganization: number;
  scale: number;
  /** Steps the per-member floor is measured on: its thousands of resources take the engine minutes a step. */
  perMemberFloorSteps: readonly Step[];
}

export function manyOrgsOptions(env: NodeJS.ProcessEnv = process.env): ManyOrgsOptions {
  const organizations = Number(env.BENCH_ORGS ?? 1000);
  const membersPerOrganization = Number(env.BENCH_ORG_MEMBERS ?? 5);
  // One do-nothing resource per member costs the engine minutes a step past a thousand or so (at 1,000 × 5
  // it had created 2,521 of 5,000 after 9.5 minutes here): by default it is measured only up to 1,000.
  const perMember =
    env.BENCH_PER_MEMBER_FLOOR ?? (organizations * membersPerOrganization <= 1000 ? "all" : "0");
  return {
    organizations,
    membersPerOrganization,
    scale: Number(env.BENCH_TIME_SCALE ?? 60),
    perMemberFloorSteps:
      perMember === "all"
        ? STEPS
        : perMember === "0"
          ? []
          : STEPS.filter((s) => perMember.split(",").includes(s)),
  };
}

const run = promisify(execFile);
const ROLES = 20;
const role = (i: number) => `rol_${String(i % ROLES).padStart(16, "0")}`;
const orgId = (i: number) => `org_many${String(i).padStart(12, "0")}`;
const userId = (i: number) => `auth0|many${String(i).padStart(20, "0")}`;

/** The tenant: every organization with its members, none holding a role yet. */
function tenant(o: ManyOrgsOptions): TenantFixture {
  const users = Array.from({ length: o.organizations * o.membersPerOrganization }, (_, i) => ({
    user_id: userId(i),
    email: `many${i}@example.com`,
    name: `User ${i}`,
  }));
  const organizations = Array.from({ length: o.organizations }, (_, i) => ({
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
      Array.from({ length: o.membersPerOrganization }, (_, j) => [
        userId(i * o.membersPerOrganization + j),
        [],
      ]),
    );
  });
  return { organizations, users, roles, members };
}

/** The declaration of organization `i`: each member two roles; in the "changed" variant organization 0's first member swaps one. */
function declaration(o: ManyOrgsOptions, i: number, changed: boolean): Record<string, string[]> {
  return Object.fromEntries(
    Array.from({ length: o.membersPerOrganization }, (_, j) => {
      const roles = changed && i === 0 && j === 0 ? [role(j), role(j + 7)] : [role(j), role(j + 1)];
      return [userId(i * o.membersPerOrganization + j), roles.sort()];
    }),
  );
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

class DoNothing extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>) {
    super(doNothing, name, props, undefined, "bench", "DoNothing");
  }
}

type Shape = "ours" | "floor per organization" | "floor per member";
const SHAPES: Shape[] = ["floor per organization", "floor per member", "ours"];

/** The program of each shape; `changed` switches to the one-organization-changed variant. */
function program(shape: Shape, o: ManyOrgsOptions, variant: { changed: boolean }): () => Promise<void> {
  return async () => {
    for (let i = 0; i < o.organizations; i++) {
      const members = declaration(o, i, variant.changed);
      if (shape === "ours") new OrgMemberRoles(`org-${i}`, { organizationId: orgId(i), members });
      else if (shape === "floor per organization")
        new DoNothing(`org-${i}`, { organizationId: orgId(i), members, mode: "authoritative" });
      else
        for (const [user, roles] of Object.entries(members))
          new DoNothing(`org-${i}-${user}`, { organizationId: orgId(i), userId: user, roles });
    }
  };
}

export interface ManyOrgsRow {
  step: Step;
  /** Real seconds per shape; the per-member floor only on the steps it is measured on. */
  wall: Partial<Record<Shape, number>>;
  tally: Tally;
}

/** A step's failure with the end of the engine's output, not all of it (thousands of lines). */
async function runStep(stack: Stack, step: Step, variant: { changed: boolean }): Promise<void> {
  try {
    await engineStep(stack, step, variant);
  } catch (err) {
    const text = String((err as { stdout?: string }).stdout ?? (err as Error).message ?? err);
    throw new Error(`${step} on stack ${stack.name} failed:\n${text.slice(-4000)}`);
  }
}

async function engineStep(stack: Stack, step: Step, variant: { changed: boolean }): Promise<void> {
  const quiet = { onOutput: () => {} };
  if (step === "first apply" || step === "no-op up") await stack.up(quiet);
  else if (step === "one organization changed") {
    variant.changed = true;
    await stack.up(quiet);
  } else if (step === "refresh --skip-preview") await stack.refresh(quiet);
  else if (step === "refresh --yes") {
    // The plain CLI command a pipeline would run: a preview pass, then the refresh.
    const ws = stack.workspace as LocalWorkspace;
    await run(ws.pulumiCommand.command, ["refresh", "--yes", "--non-interactive", "--stack", stack.name], {
      cwd: ws.workDir,
      env: { ...process.env, ...ws.envVars },
      maxBuffer: 256 * 2 ** 20,
    });
  } else await stack.destroy(quiet);
}

export async function manyOrgsBenchmark(o: ManyOrgsOptions = manyOrgsOptions()): Promise<ManyOrgsRow[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-many-orgs-"));
  const fixtureFile = path.join(tmp, "fixture.json");
  writeFileSync(fixtureFile, JSON.stringify(tenant(o)));
  const origin = Date.now();
  const { url, child } = await startEmulator(fixtureFile, origin, o.scale);
  console.log(
    `\n${o.organizations} organizations x ${o.membersPerOrganization} members x 2 roles, through the engine (time scale ${o.scale}x, Enterprise buckets)`,
  );
  try {
    const stacks = new Map<Shape, { stack: Stack; variant: { changed: boolean } }>();
    for (const shape of SHAPES) {
      const variant = { changed: false };
      const dir = path.join(tmp, shape.replace(/ /g, "-"));
      const stack = await openStack({
        workDir: scratchProject(path.join(dir, "project"), { name: "many-orgs" }),
        stackName: "bench",
        stateDir: path.join(dir, "state"),
        program: program(shape, o, variant),
        // Our provider processes pace on the emulator's compressed clock (clock-hook.ts); BENCH_NODE_OPTIONS
        // adds to their options (a profiler hook with --require, for instance).
        ...(shape === "ours"
          ? {
              env: {
                NODE_OPTIONS: `--require ${path.join(__dirname, "clock-hook.js")} ${process.env.BENCH_NODE_OPTIONS ?? ""}`,
                BENCH_CLOCK_SCALE: String(o.scale),
                BENCH_CLOCK_ORIGIN: String(origin),
              },
            }
          : {}),
      });
      if (shape === "ours")
        await configureStack(stack, {
          ...emulatorSettings(url),
          // The provider's operation deadline (3 hours) runs on the compressed clock too: 3 real minutes.
          "orgMemberRoles:operationTimeoutSeconds": String(3 * 3600 * o.scale),
        });
      stacks.set(shape, { stack, variant });
    }
    const rows: ManyOrgsRow[] = [];
    for (const step of STEPS) {
      const wall: ManyOrgsRow["wall"] = {};
      let tally: Tally | undefined;
      for (const shape of SHAPES) {
        if (shape === "floor per member" && !o.perMemberFloorSteps.includes(step)) continue;
        const { stack, variant } = stacks.get(shape)!;
        await resetCounters(url);
        const start = performance.now();
        await runStep(stack, step, variant);
        wall[shape] = (performance.now() - start) / 1000;
        if (shape === "ours") tally = await takeTally(url);
      }
      const row = { step, wall, tally: tally! };
      rows.push(row);
      console.log(
        `  ${step.padEnd(26)} ours ${seconds(wall.ours).padStart(6)} s  calls ${String(row.tally.total).padStart(6)}  bound ${seconds(row.tally.boundSeconds / o.scale).padStart(5)} s  floors ${seconds(wall["floor per organization"])} / ${seconds(wall["floor per member"])} s`,
      );
    }
    return rows;
  } finally {
    child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Seconds to one decimal; "–" where a shape was not measured on that step. */
const seconds = (n: number | undefined) => (n === undefined ? "–" : n.toFixed(1));

/** The endpoints that appear in any row, the writes last. */
function endpointsOf(rows: ManyOrgsRow[]): string[] {
  const seen = new Set(rows.flatMap((r) => Object.keys(r.tally.calls)));
  return [...seen].sort(
    (a, b) =>
      Number(a.startsWith("GET") === false) - Number(b.startsWith("GET") === false) || a.localeCompare(b),
  );
}

/** One RESULTS.md section per size, so that runs at several sizes stand side by side. */
export const manyOrgsSectionName = (o: ManyOrgsOptions) =>
  `many-organizations-${o.organizations}x${o.membersPerOrganization}`;

export function manyOrgsSection(o: ManyOrgsOptions, rows: ManyOrgsRow[], runSeconds: number): string {
  const ENDPOINTS = endpointsOf(rows);
  const lines = [
    `## Many organizations: ${o.organizations.toLocaleString("en")} × ${o.membersPerOrganization} members through the engine`,
    "",
    `Command: \`npm run bench:many-orgs\` (BENCH_ORGS=${o.organizations}, BENCH_ORG_MEMBERS=${o.membersPerOrganization}, BENCH_TIME_SCALE=${o.scale}); also part of \`npm run bench\`.`,
    `Date: ${new Date().toISOString()}. Machine: ${machine()}. Run took ${runSeconds.toFixed(0)} s real.`,
    "",
    `${o.organizations} \`OrgMemberRoles\`, one per organization, each member declared with 2 roles, applied with the Automation API's \`up\`, \`refresh\` and \`destroy\` (which run \`--skip-preview\`), and the plain \`pulumi refresh --yes\` (a preview pass, then the refresh), on the real CLI and dynamic-provider plugin. The emulator runs Auth0's Enterprise buckets ${o.scale}× faster, so **bound** (what the rate limits alone impose on the calls made: successful calls beyond each bucket's burst ÷ its refill rate, slowest bucket) is in this machine's seconds, like every wall time. The floors are the same steps on a stack of do-nothing dynamic resources (\`pulumi.dynamic.Resource\` with a two-method provider, no API call): one per organization (the engine's cost of our shape) and one per member (the engine's cost of one resource per member, before any API call; measured on ${o.perMemberFloorSteps.length === STEPS.length ? "every step" : o.perMemberFloorSteps.length === 0 ? `no step at this size: its ${(o.organizations * o.membersPerOrganization).toLocaleString("en")} resources take the engine many minutes a step here (at 1,000 × 5 it had created 2,521 of 5,000 after 9.5 minutes), so it is measured by default up to 1,000 resources, see the 200 × 5 section; BENCH_PER_MEMBER_FLOOR=all forces it` : `the ${o.perMemberFloorSteps.join(", ")} only`}). "ratio" is ours ÷ max(bound, floor per organization). Our provider process runs on the emulator's compressed clock through bench/clock-hook.ts.`,
    "",
    `| step | ${ENDPOINTS.join(" | ")} | calls | 429s | failed | ours s | bound s | floor per organization s | floor per member s | ratio |`,
    `|${"---|".repeat(ENDPOINTS.length + 9)}`,
  ];
  for (const r of rows) {
    const bound = r.tally.boundSeconds / o.scale;
    const ours = r.wall.ours ?? 0;
    const floor = r.wall["floor per organization"] ?? 0;
    lines.push(
      `| ${r.step} | ${ENDPOINTS.map((e) => r.tally.calls[e] ?? 0).join(" | ")} | ${r.tally.total} | ${r.tally.rateLimited} | ${r.tally.failed} | ${seconds(ours)} | ${seconds(bound)} | ${seconds(floor)} | ${seconds(r.wall["floor per member"])} | ${(ours / Math.max(bound, floor)).toFixed(2)} |`,
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
