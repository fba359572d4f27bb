/**
 * The drift watch's verdict (src/summary/drift.ts, src/cli/drift.ts): drift opens the issue, no drift
 * closes it, and a failed preview touches neither. The previews are the real engine's recordings.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../scripts/engine";
import { driftVerdict, EXIT_CHANGES_PROPOSED } from "../../src/summary/drift";
import { fixtureFile } from "../helpers/preview-scenarios";

const recorded = (scenario: string) =>
  gunzipSync(readFileSync(fixtureFile(scenario, "events"))).toString("utf8");

describe("drift verdict of `pulumi preview --refresh --expect-no-changes --json`", () => {
  it("exit 7 with the drift recording: drift, counting the resource that would change", () => {
    expect(driftVerdict(recorded("drift"), EXIT_CHANGES_PROPOSED)).to.deep.include({
      verdict: "drift",
      changes: 1,
    });
  });

  it("exit 0: clean, whatever the text (the issue gets closed)", () => {
    expect(driftVerdict("", 0).verdict).to.equal("clean");
  });

  it("any other exit code is an error even when the text shows changes: a failed preview must not close or open the issue", () => {
    for (const code of [1, 2, 3, 255])
      expect(driftVerdict(recorded("drift"), code), String(code)).to.deep.include({
        verdict: "error",
        reason: `the preview failed (exit code ${code})`,
      });
  });

  it("exit 7 with nothing readable to summarise is an error, naming what was expected", () => {
    const { verdict, reason } = driftVerdict("", EXIT_CHANGES_PROPOSED);
    expect(verdict).to.equal("error");
    expect(reason).to.contain("the input is empty");
  });

  it("the drift command prints the verdict as $GITHUB_OUTPUT lines, and the reason on stderr", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "drift-verdict-"));
    try {
      const file = path.join(dir, "preview.json");
      writeFileSync(file, recorded("drift"));
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist/src/cli/main.js"), "drift", ...args], {
          encoding: "utf8",
        });
      const drift = run(file, "7");
      expect(drift.status).to.equal(0);
      expect(drift.stdout).to.equal("verdict=drift\nchanges=1\n");
      expect(drift.stderr).to.contain("1 resource(s) would change");
      expect(run(path.join(dir, "missing.json"), "255").stdout).to.equal("verdict=error\nchanges=0\n");
      const usage = run(file);
      expect(usage.status).to.equal(2);
      expect(usage.stderr).to.contain("give the preview's JSON file and the exit code").and.contain("--help");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
