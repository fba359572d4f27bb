/**
 * `auth0-org-member-roles report` of one organization at 1,000 and 10,000 members (BENCH_REPORT_SIZES), against
 * the emulator in its own process with Auth0's Enterprise buckets compressed BENCH_TIME_SCALE times (default
 * 60), the report's client on the same compressed clock. Two tenants per size: no group holds a role (the
 * listing alone), and one group holds a role for 15% of the members (the group's members listed, then those
 * members' effective roles read, one call each). Each row: the calls by endpoint, the calls the report's
 * documented cost allows (docs/report.md), 429s, our wall time, and the rate-limit bound of the calls made
 * (harness.lowerBound), side by side in one run. Writes its section of bench/RESULTS.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emulatorSettings } from "../emulator/server";
import { syntheticTenant, type TenantFixture } from "../emulator/tenant";
import { resolveConnection } from "../src/client/credentials";
import { ManagementClient } from "../src/client/management-client";
import { scaledClock } from "../src/clock";
import { accessReport } from "../src/report/report";
import { countsOf } from "../src/report/rows";
import { machine, resetCounters, startEmulator, takeTally, writeResultsSection } from "./harness";

const ROLES = 20;
const GROUP_SHARE = 0.15;

function fixture(members: number, groupRoles: boolean): TenantFixture {
  const base = syntheticTenant({ members, roles: ROLES, assigned: (i) => [i % ROLES] });
  const org = base.organizations[0]!.id;
  const held = base.users.slice(0, heldBy(members)).map((u) => u.user_id);
  return {
    ...base,
    groups: {
      [org]: [
        {
          id: "grp_bench0000000001",
          name: "engineering",
          members: held,
          roles: groupRoles ? [base.roles[3]!.id] : [],
        },
      ],
    },
  };
}

/** Members of the one group: the first 15%. */
const heldBy = (members: number) => Math.round(members * GROUP_SHARE);

/**
 * The calls docs/report.md allows: organization, listing (+2 past 1,000), groups and each group's roles, and
 * where the group holds a role its members' listing (1 per 100) and one effective-roles read per member in it.
 */
const callBound = (members: number, groupRoles: boolean) =>
  1 +
  Math.ceil(members / 100) +
  (members > 1000 ? 2 : 0) +
  1 +
  1 +
  (groupRoles ? Math.ceil(heldBy(members) / 100) + heldBy(members) : 0);

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_REPORT_SIZES ?? "1000,10000").split(",").map(Number);
  const scale = Number(process.env.BENCH_TIME_SCALE ?? 60);
  const started = performance.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-report-"));
  const rows: string[] = [];
  try {
    for (const members of sizes)
      for (const groupRoles of [false, true]) {
        const seed = path.join(tmp, `seed-${members}-${groupRoles}.json`);
        writeFileSync(seed, JSON.stringify(fixture(members, groupRoles)));
        const origin = Date.now();
        const { url, child } = await startEmulator(seed, origin, scale);
        try {
          const settings = emulatorSettings(url);
          const client = ManagementClient.connect(
            resolveConnection((k) => settings[k], {}),
            { clock: scaledClock(scale, origin) },
          );
          await client.granted(); // the token first: not part of the report's calls
          await resetCounters(url);
          const start = performance.now();
          const report = await accessReport(client, ["org_bench00000000001"], undefined, {
            now: Date.now(),
            separationOfDuties: [],
            showSecrets: false,
            concurrency: 8,
            maxCalls: 100_000,
          });
          const seconds = (performance.now() - start) / 1000;
          await client.close();
          const tally = await takeTally(url);
          const c = countsOf(report.organizations[0]!, Date.now());
          const n = (k: string) => (tally.calls[k] ?? 0).toLocaleString("en-US");
          rows.push(
            `| ${members.toLocaleString("en-US")} | ${groupRoles ? "15% through a group" : "none"} | ${n("GET organization")} | ${n("GET members")} | ${n("GET groups")} | ${n("GET group-roles")} | ${n("GET group-members")} | ${n("GET effective-roles")} | ${tally.total.toLocaleString("en-US")} | ${callBound(members, groupRoles).toLocaleString("en-US")} | ${tally.rateLimited} | ${c.grants.toLocaleString("en-US")} | ${seconds.toFixed(1)} | ${(tally.boundSeconds / scale).toFixed(1)} |`,
          );
          process.stderr.write(
            `[bench:report] ${members} members, group roles ${groupRoles}: ${seconds.toFixed(1)} s, ${tally.total} calls\n`,
          );
        } finally {
          child.kill();
        }
      }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeResultsSection(
    "report",
    `## Access report: \`auth0-org-member-roles report\` of one organization

Command: \`npm run bench:report\` (BENCH_REPORT_SIZES=${sizes.join(",")}, BENCH_TIME_SCALE=${scale}).
Date: ${new Date().toISOString()}. Machine: ${machine()}. Run took ${Math.round((performance.now() - started) / 1000)} s.

One organization, every member holding one role directly; one group, holding a role for 15% of the members or
none. The emulator runs Auth0's Enterprise buckets ${scale}× faster and the report's client runs on the same
clock, so **bound** (successful calls beyond each bucket's burst ÷ its refill rate, the slowest bucket; the
effective-roles reads have no published bucket of their own, only the global 16/s) is in this machine's seconds,
like "ours". "allowed" is the report's documented cost (docs/report.md, "Cost and bounds"): 1 + ⌈N/100⌉ (+2
past 1,000 members) + 1 + 1 per group, and only when a group holds a role ⌈G/100⌉ for its G members
(\`GET /groups/{id}/members\`) + G effective-roles reads; "calls" also counts the 429 answers the client waited
out and retried. At Auth0's real pace (scale 1) the times are ${scale}× these: the 1,500 effective-roles reads
of 10,000 members take about ${Math.round(1_500 / 16)} seconds at the global 16 a second.

| members | group roles | GET organization | GET members | GET groups | GET group-roles | GET group-members | GET effective-roles | calls | allowed | 429s | grants | ours s | bound s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
