/**
 * `pulumi preview` of one organization of BENCH_PREVIEW_MEMBERS members (default 10,000) through the real
 * engine: ours against a do-nothing dynamic resource carrying the same inputs (organizationId, members, mode)
 * in the same run, on a fresh stack (the first preview, which validates against the tenant) and on an
 * existing one (after `up`: a no-op preview). Samples alternate ours and the floor, median of
 * BENCH_PREVIEW_SAMPLES (default 5). The emulator runs without rate limits: this measures the engine and
 * the provider, not the API. Writes its section of bench/RESULTS.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { OrgMemberRoles } from "../components/org-member-roles";
import { Emulator, emulatorSettings } from "../emulator/server";
import { syntheticTenant } from "../emulator/tenant";
import { configureStack, openStack, scratchProject } from "../scripts/engine";
import { machine, writeResultsSection } from "./harness";
import { DoNothing } from "./many-orgs";

const ROLES = 20;
const role = (i: number) => `rol_${String(i % ROLES).padStart(16, "0")}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const members = Number(process.env.BENCH_PREVIEW_MEMBERS ?? 10_000);
  const samples = Number(process.env.BENCH_PREVIEW_SAMPLES ?? 5);
  const started = performance.now();
  const fixture = syntheticTenant({ members, roles: ROLES });
  const emulator = await Emulator.start({ fixture });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-one-org-preview-"));
  try {
    const organizationId = fixture.organizations[0]!.id;
    const desired = Object.fromEntries(
      fixture.users.map((u, i) => [u.user_id, [role(i), role(i + 1), role(i + 2)].sort()]),
    );
    const stacks: Record<"ours" | "floor", Stack> = {} as never;
    for (const who of ["ours", "floor"] as const) {
      stacks[who] = await openStack({
        workDir: scratchProject(path.join(tmp, who, "project"), { name: "bench" }),
        stackName: "bench",
        stateDir: path.join(tmp, who, "state"),
        program: async () => {
          if (who === "ours") new OrgMemberRoles("org", { organizationId, members: desired });
          else new DoNothing("org", { organizationId, members: desired, mode: "authoritative" });
        },
      });
      if (who === "ours") await configureStack(stacks[who], emulatorSettings(emulator.url));
    }
    const measure = async () => {
      const times = { ours: [] as number[], floor: [] as number[] };
      for (let i = 0; i < samples; i++)
        for (const who of i % 2 === 0 ? (["ours", "floor"] as const) : (["floor", "ours"] as const)) {
          const start = performance.now();
          await stacks[who].preview();
          times[who].push((performance.now() - start) / 1000);
        }
      return { ours: median(times.ours), floor: median(times.floor) };
    };
    const fresh = await measure();
    for (const who of ["ours", "floor"] as const) await stacks[who].up();
    const existing = await measure();
    const row = (label: string, t: { ours: number; floor: number }) =>
      `| ${label} | ${t.ours.toFixed(2)} | ${t.floor.toFixed(2)} | ${(t.ours / t.floor).toFixed(2)} |`;
    const text = [
      `## One organization of ${members.toLocaleString("en")} members: \`pulumi preview\` against a do-nothing resource with the same inputs`,
      "",
      `Command: \`BENCH_PREVIEW_MEMBERS=${members} BENCH_PREVIEW_SAMPLES=${samples} node dist/bench/one-org-preview.js\` (after \`npm run build\`).`,
      `Date: ${new Date().toISOString()}. Machine: ${machine()}. Run took ${((performance.now() - started) / 1000).toFixed(0)} s real.`,
      "",
      `Median of ${samples} previews each, ours and the floor alternating. The floor is \`pulumi.dynamic.Resource\` with a two-method provider and the same inputs (organizationId, the ${members.toLocaleString("en")}-member map, mode). Fresh: the stack's first preview (ours validates the members against the tenant: one listing call per 100 members). Existing: after \`up\`, a no-op preview.`,
      "",
      "| stack | ours s | floor s | ours ÷ floor |",
      "|---|---|---|---|",
      row("fresh", fresh),
      row("existing", existing),
    ].join("\n");
    writeResultsSection(`one-organization-preview-${members}`, text);
    console.log(text);
  } finally {
    await emulator.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
