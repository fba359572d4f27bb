import { expect } from "chai";
import { CONTRACT_SCOPES } from "../../emulator/contract";
import { DEFAULT_CLIENT, emulatorSettings } from "../../emulator/server";
import { resolveConnection } from "../../src/client/credentials";
import { ManagementClient } from "../../src/client/management-client";
import { declaredOrganizations } from "../../src/report/declared";
import { csvCell, renderCsv } from "../../src/report/render-csv";
import { accessReport } from "../../src/report/report";
import { countsOf } from "../../src/report/rows";
import { clientFor, startEmulator } from "../helpers/emulator";
import { ORG, role, user } from "../helpers/fixtures";
import {
  allRows,
  EXPECTED,
  GROUP_HOLDERS,
  GROUP_ID,
  OUTSIDER,
  READERS_ID,
  REPORT_MEMBERS,
  reportStackExport,
  reportTenant,
  SOD_PAIR,
} from "../helpers/report-fixture";
import { runCaptured } from "../helpers/run-cli";

/** The users whose effective roles were read, from the emulator's request log. */
const effectiveReadsOf = (requests: ReadonlyArray<{ method: string; route: string; path: string }>) =>
  requests
    .filter((r) => r.method === "GET" && r.route === "effective-roles")
    .map((r) => decodeURIComponent(r.path.split("/")[6]!))
    .sort();

const NOW = Date.parse("2026-12-07T12:00:00Z");
const options = (maxCalls = 100_000) => ({
  now: NOW,
  separationOfDuties: [SOD_PAIR],
  showSecrets: false,
  concurrency: 8,
  maxCalls,
});

/** The report of the fixture's organization, as its stack declares it, with `extra` options. */
const fixtureReport = (client: ManagementClient, extra: Partial<Parameters<typeof accessReport>[3]> = {}) =>
  accessReport(client, [ORG], declaredOrganizations(reportStackExport(NOW)), { ...options(), ...extra });

