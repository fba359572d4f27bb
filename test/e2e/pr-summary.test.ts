import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { Emulator } from "../../emulator/server";
import { previewJson } from "../../scripts/preview-json";
import { GITHUB_COMMENT_LIMIT, summarisePreview } from "../../src/summary";
import {
  everyMemberGainsARole,
  type LargeOrganization,
  largeTenant,
  memberId,
  openLargeOrganization,
} from "../helpers/large-organization";
import {
  fixtureFile,
  type Recording,
  recordPreviewScenarios,
  scenarioUsers,
} from "../helpers/preview-scenarios";

const summaryOf = (text: string) => summarisePreview(text, { users: scenarioUsers() }).summary.markdown;
const memberLines = (md: string) => md.split("\n").filter((l) => l.startsWith("- `"));

describe("end to end: pr-summary of the real engine's pulumi preview --json", function () {
  this.timeout(600_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "pr-summary-e2e-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("the committed recordings are what the engine prints today: each scenario, both forms, summarises the same", async () => {
    const recordings: Recording[] = await recordPreviewScenarios(path.join(tmp, "scenarios"));
    expect(recordings).to.have.length(12);
    for (const r of recordings) {
      const committed = gunzipSync(readFileSync(fixtureFile(r.scenario, r.format))).toString("utf8");
      expect(summaryOf(r.text), `${r.scenario}.${r.format}`).to.equal(summaryOf(committed));
      // The CLI fails the preview (and so the pull request's check) on the mandatory policy violation only.
      expect(r.failed, `${r.scenario}.${r.format} failed`).to.equal(r.scenario === "policy-violation");
    }
  });

  describe("one organization of 10,000 members, declared in stack config", () => {
    const size = 10_000;
    let emulator: Emulator;
    let org: LargeOrganization;
    before(async () => {
      emulator = await Emulator.start({ fixture: largeTenant(size) });
      org = await openLargeOrganization(path.join(tmp, "large"), emulator, size);
      await org.up();
    });
    after(async () => {
      await emulator?.stop();
    });

    it("one member changes: the raw diff is past GitHub's comment limit; the summary names that member only", async () => {
      org.declare({ ...org.baseline(), [memberId(0)]: ["role-0", "role-1", "role-5"] });
      const diff = await org.stack.preview({ diff: true });
      expect(diff.stdout.length).to.be.greaterThan(GITHUB_COMMENT_LIMIT);
      const json = await previewJson(org.stack, { diff: true }, "events");
      expect(json.failed).to.equal(false);
      const md = summaryOf(json.text);
      expect(memberLines(md)).to.deep.equal([`- \`${memberId(0)}\`: gains \`role-5\`; loses \`role-2\``]);
      expect(md).to.contain("#### `bench` · `org_bench00000000001`: 1 member changed");
    });

    it("every member changes: the first 50 members, the count, where the rest is, under the limit; the full summary has all", async () => {
      org.declare(everyMemberGainsARole(org.baseline()));
      const json = await previewJson(org.stack, { diff: true }, "events");
      expect(json.failed).to.equal(false);
      const { summary, full } = summarisePreview(json.text, {
        moreHint: "The full summary is the workflow artifact `member-roles-summary`.",
      });
      expect(summary.markdown.length).to.be.lessThan(GITHUB_COMMENT_LIMIT);
      expect(summary.markdown).to.contain("#### `bench` · `org_bench00000000001`: 10,000 members changed");
      expect(memberLines(summary.markdown)).to.have.length(50);
      expect(summary.markdown).to.contain("50 of 10,000 member lines shown");
      expect(summary.markdown).to.contain("workflow artifact `member-roles-summary`");
      const all = memberLines(full());
      expect(all).to.have.length(size);
      expect(all.every((l) => /: gains `role-\d+`$/.test(l))).to.equal(true);
    });
  });
});
