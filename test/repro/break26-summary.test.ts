/**
 * Break-26 reproductions: the PR summary and group-held roles.
 * Run: npm run build && npx mocha --no-config dist/test/repro/break26-summary.test.js
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { previewJson } from "../../scripts/preview-json";
import { summarisePreview } from "../../src/summary";
import { engineSuite } from "../helpers/engine-suite";
import { ACME, ADA, DEVELOPER, ENGINEERING, GRACE, VIEWER, withOrgRoles } from "../helpers/org-roles-fixture";

const ROLES = {
  roles: [
    { id: DEVELOPER, name: "developer" },
    { id: VIEWER, name: "viewer" },
  ],
};
const adaLines = (md: string) => md.split("\n").filter((l) => l.includes(ADA));

describe("break-26: the summary of group-held roles", function () {
  this.timeout(240_000);
  const suite = engineSuite("b26sum", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  let program: PulumiFn;
  const { onOutput } = suite;
  beforeEach(() => suite.emulator.reset());

  it("a member dropped from the map, holding developer directly and through a group: the summary says she keeps it", async () => {
    let members: Record<string, string[]> = { [ADA]: [DEVELOPER, VIEWER], [GRACE]: [VIEWER] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ACME, members });
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    members = { [GRACE]: [VIEWER] };
    const md = summarisePreview((await previewJson(stack, { diff: true }, "events")).text, ROLES).summary
      .markdown;
    console.log(md);
    expect(adaLines(md).join("\n")).to.contain("still held through a group");
  });

  it("destroy of an OrgMemberRoles: the summary says the group-held developer stays", async () => {
    program = async () =>
      void new OrgMemberRoles("acme", { organizationId: ACME, members: { [ADA]: [DEVELOPER] } });
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    program = async () => {};
    const md = summarisePreview((await previewJson(stack, { diff: true }, "events")).text, ROLES).summary
      .markdown;
    console.log(md);
    expect(adaLines(md).join("\n")).to.contain("still held through a group");
  });

  it("the group loses developer in the same up as Ada's direct developer: the summary must not say she keeps it", async () => {
    let members: Record<string, string[]> = { [ADA]: [DEVELOPER, VIEWER] };
    let groups: Record<string, string[]> = { [ENGINEERING]: [DEVELOPER] };
    program = async () => {
      new OrgMemberRoles("acme", { organizationId: ACME, members });
      new OrgGroupRoles("acme-groups", { organizationId: ACME, groups });
    };
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    members = { [ADA]: [VIEWER] };
    groups = { [ENGINEERING]: [VIEWER] };
    const md = summarisePreview((await previewJson(stack, { diff: true }, "events")).text, ROLES).summary
      .markdown;
    console.log(md);
    await stack.up({ onOutput });
    const effective = suite.emulator.rolesOf(ACME, ADA);
    const viaGroup = [...suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles];
    console.log("after up: direct", effective, "group", viaGroup);
    expect(viaGroup).to.not.include(DEVELOPER);
    expect(adaLines(md).join("\n")).to.not.contain("still held through a group");
  });
});