describe("access report of a 1,000-member organization against the emulator", () => {
  const ctx = startEmulator(reportTenant());

  it("gives each grant its source, counts them as built, and reads ⌈N/100⌉ listing pages, the role-holding group's members and one effective-roles read per member in it", async () => {
    ctx.emulator.resetCounters();
    const client = clientFor(ctx.emulator);
    const progress: string[] = [];
    try {
      const report = await fixtureReport(client, {
        onProgress: (_org, what, done, total) => progress.push(`${what} ${done}/${total}`),
      });
      const c = countsOf(report.organizations[0]!, NOW);
      expect({
        members: c.members,
        grants: c.grants,
        declared: c.declared,
        drift: c.drift,
        group: c.group,
        direct: c.direct,
      }).to.deep.equal({
        members: EXPECTED.members,
        grants: EXPECTED.grants,
        declared: EXPECTED.declared,
        drift: EXPECTED.drift,
        group: EXPECTED.group,
        direct: 0,
      });
      expect(c.flags).to.deep.equal({
        "ends-within-7-days": EXPECTED.ending,
        "over-role-limit": EXPECTED.overLimit,
        "separation-of-duties": EXPECTED.separation,
      });

      const rows = allRows(report, NOW);
      const of = (i: number) => rows.filter((r) => r.member === user(i));
      expect(of(5)).to.have.length(1);
      expect(of(5)[0]).to.include({ roleId: role(1), source: "direct, declared by main", flags: "" });
      expect(of(700)[0]).to.include({ roleId: role(2), source: "direct, not declared (drift)" });
      expect(of(900)[0]).to.include({
        roleId: role(3),
        source: "group engineering",
        email: "user900@example.com",
      });
      expect(of(1).every((r) => r.flags.includes("separation-of-duties"))).to.equal(true);
      expect(of(0)).to.have.length(52);
      expect(of(0)[0]!.flags).to.equal("over-role-limit");

      // The secret map's 50 members: masked, their ends and flags kept.
      const masked = rows.filter((r) => r.member.startsWith("(secret member #"));
      expect(masked).to.have.length(EXPECTED.secretMembers);
      expect(masked.every((r) => r.email === "(secret)" && r.flags === "ends-within-7-days")).to.equal(true);
      expect(masked.every((r) => r.source === "direct, declared by contractors")).to.equal(true);
      const csv = renderCsv(rows);
      for (let i = 950; i < 1000; i++) {
        expect(csv).not.to.include(user(i));
        expect(csv).not.to.include(`user${i}@example.com`);
      }

      const e = ctx.emulator;
      expect({
        listing: e.count({ method: "GET", route: "members" }),
        groupMembers: e.count({ method: "GET", route: "group-members" }),
        effective: e.count({ method: "GET", route: "effective-roles" }),
        memberRoles: e.count({ method: "GET", route: "member-roles" }),
        groups: e.count({ method: "GET", route: "groups" }),
        groupRoles: e.count({ method: "GET", route: "group-roles" }),
        organization: e.count({ method: "GET", route: "organization" }),
      }).to.deep.equal({
        listing: Math.ceil(REPORT_MEMBERS / 100),
        // engineering lists its 150 members and the outsider: 2 pages of 100. readers holds no role: not listed.
        groupMembers: Math.ceil((GROUP_HOLDERS.length + 1) / 100),
        // One read per organization member in a group holding a role, no more.
        effective: GROUP_HOLDERS.length,
        memberRoles: 0,
        groups: 1,
        // engineering and readers.
        groupRoles: 2,
        organization: 1,
      });
      // Exactly the group's members who are in the organization: none of the 850 others, nor the outsider.
      expect(effectiveReadsOf(e.requests)).to.deep.equal([...GROUP_HOLDERS].sort());
      expect(e.requests.some((r) => r.path.includes(`/groups/${READERS_ID}/members`))).to.equal(false);
      expect(e.requests.filter((r) => r.path.includes(`/groups/${GROUP_ID}/members`))).to.have.length(2);
      expect(effectiveReadsOf(e.requests)).to.not.include(OUTSIDER);
      expect(report.organizations[0]!.notes).to.deep.equal([]);
      expect(progress.filter((p) => p.startsWith("members")).at(-1)).to.equal("members 1000/1000");
      expect(progress.filter((p) => p.startsWith("effective")).at(-1)).to.equal(
        `effective roles ${GROUP_HOLDERS.length}/${GROUP_HOLDERS.length}`,
      );
    } finally {
      await client.close();
    }
  });

  it("--show-secrets: the secret map's members as they are", async () => {
    const client = clientFor(ctx.emulator);
    try {
      const report = await fixtureReport(client, {
        showSecrets: true,
      });
      const rows = allRows(report, NOW);
      expect(rows.filter((r) => r.member.startsWith("(secret"))).to.have.length(0);
      expect(rows.find((r) => r.member === user(960))).to.include({
        email: "user960@example.com",
        roleId: role(4),
      });
    } finally {
      await client.close();
    }
  });

  it("stops, naming --max-calls, when the call bound is reached", async () => {
    const client = clientFor(ctx.emulator);
    try {
      const err = await accessReport(client, [ORG], undefined, options(50)).catch((e: Error) => e);
      expect(String(err)).to.match(/stopped at --max-calls 50: 50 calls made while reading org_/);
      // Every call counts, at the client: not one past the bound, however many were in flight.
      expect(client.transport.stats.requests).to.equal(50);
    } finally {
      await client.close();
    }
  });

  // Each bound below the calls the phases before the effective-roles reads need: token (1), organization (1),
  // the 1,000 members' listing (10 pages), the groups (1) and each group's roles (1 per group).
  for (const bound of [1, 2, 3, 7, 12])
    it(`--max-calls ${bound}: stops at exactly ${bound} calls, in whichever read reaches it, with the count made`, async () => {
      ctx.emulator.resetCounters();
      const client = clientFor(ctx.emulator);
      try {
        const err = await accessReport(client, [ORG], undefined, options(bound)).catch((e: Error) => e);
        expect(String(err)).to.include(`stopped at --max-calls ${bound}: ${bound} calls made`);
        expect(client.transport.stats.requests).to.equal(bound);
      } finally {
        await client.close();
      }
    });

  it("--separation-of-duties with a role the tenant does not have: refused, exit 2, naming it, before any organization is read", async () => {
    ctx.emulator.resetCounters();
    const settings = emulatorSettings(ctx.emulator.url);
    const env = {
      AUTH0_DOMAIN: settings["auth0:domain"]!,
      AUTH0_CLIENT_ID: settings["auth0:clientId"]!,
      AUTH0_CLIENT_SECRET: settings["auth0:clientSecret"]!,
    };
    const { code, stdout, stderr } = await runCaptured(
      ["report", "--separation-of-duties", "admn,role-1", ORG],
      env,
    );
    expect(code).to.equal(2);
    expect(stdout).to.equal("");
    expect(stderr).to.include("--separation-of-duties: admn matches no role of the tenant");
    expect(stderr).not.to.include("role-1 matches");
    expect(ctx.emulator.count({ route: "organization" })).to.equal(0);
  });

  it("an organization that does not exist: the others reported, it noted, named on stderr, exit 1 after writing", async () => {
    const gone = "org_gone000000000009";
    const settings = emulatorSettings(ctx.emulator.url);
    const { code, stdout, stderr } = await runCaptured(["report", "--format", "csv", gone, ORG], {
      AUTH0_DOMAIN: settings["auth0:domain"]!,
      AUTH0_CLIENT_ID: settings["auth0:clientId"]!,
      AUTH0_CLIENT_SECRET: settings["auth0:clientSecret"]!,
    });
    expect(code).to.equal(1);
    const lines = stdout.split("\r\n");
    const note = "organization not found in the tenant (404): deleted, or a wrong ID; nothing read for it";
    expect(lines[1]).to.equal(`${gone},${gone},(note),,,,${csvCell(note)},,incomplete`);
    // The organization that exists is reported.
    expect(lines.filter((l) => l.startsWith(`${ORG},bench,auth0|`)).length).to.be.above(REPORT_MEMBERS / 2);
    expect(stderr).to.include(
      `[report] ${gone}: not found in the tenant (404); the report covers the others, exit 1`,
    );
  });

  it("an organization named on the command line that the stack does not declare: its grants are direct, not drift, and the note says the stack does not manage it", async () => {
    const client = clientFor(ctx.emulator);
    const other = "org_other0000000001";
    const declared = new Map([
      [
        other,
        {
          organizationId: other,
          owners: new Map(),
          until: new Map(),
          groups: new Map(),
          secretMembers: new Set<string>(),
          secretRoles: new Map(),
        },
      ],
    ]);
    try {
      const report = await accessReport(client, [ORG], declared, options());
      const org = report.organizations[0]!;
      const c = countsOf(org, NOW);
      expect([c.drift, c.declared]).to.deep.equal([0, 0]);
      expect(c.direct).to.be.above(0);
      expect(org.notes[0]).to.equal(
        "the stack declares no OrgMemberRoles or OrgGroupRoles here: this stack does not manage this organization, so its direct grants are shown as direct, not drift",
      );
    } finally {
      await client.close();
    }
  });

  it("without a stack: direct roles are only `direct`, never drift", async () => {
    const client = clientFor(ctx.emulator);
    try {
      const report = await accessReport(client, [ORG], undefined, options());
      const c = countsOf(report.organizations[0]!, NOW);
      expect({ direct: c.direct, drift: c.drift, declared: c.declared, group: c.group }).to.deep.equal({
        direct: EXPECTED.grants - EXPECTED.group,
        drift: 0,
        declared: 0,
        group: EXPECTED.group,
      });
    } finally {
      await client.close();
    }
  });
});

