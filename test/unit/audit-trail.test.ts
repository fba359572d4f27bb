/**
 * The audit trail's line (src/audit/trail.ts) and the PR summary's link to it. The trail on the real engine,
 * through a failed and a repeated `up`: test/e2e/audit-trail.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { auditRecorder } from "../../src/audit/recorder";
import { auditLine } from "../../src/audit/trail";
import { RunContext } from "../../src/provider/context";
import { ORG, role, user } from "../helpers/fixtures";
import { runCaptured } from "../helpers/run-cli";

const write = {
  organizationId: ORG,
  holder: "member" as const,
  id: user(1),
  added: [role(1)],
  removed: [],
  resource: `OrgMemberRoles of ${ORG}`,
  status: 204,
  uncertain: false,
};
const TIME = new Date("2026-12-07T12:00:00Z");

describe("audit trail: one JSON line per write", () => {
  it("names the time, organization, member, roles, resource and status", () => {
    expect(JSON.parse(auditLine(write, TIME))).to.deep.equal({
      time: "2026-12-07T12:00:00.000Z",
      organization: ORG,
      member: user(1),
      rolesAdded: [role(1)],
      rolesRemoved: [],
      resource: `OrgMemberRoles of ${ORG}`,
      status: 204,
    });
    const group = JSON.parse(
      auditLine({ ...write, holder: "group", id: "grp_1", status: undefined, uncertain: true }, TIME),
    );
    expect(group).to.include({ group: "grp_1", status: null, uncertain: true });
    expect(group).not.to.have.property("member");
  });

  it("with a secret map in the run, no member or role in clear; the count of roles kept", () => {
    const line = auditLine({ ...write, added: [role(1), role(2)], removed: [role(3)] }, TIME, true);
    for (const id of [user(1), role(1), role(2), role(3)]) expect(line).not.to.include(id);
    expect(JSON.parse(line)).to.include({ member: "(secret member)" });
    expect(JSON.parse(line).rolesAdded).to.deep.equal(["(secret role)", "(secret role)"]);
    expect(JSON.parse(line).rolesRemoved).to.deep.equal(["(secret role)"]);
  });
});

describe("audit trail: a file that cannot keep the trail", () => {
  const member = "member" as const;
  const run = (file: string) =>
    RunContext.configured((k) => (k === "orgMemberRoles:auditLog" ? file : undefined));

  it("a device that opens but keeps nothing (/dev/full) is refused before any write, naming the file", function () {
    if (!existsSync("/dev/full")) this.skip();
    expect(() => auditRecorder(run("/dev/full"), ORG, member)).to.throw(
      /orgMemberRoles:auditLog \(ORG_MEMBER_ROLES_AUDIT_LOG\) names \/dev\/full, which cannot be appended to \(not a regular file.*Nothing was written to the tenant/,
    );
  });

  it("an append failing after a write landed does not fail the write: the line it lacks is said and kept", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "audit-lost-")), "trail.jsonl");
    const ctx = run(file);
    const record = auditRecorder(ctx, ORG, member)!;
    // The file goes away after the check, a directory in its place: every append now fails (EISDIR).
    rmSync(file);
    mkdirSync(file);
    const said: string[] = [];
    // The provider says it on its stderr (the engine's log): taken here for the duration of the call.
    const stderrWrite = process.stderr.write;
    process.stderr.write = ((t: string) => said.push(t) > 0) as typeof process.stderr.write;
    try {
      expect(() =>
        record({ id: user(2), added: [role(1)], removed: [], status: 204, uncertain: false }),
      ).not.to.throw();
    } finally {
      process.stderr.write = stderrWrite;
    }
    expect(ctx.unrecordedAudit).to.have.length(1);
    expect(JSON.parse(ctx.unrecordedAudit[0]!)).to.include({ member: user(2), status: 204 });
    expect(said.join("")).to.match(
      /could not take the line of a write that reached the tenant \(EISDIR\); not recorded: \{.*auth0/,
    );
  });
});

async function prSummary(args: string[]) {
  const { code, stdout: out, stderr: err } = await runCaptured(["pr-summary", ...args]);
  return { code, out, err };
}

describe("pr-summary --audit-log: the next preview's summary links the trail", () => {
  // A recorded preview (test/fixtures/previews), unpacked to a file as `pulumi preview --json` writes it.
  const recorded = path.resolve(
    __dirname,
    "../../../test/fixtures/previews/members-added-removed.digest.json.gz",
  );
  const preview = path.join(mkdtempSync(path.join(os.tmpdir(), "audit-link-")), "preview.json");
  writeFileSync(preview, gunzipSync(readFileSync(recorded)));

  it("links it at the end, inside the size bound", async () => {
    const url = "https://example.com/runs/1/audit.jsonl";
    const { code, out } = await prSummary([preview, "--audit-log", url, "--max-bytes", "4000"]);
    expect(code).to.equal(0);
    expect(out.trimEnd().split("\n").at(-1)).to.equal(
      `Every role write of the last \`up\`, one JSON line each: [audit trail](${url}).`,
    );
    expect(Buffer.byteLength(out)).to.be.at.most(4000);
  });

  it("a link that would break the Markdown exits 2, naming the option", async () => {
    const { code, err } = await prSummary([preview, "--audit-log", "a b)"]);
    expect(code).to.equal(2);
    expect(err).to.include("--audit-log a b): give a URL or path without spaces");
  });
});
