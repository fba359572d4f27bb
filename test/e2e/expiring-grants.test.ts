/**
 * Grants that end, on the real engine against the emulator (issue 28). The provider process runs on a clock
 * the test moves (test/helpers/clock-hook.ts, preloaded into the engine's processes by this suite only):
 * the same declaration previews as unchanged before the end and as a removal, marked `expired`, after it,
 * and `up` removes exactly that grant.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { emulatorSettings } from "../../emulator/server";
import { configureStack, openStack, scratchProject } from "../../scripts/engine";
import { previewJson } from "../../scripts/preview-json";
import { summarisePreview } from "../../src/summary";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADA = user(0);
const GRACE = user(1);
const ADMIN = role(1);
const VIEWER = role(3);
const DAY = 24 * 60 * 60 * 1000;
const literal = (s: string) => s.replace(/[|]/g, "\\|");

describe("expiring grants on the real engine (issue 28)", function () {
  this.timeout(240_000);
  const suite = engineSuite("expiry", () => tenant(4, 6));
  const { onOutput, take } = suite;
  let program: PulumiFn;
  let clockFile = "";
  const setClock = (ms: number) => writeFileSync(clockFile, String(ms));

  async function newStack(): Promise<Stack> {
    clockFile = path.join(suite.tmp, `clock-${++suite.stacks}`);
    const name = `expiry${suite.stacks}`;
    const stack = await openStack({
      workDir: scratchProject(path.join(suite.tmp, name), { name: "expiry" }),
      stackName: name,
      stateDir: path.join(suite.tmp, "state"),
      home: path.join(suite.tmp, "home"),
      program: () => program(),
      env: {
        NODE_OPTIONS: `--require ${path.join(__dirname, "..", "helpers", "clock-hook.js")}`,
        TEST_CLOCK_FILE: clockFile,
      },
    });
    await configureStack(stack, emulatorSettings(suite.emulator.url));
    return stack;
  }

  beforeEach(() => suite.emulator.reset());

  it("a grant ends between two previews: the second shows it leaving, marked expired, and up removes exactly it", async () => {
    const start = Date.now();
    const until = new Date(start + 2 * DAY).toISOString();
    program = async () =>
      void new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: { [ADA]: [VIEWER, { role: ADMIN, until }], [GRACE]: [ADMIN] },
      });
    const stack = await newStack();
    setClock(start);
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN, VIEWER]);
    setClock(start + DAY);
    await stack.preview({ expectNoChanges: true, onOutput });
    // The PR summary lists the end, and warns that it comes within a week.
    const before = summarisePreview((await previewJson(stack, { diff: true }, "events")).text, {
      now: start + DAY,
    }).summary.markdown;
    expect(before)
      .to.contain("### Grants with an end")
      .and.contain(until)
      .and.contain("**ends within a week**");

    setClock(start + 3 * DAY);
    take();
    const preview = await stack.preview({ diff: true, onOutput });
    expect(preview.changeSummary).to.include({ update: 1 });
    const shown = take();
    // The CLI shows the inputs' difference: `expired` gains the grant, and Ada's list loses ADMIN.
    expect(shown).to.match(
      new RegExp(`\\+ expired *: \\{\\s*\\+ ${literal(ADA)}: \\[\\s*\\+ +\\[0\\]: "${ADMIN}"`),
    );
    expect(shown).to.match(new RegExp(`- \\[1\\]: "${VIEWER}"`));
    const after = summarisePreview((await previewJson(stack, { diff: true }, "events")).text, {
      now: start + 3 * DAY,
    }).summary.markdown;
    expect(after)
      .to.contain("**expired**, removed by this run")
      .and.match(/loses `rol_0+1`/);
    suite.emulator.resetCounters();
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([VIEWER]);
    expect(suite.emulator.rolesOf(ORG, GRACE)).to.deep.equal([ADMIN]);
    expect(suite.emulator.count({ method: "DELETE", route: "member-roles" })).to.equal(1);
    expect(suite.emulator.writes()).to.equal(1);
    // Ended stays ended: the declaration is unchanged, and a refresh agrees.
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("an end in the past, or not a date, fails the preview naming the member and the role, with nothing written", async () => {
    let until = "2020-01-01T00:00:00Z";
    program = async () =>
      void new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: { [ADA]: [{ role: ADMIN, until }] },
      });
    const stack = await newStack();
    setClock(Date.now());
    for (const [value, says] of [
      ["2020-01-01T00:00:00Z", /which is in the past/],
      ["31/12/2026", /is not a date and time with a zone/],
    ] as const) {
      until = value;
      take();
      const err = await stack.preview({ onOutput }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err, value).to.be.instanceOf(Error);
      const text = `${take()}${err?.message}`;
      expect(text).to.match(says);
      expect(text).to.include(ADA).and.include(ADMIN);
    }
    expect(suite.emulator.writes()).to.equal(0);
  });

  it("secret members: a bad end's failure names no member or role, and the ends and expired grants are stored encrypted", async () => {
    const start = Date.now();
    let until = "2020-01-01T00:00:00Z";
    program = async () =>
      void new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: pulumi.secret({ [ADA]: [VIEWER, { role: ADMIN, until }] }),
      });
    const stack = await newStack();
    setClock(start);
    take();
    const err = await stack.preview({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    const text = `${take()}${err?.message}`;
    expect(text).to.contain("which is in the past").and.contain("(secret member #");
    expect(text).not.to.contain(ADA).and.not.to.contain(ADMIN);
    until = new Date(start + DAY).toISOString();
    await stack.up({ onOutput });
    setClock(start + 2 * DAY);
    take();
    await stack.preview({ diff: true, onOutput });
    expect(take()).not.to.contain(ADA);
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([VIEWER]);
    // The state as the backend stores it (exportStack would decrypt): ends and expired grants are ciphertext.
    const stored = readFileSync(
      path.join(suite.tmp, "state", ".pulumi", "stacks", "expiry", `${stack.name}.json`),
      "utf8",
    );
    expect(stored).to.contain('"until"').and.contain('"expired"');
    expect(stored).not.to.contain(ADA).and.not.to.contain(until);
  });
  it("a role with an end listed twice (also without an end, or with two ends) fails the preview naming member and role, with nothing written", async () => {
    const start = Date.now();
    const soon = new Date(start + 2 * DAY).toISOString();
    const later = new Date(start + 20 * DAY).toISOString();
    let list: Array<string | { role: string; until: string }> = [VIEWER, ADMIN, { role: ADMIN, until: soon }];
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members: { [ADA]: list } });
    const stack = await newStack();
    setClock(start);
    for (const twice of [
      list,
      [
        { role: ADMIN, until: later },
        { role: ADMIN, until: soon },
      ],
    ]) {
      list = twice;
      take();
      const err = await stack.preview({ onOutput }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err, JSON.stringify(twice)).to.be.instanceOf(Error);
      expect(`${take()}${err?.message}`)
        .to.contain("is listed more than once")
        .and.contain(ADA)
        .and.contain(ADMIN);
    }
    expect(suite.emulator.writes()).to.equal(0);
  });
  it("a grant that has ended, in a run where another member's grant has a role not known at preview: the preview shows the removal the up makes", async () => {
    class LaterRole extends pulumi.dynamic.Resource {
      declare readonly roleId: pulumi.Output<string>;
      constructor(name: string) {
        super({ create: async () => ({ id: "later", outs: { roleId: role(4) } }) }, name, {
          roleId: undefined,
        });
      }
    }
    const start = Date.now();
    const until = new Date(start + 2 * DAY).toISOString();
    let withLater = false;
    program = async () => {
      const members: Record<
        string,
        Array<pulumi.Input<string> | { role: pulumi.Input<string>; until: string }>
      > = {
        [ADA]: [VIEWER, { role: ADMIN, until }],
      };
      if (withLater)
        members[GRACE] = [
          { role: new LaterRole("later").roleId, until: new Date(start + 9 * DAY).toISOString() },
        ];
      new OrgMemberRoles("acme", { organizationId: ORG, members });
    };
    const stack = await newStack();
    setClock(start);
    await stack.up({ onOutput });
    setClock(start + 3 * DAY);
    withLater = true;
    take();
    await stack.preview({ diff: true, onOutput });
    expect(take()).to.match(
      new RegExp(`\\+ expired *: \\{\\s*\\+ ${literal(ADA)}: \\[\\s*\\+ +\\[0\\]: "${ADMIN}"`),
    );
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([VIEWER]);
    expect(suite.emulator.rolesOf(ORG, GRACE)).to.deep.equal([role(4)]);
  });
});
