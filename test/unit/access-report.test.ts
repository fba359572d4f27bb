/**
 * The access report's pure parts: the renderers' escaping (a role name is the tenant's data: it must not run
 * as a spreadsheet formula, break a Markdown table, or inject HTML), the stack-export reading, and the
 * command's usage errors (exit 2, nothing read). Against the emulator: test/integration/access-report.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { ManagementClient } from "../../src/client/management-client";
import { GROUP_RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { buildOrganization } from "../../src/report/build";
import { declaredOrganizations } from "../../src/report/declared";
import { readGroupMembership } from "../../src/report/group-members";
import type { AccessReport } from "../../src/report/model";
import { csvCell, renderCsv } from "../../src/report/render-csv";
import { renderHtml } from "../../src/report/render-html";
import { renderMarkdown } from "../../src/report/render-markdown";
import { countsOf } from "../../src/report/rows";
import { ORG, role, user } from "../helpers/fixtures";
import { allRows, reportStackExport } from "../helpers/report-fixture";
import { runCaptured } from "../helpers/run-cli";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const DAY = 24 * 3600_000;

/** One organization: a hostile role name, a grant ending tomorrow, one ended yesterday, a group grant. */
function hostileReport(): AccessReport {
  const org = buildOrganization(
    {
      id: ORG,
      name: "Acme <b>",
      members: [
        {
          user_id: user(1),
          email: "a@example.com",
          roles: [{ id: role(1), name: '=HYPERLINK("x")|<script>' }],
        },
        {
          user_id: user(2),
          email: "b@example.com",
          roles: [
            { id: role(2), name: "ops" },
            { id: role(3), name: "old" },
          ],
        },
      ],
      groups: [{ id: "grp_1", name: "eng", roles: [{ id: role(4) }] }],
      effective: new Map([[user(2), [{ id: role(4), name: "reader", sources: ["groups"] }]]]),
      notes: [],
    },
    {
      organizationId: ORG,
      owners: new Map([[user(2), new Map([[role(2), ["main"]]])]]),
      until: new Map([
        [
          user(2),
          new Map([
            [role(2), new Date(NOW + DAY).toISOString()],
            [role(3), new Date(NOW - DAY).toISOString()],
          ]),
        ],
      ]),
      groups: new Map([["grp_1", new Map([[role(4), ["teams"]]])]]),
      secretMembers: new Set(),
      secretRoles: new Map(),
    },
    true,
    { now: NOW, separationOfDuties: [], showSecrets: false },
  );
  return { generatedAt: new Date(NOW).toISOString(), organizations: [org] };
}

