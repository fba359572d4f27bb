/**
 * Break-26 reproductions: what a secret `members` or `groups` leaks through the group features.
 * Run: npm run build && npx mocha --no-config dist/test/repro/break26-secrets.test.js
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { engineBinDir, engineEnv } from "../../scripts/engine";
import { engineSuite } from "../helpers/engine-suite";
import {
  ACME,
  ACME_OPS,
  ADA,
  DEVELOPER,
  ENGINEERING,
  GLOBEX_OPS,
  VIEWER,
  withOrgRoles,
} from "../helpers/org-roles-fixture";

describe("break-26: secrets through groups", function () {
  this.timeout(240_000);
  const suite = engineSuite("b26sec", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  let program: PulumiFn;
  const { onOutput, take } = suite;
  beforeEach(() => suite.emulator.reset());
  const exported = (stackName: string) =>
    execFileSync(path.join(engineBinDir(), "pulumi"), ["stack", "export", "--stack", stackName], {
      cwd: path.join(suite.tmp, stackName),
      env: {
        ...process.env,
        ...engineEnv({ stateDir: path.join(suite.tmp, "state"), home: path.join(suite.tmp, "home") }),
      },
    }).toString();

  it("secret members: the state holds no member ID in clear (groupRoles derived from the secret map)", async () => {
    let members: Record<string, string[]> = { [ADA]: [VIEWER] };
    program = async () =>
      void new OrgMemberRoles("acme", { organizationId: ACME, members: pulumi.secret(members) });
    const stack = await suite.newStack(() => program());
    take();
    await stack.preview({ diff: true, onOutput });
    const previewText = take();
    await stack.up({ onOutput });
    const state = exported(stack.name);
    expect(previewText, "preview").to.not.contain(ADA);
    expect(state, "state").to.not.contain(ADA.split("|")[1]);
    expect(state, "state").to.not.contain(DEVELOPER);
    members = { [ADA]: [VIEWER, ACME_OPS] };
    await stack.preview({ diff: true, onOutput });
    expect(take(), "second preview").to.not.contain(ADA.split("|")[1]);
  });

  it("secret groups: state, preview and a failure name no group or role in clear", async () => {
    let groups: Record<string, string[]> = { [ENGINEERING]: [VIEWER] };
    program = async () =>
      void new OrgGroupRoles("g", { organizationId: ACME, groups: pulumi.secret(groups) });
    const stack = await suite.newStack(() => program());
    take();
    await stack.up({ onOutput, diff: true });
    const upText = take();
    const state = exported(stack.name);
    expect(upText, "up").to.not.contain(ENGINEERING);
    expect(state, "state").to.not.contain(ENGINEERING);
    groups = { [ENGINEERING]: [GLOBEX_OPS], grp_nosuchgroup0001: [VIEWER] };
    const failed = await stack.preview({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed).to.be.instanceOf(Error);
    const text = take();
    expect(text, "failure")
      .to.not.contain("grp_nosuchgroup0001")
      .and.not.contain(ENGINEERING)
      .and.not.contain(GLOBEX_OPS);
  });
});
