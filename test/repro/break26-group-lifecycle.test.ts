/**
 * Break-26 reproductions: OrgGroupRoles through sequences a user meets.
 * Run: npm run build && npx mocha --no-config dist/test/repro/break26-group-lifecycle.test.js
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import type { TenantFixture } from "../../emulator/tenant";
import { engineSuite } from "../helpers/engine-suite";
import {
  ACME,
  ACME_OPS,
  ADA,
  DEVELOPER,
  ENGINEERING,
  GRACE,
  VIEWER,
  withOrgRoles,
} from "../helpers/org-roles-fixture";

const SALES = "grp_sales00000000002";
function fixture(): TenantFixture {
  const f = withOrgRoles(loadFixture(DEFAULT_SEED_PATH));
  f.groups![ACME]!.push({ id: SALES, name: "sales", members: [GRACE], roles: [] });
  return f;
}

describe("break-26: OrgGroupRoles lifecycles", function () {
  this.timeout(300_000);
  const suite = engineSuite("b26grp", fixture);
  let program: PulumiFn;
  const { onOutput, take } = suite;
  const rolesOf = (g: string) => [...(suite.emulator.tenant.groups.get(ACME)?.get(g)?.roles ?? [])].sort();
  const deletes = () => suite.emulator.requests.filter((r) => r.method === "DELETE");
  beforeEach(() => suite.emulator.reset());

  it("a failed up part-way (DELETEs fail): the next preview shows what is left, the next up converges", async () => {
    let groups: Record<string, string[]> = { [ENGINEERING]: [DEVELOPER], [SALES]: [VIEWER] };
    program = async () => void new OrgGroupRoles("g", { organizationId: ACME, groups });
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    groups = { [ENGINEERING]: [ACME_OPS], [SALES]: [DEVELOPER] };
    suite.emulator.setFaults({ failNext: { count: 1000, status: 503 }, failOnly: "DELETE" });
    const failed = await stack.up({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed, "the up fails").to.be.instanceOf(Error);
    console.log("after failed up:", rolesOf(ENGINEERING), rolesOf(SALES));
    suite.emulator.setFaults({});
    take();
    await stack.preview({ diff: true, onOutput });
    const text = take();
    expect(text, "preview shows what is left").to.contain(DEVELOPER).and.contain(VIEWER);
    await stack.up({ onOutput });
    expect(rolesOf(ENGINEERING)).to.deep.equal([ACME_OPS]);
    expect(rolesOf(SALES)).to.deep.equal([DEVELOPER]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("a group deleted outside Pulumi: refresh, preview and destroy each finish with a clear message", async () => {
    program = async () =>
      void new OrgGroupRoles("g", {
        organizationId: ACME,
        groups: { [SALES]: [VIEWER], [ENGINEERING]: [DEVELOPER] },
      });
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    suite.emulator.tenant.groups.get(ACME)!.delete(SALES);
    await stack.refresh({ onOutput });
    take();
    const failed = await stack.preview({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    console.log("preview after group deleted:", failed ? "failed" : "ok", take().slice(-800));
    await stack.destroy({ onOutput });
    expect(rolesOf(ENGINEERING)).to.deep.equal([]); // declared, so owned: destroy removes it (as OrgMemberRoles)
  });

  it("moving a group from one OrgGroupRoles to another keeps its roles (no DELETE)", async () => {
    let a: Record<string, string[]> = { [ENGINEERING]: [DEVELOPER], [SALES]: [VIEWER] };
    let b: Record<string, string[]> | undefined;
    program = async () => {
      new OrgGroupRoles("a", { organizationId: ACME, groups: a });
      if (b) new OrgGroupRoles("b", { organizationId: ACME, groups: b });
    };
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    suite.emulator.resetCounters();
    a = { [ENGINEERING]: [DEVELOPER] };
    b = { [SALES]: [VIEWER] };
    await stack.up({ onOutput });
    expect(rolesOf(SALES)).to.deep.equal([VIEWER]);
    expect(deletes()).to.deep.equal([]);
    const res = (await stack.exportStack()).deployment.resources.filter((r: { type: string }) =>
      r.type.endsWith(":OrgGroupRoles"),
    );
    console.log(
      JSON.stringify(
        res.map((r: { urn: string; inputs: unknown; outputs: unknown }) => [r.urn, r.inputs, r.outputs]),
        null,
        1,
      ),
    );
    await stack.refresh({ onOutput });
    const res2 = (await stack.exportStack()).deployment.resources.filter((r: { type: string }) =>
      r.type.endsWith(":OrgGroupRoles"),
    );
    console.log(
      JSON.stringify(
        res2.map((r: { urn: string; inputs: unknown; outputs: unknown }) => [r.urn, r.outputs]),
        null,
        1,
      ),
    );
    take();
    await stack.preview({ diff: true, onOutput });
    console.log(take());
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("renaming an OrgGroupRoles (no alias) keeps its roles", async () => {
    let name = "old";
    program = async () =>
      void new OrgGroupRoles(name, { organizationId: ACME, groups: { [SALES]: [VIEWER, ACME_OPS] } });
    const stack = await suite.newStack(() => program());
    await stack.up({ onOutput });
    name = "new";
    await stack.up({ onOutput });
    expect(rolesOf(SALES)).to.deep.equal([ACME_OPS, VIEWER].sort());
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("two authoritative OrgGroupRoles on one group (no pack): repeated ups do not fight", async () => {
    program = async () => {
      new OrgGroupRoles("a", { organizationId: ACME, groups: { [SALES]: [VIEWER] } });
      new OrgGroupRoles("b", { organizationId: ACME, groups: { [SALES]: [ACME_OPS] } });
    };
    const stack = await suite.newStack(() => program());
    const first = await stack.up({ onOutput }).then(
      () => "ok",
      (e: Error) => e.message.slice(0, 600),
    );
    console.log("first up:", first, rolesOf(SALES));
    suite.emulator.resetCounters();
    const r2 = await stack.up({ onOutput, refresh: true }).then(
      () => "ok",
      (e: Error) => e.message.slice(0, 600),
    );
    const r3 = await stack.up({ onOutput, refresh: true }).then(
      () => "ok",
      (e: Error) => e.message.slice(0, 600),
    );
    console.log("ups:", r2, r3, "writes", suite.emulator.writes(), rolesOf(SALES));
    expect(suite.emulator.writes(), "no write loop").to.equal(0);
  });

  it("a member of a group (Ada) and an unknown role name in groups: the error names the field", async () => {
    program = async () =>
      void new OrgGroupRoles("g", { organizationId: ACME, groups: { [ENGINEERING]: ["developer"] } });
    const stack = await suite.newStack(() => program());
    take();
    const failed = await stack.preview({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed).to.be.instanceOf(Error);
    const text = take();
    console.log(
      text
        .split("\n")
        .filter((l) => /error|developer/i.test(l))
        .join("\n"),
    );
    expect(suite.emulator.writes()).to.equal(0);
    void ADA;
  });
});