describe("access report: sources, flags and escaping", () => {
  it("tells each source and flag apart: declared, drift, group (with its declaring resource), ending soon, past its end", () => {
    const report = hostileReport();
    const rows = allRows(report, NOW);
    const by = (id: string) => rows.find((r) => r.roleId === id)!;
    expect(by(role(1))).to.include({ source: "direct, not declared (drift)", flags: "" });
    expect(by(role(2))).to.include({ source: "direct, declared by main", flags: "ends-within-7-days" });
    expect(by(role(3))).to.include({ source: "direct, not declared (drift)", flags: "past-end" });
    expect(by(role(4))).to.include({ source: "group eng (declared by teams)", role: "reader" });
    const c = countsOf(report.organizations[0]!, NOW);
    expect([c.grants, c.declared, c.drift, c.group]).to.deep.equal([4, 1, 2, 1]);
  });

  it("a group-held role is 'declared by' only the resources declaring that role for the group; the group's other roles are group drift", () => {
    // As `pulumi stack export` writes an OrgGroupRoles declaring viewer (role 4) for grp_ops; the tenant's
    // grp_ops also holds admin (role 5), granted by hand.
    const declared = declaredOrganizations({
      version: 3,
      deployment: {
        resources: [
          {
            urn: `urn:pulumi:dev::p::${GROUP_RESOURCE_TYPE_TOKEN}::ops-roles`,
            type: GROUP_RESOURCE_TYPE_TOKEN,
            outputs: { organizationId: ORG, groups: { grp_ops: [role(4)] } },
          },
        ],
      },
    } as unknown as Parameters<typeof declaredOrganizations>[0]);
    const org = buildOrganization(
      {
        id: ORG,
        name: "Acme",
        members: [{ user_id: user(1), roles: [] }],
        groups: [{ id: "grp_ops", name: "ops", roles: [{ id: role(4) }, { id: role(5) }] }],
        effective: new Map([
          [
            user(1),
            [
              { id: role(4), name: "viewer", sources: ["groups"] },
              { id: role(5), name: "admin", sources: ["groups"] },
            ],
          ],
        ]),
        notes: [],
      },
      declared.get(ORG),
      true,
      { now: NOW, separationOfDuties: [], showSecrets: false },
    );
    const rows = allRows({ generatedAt: "", organizations: [org] }, NOW);
    expect(rows.map((r) => [r.role, r.source])).to.deep.equal([
      ["viewer", "group ops (declared by ops-roles)"],
      ["admin", "group ops (not declared: group drift)"],
    ]);
  });

  it("an end and its flags belong to the direct grant: a role held only through a group after the direct grant ended shows neither", () => {
    const org = buildOrganization(
      {
        id: ORG,
        name: "Acme",
        // user 1's direct grant of role 4 ended and was removed; the role is still held through grp_1.
        members: [{ user_id: user(1), roles: [{ id: role(6), name: "direct" }] }],
        groups: [{ id: "grp_1", name: "eng", roles: [{ id: role(4) }] }],
        effective: new Map([[user(1), [{ id: role(4), name: "reader", sources: ["groups"] }]]]),
        notes: [],
      },
      {
        organizationId: ORG,
        owners: new Map([[user(1), new Map([[role(6), ["main"]]])]]),
        until: new Map([
          [
            user(1),
            new Map([
              [role(4), new Date(NOW - DAY).toISOString()],
              [role(6), new Date(NOW + DAY).toISOString()],
            ]),
          ],
        ]),
        groups: new Map(),
        secretMembers: new Set(),
        secretRoles: new Map(),
      },
      true,
      { now: NOW, separationOfDuties: [], showSecrets: false },
    );
    const rows = allRows({ generatedAt: "", organizations: [org] }, NOW);
    expect(rows.map((r) => [r.role, r.source, r.until, r.flags])).to.deep.equal([
      ["reader", "group eng", "", ""],
      ["direct", "direct, declared by main", new Date(NOW + DAY).toISOString(), "ends-within-7-days"],
    ]);
  });

  it("without --show-secrets, a member a secret map declares is masked in every organization's section, and the secret map's roles and ends with it", () => {
    const end = new Date(NOW + 30 * DAY).toISOString();
    const live = (id: string) => ({
      id,
      name: id,
      members: [
        {
          user_id: user(1),
          email: "ken.secret@example.com",
          roles: [
            { id: role(1), name: "admin" },
            { id: role(2), name: "drifted" },
          ],
        },
      ],
      notes: [],
    });
    const opts = { now: NOW, separationOfDuties: [], showSecrets: false, secretMembers: new Set([user(1)]) };
    // Its own organization: the secret map declares role 1 with an end; role 2 is drift, not the map's.
    const own = buildOrganization(
      live(ORG),
      {
        organizationId: ORG,
        owners: new Map([[user(1), new Map([[role(1), ["contractors"]]])]]),
        until: new Map([[user(1), new Map([[role(1), end]])]]),
        groups: new Map(),
        secretMembers: new Set([user(1)]),
        secretRoles: new Map([[user(1), new Set([role(1)])]]),
      },
      true,
      opts,
    );
    // Another organization, named on the command line: the stack declares nothing there.
    const other = buildOrganization(live("org_other"), undefined, true, opts);
    const text = renderCsv(allRows({ generatedAt: "", organizations: [own, other] }, NOW));
    for (const clear of [user(1), "ken.secret@example.com", end]) expect(text, clear).not.to.include(clear);
    const rows = allRows({ generatedAt: "", organizations: [own, other] }, NOW);
    // The grants the secret map does not declare (drift; the other organization's) are not secret.
    expect(rows.map((r) => [r.organizationId, r.member, r.email, r.roleId, r.role, r.until])).to.deep.equal([
      [ORG, "(secret member #1)", "(secret)", "(secret role)", "(secret role)", "(secret)"],
      [ORG, "(secret member #1)", "(secret)", role(2), "drifted", ""],
      ["org_other", "(secret member #1)", "(secret)", role(1), "admin", ""],
      ["org_other", "(secret member #1)", "(secret)", role(2), "drifted", ""],
    ]);
  });

  it("a role two groups hold names the group listing the member when the groups' members were read, both otherwise", () => {
    const live = (groupMembers?: Map<string, ReadonlySet<string>>) =>
      buildOrganization(
        {
          id: ORG,
          name: "Acme",
          members: [
            { user_id: user(1), roles: [] },
            { user_id: user(2), roles: [] },
          ],
          groups: [
            { id: "grp_a", name: "alpha", roles: [{ id: role(4) }] },
            { id: "grp_b", name: "beta", roles: [{ id: role(4) }] },
          ],
          ...(groupMembers ? { groupMembers } : {}),
          effective: new Map([
            [user(1), [{ id: role(4), sources: ["groups"] }]],
            [user(2), [{ id: role(4), sources: ["groups"] }]],
          ]),
          notes: [],
        },
        undefined,
        false,
        { now: NOW, separationOfDuties: [], showSecrets: false },
      );
    const sources = (org: ReturnType<typeof live>) =>
      allRows({ generatedAt: "", organizations: [org] }, NOW).map((r) => [r.member, r.source]);
    // user 1 in alpha only; user 2 listed by neither (joined after the listing): every holder named.
    const read = new Map([
      ["grp_a", new Set([user(1)])],
      ["grp_b", new Set<string>()],
    ]);
    expect(sources(live(read))).to.deep.equal([
      [user(1), "group alpha"],
      [user(2), "group alpha or beta"],
    ]);
    expect(sources(live())).to.deep.equal([
      [user(1), "group alpha or beta"],
      [user(2), "group alpha or beta"],
    ]);
  });

  it("group membership: read per group holding a role; not read without the scope or with a nested group", async () => {
    const listings: Record<string, Array<{ id: string; member_type?: string }>> = {
      grp_a: [{ id: user(1), member_type: "user" }, { id: user(2) }],
      grp_nested: [
        { id: user(3), member_type: "user" },
        { id: "grp_inner", member_type: "group" },
      ],
    };
    const read: string[] = [];
    const client = {
      transport: { stats: { requests: 0 } },
      listGroupMembers: async (id: string) => {
        read.push(id);
        return listings[id]!;
      },
    } as unknown as ManagementClient;
    const all = () => true;
    expect(await readGroupMembership(client, [{ id: "grp_a", name: "alpha" }], all)).to.deep.equal({
      membership: new Map([["grp_a", new Set([user(1), user(2)])]]),
    });
    expect(
      await readGroupMembership(client, [{ id: "grp_a", name: "alpha" }], (s) => s !== "read:group_members"),
    ).to.deep.equal({ notRead: "the application lacks read:group_members" });
    expect(read).to.deep.equal(["grp_a"]);
    expect(await readGroupMembership(client, [{ id: "grp_nested", name: "nested" }], all)).to.deep.equal({
      notRead:
        "group nested has 1 member(s) that are not users (member_type group), whose members are not listed",
    });
    expect(read).to.deep.equal(["grp_a", "grp_nested"]);
  });

  it("flat forms name the separation-of-duties pair beside the flag, as the other forms' notes do", () => {
    const org = buildOrganization(
      {
        id: ORG,
        name: "Acme",
        members: [
          {
            user_id: user(1),
            roles: [
              { id: role(1), name: "admin" },
              { id: role(2), name: "billing" },
            ],
          },
        ],
        notes: [],
      },
      undefined,
      false,
      { now: NOW, separationOfDuties: [["admin", "billing"]], showSecrets: false },
    );
    const rows = allRows({ generatedAt: "", organizations: [org] }, NOW);
    expect(rows.map((r) => r.flags)).to.deep.equal([
      "separation-of-duties:admin+billing",
      "separation-of-duties:admin+billing",
    ]);
  });

  it("CSV: a cell a spreadsheet would run as a formula starts with a quote; quotes and commas are quoted", () => {
    expect(csvCell("=1+1")).to.equal("'=1+1");
    expect(csvCell("@SUM(A1)")).to.equal("'@SUM(A1)");
    expect(csvCell('a "b", c')).to.equal('"a ""b"", c"');
    const csv = renderCsv(allRows(hostileReport(), NOW));
    expect(csv.split("\r\n")[0]).to.equal(
      "organization_id,organization,member,email,role_id,role,source,until,flags",
    );
    expect(csv).to.include(`"'=HYPERLINK(""x"")|<script>"`);
  });

  it("Markdown: a pipe or an HTML tag in tenant data stays inside its cell, as text", () => {
    const md = renderMarkdown(hostileReport(), NOW);
    expect(md).to.include('`=HYPERLINK("x")\\|<script>`');
    expect(md).to.include("4 role grants: 1 declared, 2 drift");
  });

  it("Markdown: tenant text renders as text: no image, link, autolink, @mention or HTML, whatever its backticks", () => {
    const hostile = "![x](https://evil.example/p.png) @octocat [click](https://evil.example) <img src=x>";
    const report = hostileReport();
    report.organizations[0]!.members[0]!.roles[0]!.name = hostile;
    report.organizations[0]!.members[1]!.roles[0]!.name = "a`b``c";
    report.organizations[0]!.name = "``` fence";
    const md = renderMarkdown(report, NOW);
    // In a code span GitHub renders nothing: the whole name inside one, the fence longer than any backtick run.
    expect(md).to.include(`| \`${hostile}\` |`);
    expect(md).to.include("| ```a`b``c``` |");
    expect(md).to.include("## ```` ``` fence ```` (`org_");
    // Outside code spans, nothing of the hostile name.
    const outside = md.replace(/(`+)(?:(?!\1).)*?\1/g, "");
    expect(outside).not.to.match(/!\[|\]\(|@octocat|<img|https?:/);
  });

  it("Markdown: the whole document stays under GitHub's comment limit, saying how many rows were cut and how to get them", () => {
    // 5 organizations of 200 members with one long-named role each: about 5 × 200 × 180 bytes of rows.
    const org = (o: number) =>
      buildOrganization(
        {
          id: `org_${o}`,
          name: `org ${o}`,
          members: Array.from({ length: 200 }, (_, i) => ({
            user_id: user(o * 1000 + i),
            email: `member${i}@example.com`,
            roles: [{ id: role(1), name: `a-rather-long-role-name-${"x".repeat(60)}` }],
          })),
          notes: [],
        },
        undefined,
        false,
        { now: NOW, separationOfDuties: [], showSecrets: false },
      );
    const report: AccessReport = { generatedAt: "", organizations: [1, 2, 3, 4, 5].map(org) };
    const md = renderMarkdown(report, NOW);
    expect(md.length).to.be.below(65_536);
    expect(Buffer.byteLength(md)).to.be.at.most(60_000);
    const shown = md.split("\n").filter((l) => l.startsWith("| `auth0\\|")).length;
    expect(shown).to.be.above(100).and.below(1000);
    // Every organization's counts stay; the end names the rows cut and the way to all of them.
    for (const o of [1, 2, 3, 4, 5]) expect(md).to.include(`## \`org ${o}\``);
    expect(md).to.include(`_This document is cut at --max-bytes 60000: ${1000 - shown} rows left out.`);
    expect(md).to.include("`--format csv` or `--format html` has every row");
    // A larger bound shows them all.
    const all = renderMarkdown(report, NOW, 10_000_000);
    expect(all.split("\n").filter((l) => l.startsWith("| `auth0\\|")).length).to.equal(1000);
    expect(all).not.to.include("cut at --max-bytes");
  });

  it("HTML: tenant data escaped, nothing loaded from outside the page", () => {
    const html = renderHtml(hostileReport(), NOW);
    expect(html).to.include("Acme &lt;b&gt;");
    expect(html).to.include("&lt;script&gt;");
    expect(html.match(/<script>/g)).to.have.length(1);
    expect(html).not.to.match(/\b(src|href)=|https?:\/\//);
  });

  it("reads the stack export: owners by resource name, secret members, ends mapped to role IDs", () => {
    const declared = declaredOrganizations(reportStackExport(NOW)).get(ORG)!;
    expect(declared.owners.get(user(0))!.get(role(1))).to.deep.equal(["main"]);
    expect(declared.owners.get(user(960))!.get(role(4))).to.deep.equal(["contractors"]);
    expect(declared.secretMembers.size).to.equal(50);
    expect(declared.until.get(user(960))!.get(role(4))).to.equal(new Date(NOW + 3 * DAY).toISOString());
  });

  it("an encrypted member map is refused naming the resource and the fix", () => {
    const exported = reportStackExport(NOW);
    exported.deployment.resources![1]!.outputs!["members"] = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: "v1:abc",
    };
    expect(() => declaredOrganizations(exported)).to.throw(/members of urn:.*::contractors.*--show-secrets/);
  });
});

async function cli(args: string[]) {
  const { code, stderr } = await runCaptured(["report", ...args]);
  return { code, stderr };
}

describe("auth0-org-member-roles report: a wrong command line exits 2, naming what to fix", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "report-usage-"));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cases: Array<[string, string[], RegExp]> = [
    ["no organization", [], /give --stack-export FILE or at least one organization ID/],
    ["a format not offered", ["--format", "pdf", ORG], /--format pdf: give one of csv, json, markdown, html/],
    ["a pair of one role", ["--separation-of-duties", "admin,admin", ORG], /two different roles/],
    ["a pair of three", ["--separation-of-duties", "a,b,c", ORG], /two different roles/],
    ["no organization ID", ["acme"], /acme is not an organization ID/],
    ["a call bound of 0", ["--max-calls", "0", ORG], /--max-calls 0: must be a whole number/],
    ["a missing export", ["--stack-export", path.join(dir, "missing.json")], /no such file/],
    ["an export that is no JSON", ["--stack-export", file("bad.json", "{")], /is not JSON/],
    [
      "an export with no deployment",
      ["--stack-export", file("empty.json", "{}")],
      /no deployment with a list of resources/,
    ],
    [
      "an export declaring nothing",
      ["--stack-export", file("none.json", '{"deployment":{"resources":[]}}')],
      /declares no OrgMemberRoles/,
    ],
    ["no credentials", [ORG], /auth0:domain|AUTH0_DOMAIN/],
    // Checked before the credentials, so before any call: a wrong path found after every read wastes them.
    [
      "an --out in a directory that does not exist",
      ["--out", path.join(dir, "no-such-dir", "review.md"), ORG],
      /--out .*review\.md: its directory does not exist or cannot be written \(ENOENT\)/,
    ],
    ["an --out that is a directory", ["--out", dir, ORG], /--out .*: is a directory/],
  ];
  for (const [what, args, message] of cases)
    it(what, async () => {
      const { code, stderr } = await cli(args);
      expect(code).to.equal(2);
      expect(stderr).to.match(message);
      expect(stderr).to.include("report --help");
    });
});

describe("docs/guide.md: the command-line tool's list", () => {
  it("names every command `auth0-org-member-roles --help` lists, and links docs/report.md", async () => {
    const guide = readFileSync(path.resolve(__dirname, "../../../docs/guide.md"), "utf8");
    const row = guide.split("\n").find((l) => l.includes("the command-line tool:"))!;
    const { stdout } = await runCaptured(["--help"]);
    const commands = stdout
      .slice(stdout.indexOf("Commands:"))
      .split("\n")
      .slice(1)
      .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
    expect(commands).to.include.members(["doctor", "report"]);
    for (const c of commands) expect(row, c).to.include(`\`${c}\``);
    expect(row).to.include("(report.md)");
  });
});
