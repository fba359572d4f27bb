/**
 * The audit trail's line (src/audit/trail.ts) and the PR summary's link to it. The trail on the real engine,
 * through a failed and a repeated `up`: test/e2e/audit-trail.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { auditLine } from "../../src/audit/trail";
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