describe("access report without read:group_members", () => {
  // Every scope the emulator knows (Auth0's published ones) but the group-members read.
  const withoutGroupMembers = {
    clientId: "no-group-members",
    clientSecret: "no-group-members-secret",
    scopes: CONTRACT_SCOPES.filter((s) => s !== "read:group_members"),
  };
  const ctx = startEmulator(reportTenant(), { clients: [DEFAULT_CLIENT, withoutGroupMembers] });

  it("falls back to every member's effective roles, says so in the notes, and finds the same grants", async () => {
    ctx.emulator.resetCounters();
    const settings: Record<string, string> = {
      ...emulatorSettings(ctx.emulator.url),
      "auth0:clientId": withoutGroupMembers.clientId,
      "auth0:clientSecret": withoutGroupMembers.clientSecret,
    };
    const client = ManagementClient.connect(
      resolveConnection((k) => settings[k], {}),
      { backoffBaseMs: 5 },
    );
    try {
      const report = await fixtureReport(client);
      const org = report.organizations[0]!;
      expect(countsOf(org, NOW).group).to.equal(EXPECTED.group);
      expect(org.notes).to.deep.equal([
        "group members not read: the application lacks read:group_members; every member's effective roles were read instead (one call each)",
      ]);
      expect(ctx.emulator.count({ route: "group-members" })).to.equal(0);
      expect(ctx.emulator.count({ method: "GET", route: "effective-roles" })).to.equal(REPORT_MEMBERS);
      // Without the membership, a group-held role names every group holding it (here the one).
      expect(allRows(report, NOW).find((r) => r.member === user(900))).to.include({
        source: "group engineering",
      });
    } finally {
      await client.close();
    }
  });

  it("CSV: what the report lacks is a note row of the CSV and a warning on stderr, as the other forms note it", async () => {
    const env = {
      AUTH0_DOMAIN: ctx.emulator.url,
      AUTH0_CLIENT_ID: withoutGroupMembers.clientId,
      AUTH0_CLIENT_SECRET: withoutGroupMembers.clientSecret,
    };
    const note =
      "group members not read: the application lacks read:group_members; every member's effective roles were read instead (one call each)";
    for (const format of ["csv", "json", "markdown", "html"]) {
      const { code, stdout, stderr } = await runCaptured(["report", "--format", format, ORG], env);
      expect(code, stderr).to.equal(0);
      expect(stderr, format).to.include(`[report] warning: ${ORG}: ${note}`);
      if (format === "csv")
        expect(stdout.split("\r\n")[1]).to.equal(`${ORG},bench,(note),,,,${csvCell(note)},,incomplete`);
    }
  });
});

