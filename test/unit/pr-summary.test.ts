import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_CLIENT } from "../../emulator/server";
import { PROJECT_ROOT } from "../../scripts/engine";
import type { PreviewJsonFormat } from "../../scripts/preview-json";
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, PreviewJsonError, summarisePreview } from "../../src/summary";
import { code, plain } from "../../src/summary/markdown";
import { previewChanges } from "../../src/summary/member-changes";
import { directoryOf, roleNamesFromConfig } from "../../src/summary/names";
import { parsePreviewJson } from "../../src/summary/preview-json";
import {
  ADA,
  ALAN,
  BARBARA,
  EDSGER,
  fixtureFile,
  GRACE,
  KEN,
  LINUS,
  MARGARET,
  ORG,
  ROLE,
  SCENARIOS,
  scenarioUsers,
} from "../helpers/preview-scenarios";

const FORMATS: PreviewJsonFormat[] = ["digest", "events"];
/** A recorded `pulumi preview --json` of the real engine (test/helpers/preview-scenarios.ts). */
const recorded = (scenario: string, format: PreviewJsonFormat) =>
  gunzipSync(readFileSync(fixtureFile(scenario, format))).toString("utf8");
const summary = (scenario: string, format: PreviewJsonFormat, options = {}) =>
  summarisePreview(recorded(scenario, format), { users: scenarioUsers(), ...options }).summary.markdown;
const memberLines = (md: string) => md.split("\n").filter((l) => l.startsWith("- `"));
const organizationsSection = (md: string) => md.slice(md.indexOf("### Organizations"));
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

