/**
 * Regressions of issue 23 on the real engine against the emulator, each a workflow that broke a rule of the
 * README's Ownership section: two additive owners of one member, a destroy that failed part-way and the
 * same declaration again, secret members on the preview's error path, and a member moved to a resource
 * checked late (its inputs wait on another resource's output).
 */
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADA = user(0);
const GRACE = user(1);
const LIN = user(2);
const ADMIN = role(1);
const BILLING = role(2);
const VIEWER = role(3);

describe("ownership edges on the real engine (issue 23)", function () {
  this.timeout(240_000);
  const suite = engineSuite("edges", () => tenant(8, 10));
  let program: PulumiFn;
  const newStack = () => suite.newStack(() => program());
  const { onOutput, take } = suite;
  beforeEach(() => suite.emulator.reset());

  it("two additive owners of one member: dropping the member from one removes that one's role and keeps the other's", async () => {
    let teamA: Record<string, string[]> = { [ADA]: [BILLING], [GRACE]: [BILLING] };
    program = async () => {
      new OrgMemberRoles("team-a", { organizationId: ORG, mode: "additive", members: teamA });
      new OrgMemberRoles("team-b", { organizationId: ORG, mode: "additive", members: { [ADA]: [VIEWER] } });
    };
    const stack = await newStack();
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([BILLING, VIEWER]);
    teamA = { [GRACE]: [BILLING] };
    take();
    await stack.preview({ diff: true, onOutput });
    expect(take()).to.match(new RegExp(`-.*${BILLING}`));
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([VIEWER]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("two additive owners of one member: deleting one resource removes its roles and keeps the other's", async () => {
    let both = true;
    program = async () => {
      if (both)
        new OrgMemberRoles("team-a", {
          organizationId: ORG,
          mode: "additive",
          members: { [ADA]: [BILLING] },
        });
      new OrgMemberRoles("team-b", { organizationId: ORG, mode: "additive", members: { [ADA]: [VIEWER] } });
    };
    const stack = await newStack();
    await stack.up({ onOutput });
    both = false;
    const result = await stack.up({ onOutput });
    expect(result.summary.resourceChanges).to.include({ delete: 1 });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([VIEWER]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("a destroy that fails part-way puts back what it removed: the same declaration again is true, and a second destroy converges", async () => {
    const members = { [ADA]: [ADMIN], [GRACE]: [BILLING], [LIN]: [VIEWER] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    // One request at a time and one retry: the first DELETE fails twice, for good, the two after it land. Set
    // before the first up: destroy runs with the provider configuration the state holds.
    await stack.setConfig("orgMemberRoles:concurrency", { value: "1" });
    await stack.setConfig("orgMemberRoles:retryBudget", { value: "1" });
    await stack.up({ onOutput });
    suite.emulator.setFaults({ failOnly: "DELETE", failNext: { count: 2, status: 503 } });
    take();
    const failed = await stack.destroy({ onOutput }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed, "the destroy must fail").to.be.instanceOf(Error);
    const printed = take();
    suite.emulator.setFaults({});
    for (const [u, roles] of Object.entries(members))
      expect(suite.emulator.rolesOf(ORG, u)).to.deep.equal(roles);
    expect(printed).to.contain("were put back");
    // The same declaration again: unchanged, and the state is what the tenant holds.
    await stack.up({ onOutput });
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
    await stack.destroy({ onOutput });
    for (const u of Object.keys(members)) expect(suite.emulator.rolesOf(ORG, u)).to.deep.equal([]);
  });

  it("secret members: the preview's failure names no email or user ID of the map", async () => {
    const stranger = "nobody-here@acme.example";
    let members: Record<string, string[]> = { [stranger]: [ADMIN] };
    program = async () =>
      void new OrgMemberRoles("acme", { organizationId: ORG, members: pulumi.secret(members) });
    const stack = await newStack();
    take();
    const err = await stack.preview({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, "the preview must fail").to.be.instanceOf(Error);
    const printed = `${take()}\n${err?.message}`;
    expect(printed).to.contain("(secret member #1)");
    expect(printed).not.to.contain("nobody-here");
    // A user ID that is not a member, and a role ID the tenant lacks.
    const outsider = "auth0|outsider000000000000000001";
    members = { [outsider]: ["rol_typo000000000001"] };
    const again = await stack.preview({ onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(again).to.be.instanceOf(Error);
    const printedAgain = `${take()}\n${again?.message}`;
    expect(printedAgain).not.to.contain("outsider");
    expect(printedAgain).not.to.contain("rol_typo");
  });

  it("a member moved to a resource checked late (its inputs wait on another resource's output) holds its role after up", async () => {
    let moved = false;
    program = async () => {
      new OrgMemberRoles("old", {
        organizationId: ORG,
        members: moved ? { [GRACE]: [BILLING] } : { [ADA]: [ADMIN], [GRACE]: [BILLING] },
      });
      if (!moved) return;
      // Created in the same run: the new owner of Ada is checked only once it exists.
      const gate = new OrgMemberRoles("gate", { organizationId: ORG, members: { [LIN]: [VIEWER] } });
      new OrgMemberRoles("new", {
        organizationId: ORG,
        members: gate.organizationId.apply(() => ({ [ADA]: [ADMIN] })),
      });
    };
    const stack = await newStack();
    await stack.up({ onOutput });
    moved = true;
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("an unchanged additive co-owner checked late (its inputs wait on an output) gets back the role the other owner's drop removed", async () => {
    let dropped = false;
    program = async () => {
      new OrgMemberRoles("team-a", {
        organizationId: ORG,
        mode: "additive",
        members: dropped ? { [GRACE]: [VIEWER] } : { [ADA]: [BILLING], [GRACE]: [VIEWER] },
      });
      // Its members come from something slow (another resource's output, a lookup): checked late.
      new OrgMemberRoles("team-b", {
        organizationId: ORG,
        mode: "additive",
        members: pulumi.output(new Promise((r) => setTimeout(r, 4_000)).then(() => ({ [ADA]: [BILLING] }))),
      });
    };
    const stack = await newStack();
    await stack.up({ onOutput });
    dropped = true;
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA), "team-b still declares billing for ada").to.deep.equal([
      BILLING,
    ]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("without the policy pack, deleting an additive co-owner beside one that turned authoritative earlier removes what the delete's preview showed", async () => {
    let stage = 0;
    program = async () => {
      if (stage < 2)
        new OrgMemberRoles("team-a", {
          organizationId: ORG,
          mode: "additive",
          members: { [LIN]: [BILLING] },
        });
      new OrgMemberRoles("team-b", {
        organizationId: ORG,
        mode: stage === 0 ? "additive" : "authoritative",
        members: { [LIN]: [VIEWER] },
      });
    };
    const stack = await newStack();
    await stack.up({ onOutput });
    stage = 1;
    await stack.up({ onOutput });
    stage = 2;
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, LIN)).to.deep.equal([VIEWER]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });
});