describe("access report: a member who leaves while the report reads", () => {
  const ctx = startEmulator(reportTenant());

  it("is left out of the group grants, said in the notes, and the report goes on", async () => {
    const client = clientFor(ctx.emulator);
    try {
      const report = await fixtureReport(client, {
        // Once the listing is read: a group member leaves before its effective roles are.
        onProgress: (_org, what, done, total) => {
          if (what === "members" && done === total) ctx.emulator.tenant.members.get(ORG)!.delete(user(900));
        },
      });
      const org = report.organizations[0]!;
      expect(countsOf(org, NOW).group).to.equal(EXPECTED.group - 1);
      expect(org.notes).to.deep.equal([
        "1 member(s) left the organization while it was read: their roles held through groups are not shown",
      ]);
    } finally {
      await client.close();
    }
  });
});

describe("access report past the 1,000 members offset paging serves", () => {
  const ctx = startEmulator(reportTenant(false, 1050));

  it("counts them on the first offset page, then reads them all by checkpoint: ⌈N/100⌉ + 2 listing calls, progress to the end", async () => {
    ctx.emulator.resetCounters();
    const client = clientFor(ctx.emulator);
    const progress: string[] = [];
    try {
      const report = await accessReport(client, [ORG], undefined, {
        ...options(),
        onProgress: (_org, what, done, total) => progress.push(`${what} ${done}/${total}`),
      });
      expect(report.organizations[0]!.members).to.have.length(1050);
      expect(ctx.emulator.count({ method: "GET", route: "members" })).to.equal(Math.ceil(1050 / 100) + 2);
      expect(progress.at(-1)).to.equal("members 1050/1050");
    } finally {
      await client.close();
    }
  });
});