describe("pr-summary: the summary of recorded previews of the real engine", () => {
  for (const format of FORMATS) {
    describe(`from the ${format} form of pulumi preview --json`, () => {
      it("a one-member change shows that member only, with roles gained and lost by name and the email", () => {
        const md = summary("one-member-change", format);
        expect(md.startsWith(`${COMMENT_MARKER}\n`)).to.equal(true);
        expect(memberLines(md)).to.deep.equal([
          `- \`${ADA}\` \`ada@acme.example\`: gains \`support\`; loses \`developer\``,
        ]);
        expect(md).to.contain("#### `acme` · `org_acme000000000001`: 1 member changed");
        expect(md).not.to.contain(GRACE).and.not.to.contain(ALAN).and.not.to.contain("globex");
        expect(md).to.contain("**The preview succeeded.**");
      });

      it("members added and removed show with the roles they get or lose, per organization", () => {
        const md = summary("members-added-removed", format);
        expect(memberLines(md)).to.deep.equal([
          `- \`${KEN}\` \`ken@acme.example\`: added, gets \`support\`, \`viewer\``,
          `- \`${ALAN}\`: removed, loses \`viewer\``,
          `- \`${EDSGER}\` \`edsger@globex.example\`: removed, loses \`developer\``,
        ]);
        expect(md)
          .to.contain("#### `acme` · `org_acme000000000001`: 1 added, 1 removed")
          .and.to.contain("#### `globex` · `org_globex0000000002`: 1 removed");
      });

      it("drift found by a refresh shows what changed outside Pulumi, and the changes that repair it", () => {
        const md = summary("drift", format);
        const lines = memberLines(md);
        expect(lines).to.include.members([
          `- \`${ADA}\` \`ada@acme.example\`: assigned outside Pulumi: \`auditor\``,
          `- \`${GRACE}\` \`grace@acme.example\`: removed outside Pulumi: \`viewer\``,
          `- \`${ALAN}\`: no longer a member of the organization; held: \`viewer\``,
          `- \`${ADA}\` \`ada@acme.example\`: loses \`auditor\``,
          `- \`${GRACE}\` \`grace@acme.example\`: gains \`viewer\``,
        ]);
        expect(lines).to.have.length(5);
        expect(md).to.contain("3 drifted").and.contain("the refresh found 3 members changed outside Pulumi");
      });

      it("creation, deletion with retainOnDelete and a replacement into another organization read as such", () => {
        const md = summary("lifecycle", format);
        expect(md).to.contain(
          "_`hooli` leaves the stack with retainOnDelete: its members keep their roles._",
        );
        expect(md).to.contain(
          `- \`${LINUS}\` \`linus@hooli.example\`: removed, keeps \`viewer\` (retainOnDelete)`,
        );
        expect(md).to.contain(
          `- \`${MARGARET}\` (Margaret Hamilton): removed, keeps \`developer\` (retainOnDelete)`,
        );
        expect(md).to.contain("#### `globex` · `org_globex0000000002`: 2 removed");
        expect(md).to.contain("#### `globex` · `org_initech000000004`: 2 added");
        expect(md).to.contain(
          `- \`${BARBARA}\` \`barbara@globex.example\`: added, gets \`admin\`, \`auditor\``,
        );
        expect(md).to.contain(
          "_New resource `umbrella`: roles members already hold are adopted; nothing is removed._",
        );
        const headings = md.split("\n").filter((l) => l.startsWith("#### "));
        expect(headings.map((h) => /`(org_[a-z0-9]+)`/.exec(h)?.[1])).to.deep.equal([
          ORG.globex,
          ORG.hooli,
          ORG.initech,
          ORG.umbrella,
        ]);
      });

      it("secret members and secret roles are never shown; a role known only after apply says so", () => {
        const md = summary("secrets-and-unknowns", format);
        expect(md).to.contain("_`vault`: its members are secret, not shown._");
        // The headline counts vault's change too: "0 members changed" alone would read as no change.
        expect(md).to.match(
          /and 1 resource whose members are not shown \(secret, or known only after apply\)/,
        );
        expect(md).not.to.contain(LINUS); // vault's only member, inside the secret
        expect(md).to.contain(`- \`${BARBARA}\` \`barbara@globex.example\`: roles are secret, not shown`);
        expect(md).not.to.contain(ROLE.support); // Barbara's secret role
        expect(md).to.contain(
          `- \`${EDSGER}\` \`edsger@globex.example\`: added, gets (known after apply), \`${ROLE.viewer}\``,
        );
      });

      it("a member over the role cap lists the first 20 roles here and all of them in the full summary", () => {
        const text = recorded("policy-violation", format);
        const { summary: s, full } = summarisePreview(text, { users: scenarioUsers() });
        const grace = memberLines(s.markdown).find((l) => l.includes(GRACE))!;
        expect(grace).to.contain("gains `rol_extra00000000000`").and.contain("and 33 more");
        expect(s.truncated).to.equal(true);
        expect(s.markdown).to.contain("role lists cut at 20");
        expect(memberLines(full()).find((l) => l.includes(GRACE))).to.contain("`rol_extra00000000052`");
      });
    });
  }

  it("the engine-event form carries the policy pack's mandatory and advisory results with their messages", () => {
    const md = summary("policy-violation", "events");
    expect(md).to.contain("**The preview failed**");
    expect(md).to.contain(
      "**`auth0-org-member-roles` 0.1.0**: 1 mandatory violation, 1 advisory warning. Passed: `effective-roles-per-member`, `expiry-required`, `max-holders`, `one-owner-per-group`, `roles-per-member`, `roles-per-member-in-stack`, `separation-of-duties`.",
    );
    const mandatory = md.split("\n").find((l) => l.startsWith("- **mandatory** `one-owner-per-member`"));
    expect(mandatory).to.contain(
      "google-oauth2\\|115015401343387192604 is managed by 2 resources \\(acme, acme-contractors\\)",
    );
    const advisory = md.split("\n").find((l) => l.startsWith("- **advisory** `auth0-documented-role-limit`"));
    expect(advisory).to.contain("55 roles, more than the 50");
    expect(md.indexOf("**mandatory**")).to.be.lessThan(md.indexOf("**advisory**"));
  });

  it("the digest form says policy results are not in it, and still reports the failed preview", () => {
    const md = summary("policy-violation", "digest");
    expect(md).to.contain("**The preview failed**");
    expect(md).to.contain("_Policy results are not in this JSON");
    expect(md).to.contain("PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true");
    expect(md).to.contain("- **error**: preview failed");
  });

  it("a passing policy pack is reported with the policies that passed", () => {
    expect(summary("one-member-change", "events")).to.contain(
      "**`auth0-org-member-roles` 0.1.0**: no violations. Passed: `auth0-documented-role-limit`, `effective-roles-per-member`, `expiry-required`, `max-holders`, `one-owner-per-group`, `one-owner-per-member`, `roles-per-member`, `roles-per-member-in-stack`, `separation-of-duties`.",
    );
  });

  it("both JSON forms give the same organizations section for every scenario", () => {
    for (const { name } of SCENARIOS)
      expect(organizationsSection(summary(name, "digest")), name).to.equal(
        organizationsSection(summary(name, "events")),
      );
  });

  it("nothing secret reaches a summary: no masked value, no ciphertext, no client secret", () => {
    for (const { name } of SCENARIOS)
      for (const format of FORMATS) {
        const { summary: s, full } = summarisePreview(recorded(name, format), { users: scenarioUsers() });
        for (const md of [s.markdown, full()])
          expect(md, `${name}.${format}`)
            .not.to.contain("[secret]")
            .and.not.to.contain("ciphertext")
            .and.not.to.contain("4dabf18193072939515e22adb298388d")
            .and.not.to.contain(DEFAULT_CLIENT.clientSecret);
      }
  });

  it("without a users listing members show by ID; without the roles config, roles show by ID", () => {
    const text = recorded("one-member-change", "digest");
    const md = summarisePreview(text).summary.markdown;
    expect(memberLines(md)).to.deep.equal([`- \`${ADA}\`: gains \`support\`; loses \`developer\``]);
    const noConfig = JSON.parse(text);
    noConfig.config = {};
    expect(memberLines(summarisePreview(JSON.stringify(noConfig)).summary.markdown)).to.deep.equal([
      `- \`${ADA}\`: gains \`${ROLE.support}\`; loses \`${ROLE.developer}\``,
    ]);
  });

  it("is deterministic: the same preview gives the same bytes", () => {
    for (const format of FORMATS) expect(summary("drift", format)).to.equal(summary("drift", format));
  });
});