describe("access report of an organization whose groups hold no role", () => {
  const ctx = startEmulator(reportTenant(false));

  it("reads no member's effective roles: ⌈N/100⌉ listing pages and the groups", async () => {
    ctx.emulator.resetCounters();
    const client = clientFor(ctx.emulator);
    try {
      const report = await fixtureReport(client);
      expect(countsOf(report.organizations[0]!, NOW).group).to.equal(0);
      expect(ctx.emulator.count({ method: "GET", route: "members" })).to.equal(
        Math.ceil(REPORT_MEMBERS / 100),
      );
      expect(ctx.emulator.count({ method: "GET", route: "effective-roles" })).to.equal(0);
    } finally {
      await client.close();
    }
  });
});

describe("access report: an application granted exactly the scopes `report --help` lists", () => {
  const helpApp = { clientId: "help-app", clientSecret: "help-app-secret", scopes: [] as string[] };
  const ctx = startEmulator(reportTenant(), { clients: [DEFAULT_CLIENT, helpApp] });

  it("runs the report with nothing skipped", async () => {
    const help = (await runCaptured(["report", "--help"])).stdout;
    const listed = help.slice(help.indexOf("Scopes")).split("Cost per organization")[0]!;
    helpApp.scopes.push(...(listed.match(/\b(read|create|update|delete):[a-z_]+/g) ?? []));
    expect(helpApp.scopes).to.include("read:organization_member_roles");
    const { code, stderr } = await runCaptured(
      ["report", "--format", "csv", "--separation-of-duties", SOD_PAIR.join(","), ORG],
      {
        AUTH0_DOMAIN: ctx.emulator.url,
        AUTH0_CLIENT_ID: helpApp.clientId,
        AUTH0_CLIENT_SECRET: helpApp.clientSecret,
      },
    );
    expect(code, stderr).to.equal(0);
    expect(stderr).not.to.include("warning");
  });
});

describe("access report: the deadline", () => {
  const ctx = startEmulator(reportTenant());
  afterEach(() => ctx.emulator.setFaults({}));
  const env = (extra: Record<string, string> = {}) => {
    const settings = emulatorSettings(ctx.emulator.url);
    return {
      AUTH0_DOMAIN: settings["auth0:domain"]!,
      AUTH0_CLIENT_ID: settings["auth0:clientId"]!,
      AUTH0_CLIENT_SECRET: settings["auth0:clientSecret"]!,
      ...extra,
    };
  };

  for (const [how, args, extra] of [
    ["--timeout-seconds 1", ["--timeout-seconds", "1"], {}],
    [
      "ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS=1, the documented default",
      [],
      { ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS: "1" },
    ],
  ] as const)
    it(`${how}: stops past 1 s, naming --timeout-seconds, not the provider's setting or "applied"`, async () => {
      ctx.emulator.setFaults({ latencyMs: 300 });
      const started = Date.now();
      const { code, stderr } = await runCaptured(["report", ...args, ORG], env(extra));
      expect(code, stderr).to.equal(1);
      // 1,000 members at 300 ms a call take far longer than the deadline: stopped near it.
      expect(Date.now() - started).to.be.below(5000);
      expect(stderr).to.include("raise --timeout-seconds");
      expect(stderr).not.to.include("orgMemberRoles:operationTimeoutSeconds");
      expect(stderr).not.to.include("applied");
    });
});