/** The recorded one-member-change digest with acme's members replaced: real engine output, scaled. */
function scaledDigest(olds: Record<string, string[]>, news: Record<string, string[]>): string {
  const doc = JSON.parse(recorded("one-member-change", "digest"));
  const step = doc.steps.find((s: { op: string }) => s.op === "update");
  step.oldState.inputs.members = olds;
  step.oldState.outputs.members = olds;
  step.newState.inputs.members = news;
  return JSON.stringify(doc);
}

describe("pr-summary: bounded size whatever the change", () => {
  const user = (i: number) => `auth0|${String(i).padStart(24, "0")}`;

  it("10,000 changed members: under GitHub's comment limit, counts per organization, the first 50, and where the rest is", () => {
    const olds = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [user(i), [ROLE.developer]]));
    const news = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [user(i), [ROLE.support]]));
    const { summary: s, full } = summarisePreview(scaledDigest(olds, news), {
      moreHint: "The full summary is the workflow artifact `member-roles-summary`.",
    });
    expect(s.markdown.length).to.be.lessThan(GITHUB_COMMENT_LIMIT);
    expect(utf8(s.markdown)).to.be.at.most(60_000);
    expect(s.markdown).to.contain("#### `acme` · `org_acme000000000001`: 10,000 members changed");
    expect(memberLines(s.markdown)).to.have.length(50);
    expect(memberLines(s.markdown)[0]).to.equal(`- \`${user(0)}\`: gains \`support\`; loses \`developer\``);
    expect(s.markdown).to.contain("- … and 9,950 more member lines for this organization.");
    expect(s.markdown).to.contain(
      "_Summarised: 50 of 10,000 member lines shown. The full summary is the workflow artifact `member-roles-summary`._",
    );
    expect(memberLines(full())).to.have.length(10_000);
  });

  it("--max-members is configurable: past it the summary keeps every organization's counts", () => {
    const text = recorded("members-added-removed", "events");
    const { summary: s } = summarisePreview(text, { maxMembers: 1 });
    expect(memberLines(s.markdown)).to.have.length(1);
    expect(s.markdown)
      .to.contain("#### `acme` · `org_acme000000000001`: 1 added, 1 removed")
      .and.contain("#### `globex` · `org_globex0000000002`: 1 removed")
      .and.contain("1 of 3 member lines shown");
    expect(summarisePreview(text, { maxMembers: 0 }).summary.markdown).not.to.contain("Changes:");
  });

  it("any members, roles, names and limits: never over the byte limit, never more member lines than asked", () => {
    const id = fc.stringMatching(/^[a-z0-9|@.\-_`*<>\u00e9\u4e2d\u{1F600}]{1,80}$/u);
    fc.assert(
      fc.property(
        fc.dictionary(id, fc.array(id, { maxLength: 150 }), { maxKeys: 400 }),
        fc.dictionary(id, fc.array(id, { maxLength: 150 }), { maxKeys: 400 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 4_000, max: GITHUB_COMMENT_LIMIT }),
        (olds, news, maxMembers, maxBytes) => {
          const { summary: s } = summarisePreview(scaledDigest(olds, news), { maxMembers, maxBytes });
          expect(utf8(s.markdown)).to.be.at.most(maxBytes);
          expect(s.shownMemberLines).to.be.at.most(maxMembers);
          expect(memberLines(s.markdown).length).to.equal(s.shownMemberLines);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("pr-summary: reading the preview JSON", () => {
  it("refuses empty input, and lines that are not engine events, naming what was expected", () => {
    expect(() => parsePreviewJson("  \n")).to.throw(PreviewJsonError, /empty.*pulumi preview --json/);
    expect(() => parsePreviewJson('{"sequence":1,"timestamp":1}\nnot json')).to.throw(
      PreviewJsonError,
      /line 2 is not JSON/,
    );
    expect(() => parsePreviewJson('{"hello":"world"}')).to.throw(
      PreviewJsonError,
      /line 1 is not a Pulumi engine event/,
    );
  });

  it("finds the refreshed state of the digest form in the resource's next step", () => {
    const record = parsePreviewJson(recorded("drift", "digest"));
    const acme = record.refreshes.find((r) => r.urn.endsWith("::acme"))!;
    expect((acme.before!.outputs.members as Record<string, string[]>)[ADA]).to.deep.equal([
      ROLE.admin,
      ROLE.developer,
    ]);
    expect((acme.after!.outputs.members as Record<string, string[]>)[ADA]).to.deep.equal([
      ROLE.admin,
      ROLE.auditor,
      ROLE.developer,
    ]);
  });

  it("tolerates outputs that gain or lose fields: only members, organizationId and mode are read", () => {
    const doc = JSON.parse(recorded("one-member-change", "digest"));
    for (const step of doc.steps) {
      if (step.oldState?.outputs) {
        delete step.oldState.outputs.declared;
        step.oldState.outputs.somethingNew = { nested: [1, 2] };
      }
    }
    const changes = previewChanges(parsePreviewJson(JSON.stringify(doc)));
    expect(changes.organizations[0]!.resources[0]!.members).to.deep.equal([
      { userId: ADA, kind: "changed", gains: [ROLE.support], loses: [ROLE.developer], secret: false },
    ]);
  });

  it("role names come from the project's roles config; a secret or malformed config gives none", () => {
    expect(roleNamesFromConfig({ "p:roles": '{"b":"rol_1","a":"rol_1"}' }, "p")).to.deep.equal([
      ["rol_1", "a"],
      ["rol_1", "b"],
    ]);
    expect(
      directoryOf({
        roleNames: roleNamesFromConfig({ "p:roles": '{"b":"rol_1","a":"rol_1"}' }, "p"),
      }).roleName("rol_1"),
    ).to.equal("a");
    expect(roleNamesFromConfig({ "p:roles": "[secret]" }, "p")).to.deep.equal([]);
    expect(roleNamesFromConfig({ "p:roles": "{not json" }, "p")).to.deep.equal([]);
    expect(roleNamesFromConfig({ "other:roles": '{"a":"rol_1"}' }, "p")).to.deep.equal([]);
  });

  it("Markdown: code spans hold any text, free text cannot mention anyone or add markup", () => {
    expect(code("a`b")).to.equal("``a`b``");
    expect(code("`x")).to.equal("`` `x ``");
    expect(plain("ping @octocat *now* <b>")).to.equal("ping @\u200boctocat \\*now\\* \\<b\\>");
  });
});

describe("pr-summary: the command", function () {
  this.timeout(20_000);
  const cli = path.join(PROJECT_ROOT, "dist/src/cli/main.js");
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "pr-summary-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("writes the bounded summary and the full one, with users and roles listings for names", () => {
    const preview = path.join(tmp, "preview.json");
    writeFileSync(preview, recorded("members-added-removed", "events"));
    const users = path.join(tmp, "users.ndjson");
    writeFileSync(
      users,
      scenarioUsers()
        .map((u) => JSON.stringify(u))
        .join("\n"),
    );
    const roles = path.join(tmp, "roles.json");
    writeFileSync(roles, JSON.stringify([{ id: ROLE.viewer, name: "read-only" }]));
    execFileSync(
      process.execPath,
      [
        cli,
        "pr-summary",
        preview,
        ...["--out", path.join(tmp, "summary.md"), "--full-out", path.join(tmp, "full.md")],
        ...["--users", users, "--roles", roles, "--max-members", "2", "--artifact", "member-roles-summary"],
      ],
      {
        stdio: "pipe",
        env: {
          ...process.env,
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_REPOSITORY: "acme/roles",
          GITHUB_RUN_ID: "42",
        },
      },
    );
    const md = readFileSync(path.join(tmp, "summary.md"), "utf8");
    expect(memberLines(md)).to.have.length(2);
    expect(md).to.contain("`ken@acme.example`");
    expect(md).to.contain("`viewer`"); // the config alias wins over the roles listing
    expect(md).to.contain(
      "The full summary is the artifact `member-roles-summary` of [this workflow run](https://github.com/acme/roles/actions/runs/42).",
    );
    expect(memberLines(readFileSync(path.join(tmp, "full.md"), "utf8"))).to.have.length(3);
  });

  it("bad options and input fail with a message naming the option or the file and the fix", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, "pr-summary", ...args], { encoding: "utf8" });
    const missing = run(path.join(tmp, "nope.json"));
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.contain("nope.json: no such file");
    const preview = path.join(tmp, "preview.json");
    const tooBig = run(preview, "--max-bytes", "70000");
    expect(tooBig.status).to.equal(2);
    expect(tooBig.stderr).to.contain("--max-bytes 70000: must be a whole number from 4000 to 65536");
    writeFileSync(path.join(tmp, "empty.json"), "");
    const empty = run(path.join(tmp, "empty.json"));
    expect(empty.status).to.equal(2);
    expect(empty.stderr).to.contain("the input is empty");
  });
});

describe("pr-summary: engine messages never carry key material", () => {
  it("a PEM block or a long base64 run in a message is cut out", () => {
    const { withoutKeyMaterial } =
      require("../../src/summary/markdown") as typeof import("../../src/summary/markdown");
    const pem = `-----BEGIN PRIVATE KEY-----\n${"QUJD".repeat(16)}\n${"REVG".repeat(16)}\n-----END PRIVATE KEY-----`;
    const cleaned = withoutKeyMaterial(`setting is "${pem}": wrong`);
    expect(cleaned).to.equal('setting is "[key material removed]": wrong');
    expect(withoutKeyMaterial(`x ${"A".repeat(80)} y`)).to.equal("x [long encoded value removed] y");
    expect(withoutKeyMaterial("auth0|69e9cd6013e3dca66bfbca39 lacks rol_0123456789abcdef")).to.contain(
      "auth0|69e9",
    );
  });
});
