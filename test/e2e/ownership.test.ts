/**
 * Regressions of the ownership rules on the real engine (CLI, state, dynamic-provider plugin, policy analyzer)
 * against the emulator: one test per team workflow that once broke them (issue 11 of the project's tracker).
 * Each ran red before the fix: a role removed that no preview showed, a state that claimed what the tenant
 * did not hold, or a run that could never succeed.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { declareOrganizations } from "../../components/from-config";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { PROJECT_ROOT } from "../../scripts/engine";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADA = user(0);
const GRACE = user(1);
const ADMIN = role(1);
const BILLING = role(2);
const DEVELOPER = role(3);
const TYPO = "rol_typo000000000001";

describe("ownership on the real engine: team workflows that must not lose or leak a role", function () {
  this.timeout(240_000);
  const suite = engineSuite("ownership", () => tenant(8, 10));
  let program: PulumiFn;
  const newStack = () => suite.newStack(() => program());
  const { onOutput, take } = suite;
  beforeEach(() => suite.emulator.reset());

  const deletes = () => suite.emulator.count({ method: "DELETE", route: "member-roles" });

  it("renaming a resource in code keeps every role (the old resource's delete leaves what the new one declares)", async () => {
    let name = "acme";
    program = async () => void new OrgMemberRoles(name, { organizationId: ORG, members: { [ADA]: [ADMIN] } });
    const stack = await newStack();
    await stack.up({ onOutput });
    name = "acme-renamed";
    suite.emulator.resetCounters();
    const result = await stack.up({ onOutput });
    expect(result.summary.resourceChanges).to.include({ create: 1, delete: 1 });
    expect(deletes()).to.equal(0);
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("adding `name:` to a config entry is a rename the engine follows (alias): no write at all", async () => {
    let entry: Record<string, unknown> = { organizationId: ORG, members: { [ADA]: ["admin"] } };
    program = async () =>
      void declareOrganizations({ roles: { admin: ADMIN }, organizations: [entry] }, "ownership");
    const stack = await newStack();
    await stack.up({ onOutput });
    entry = { ...entry, name: "acme" };
    suite.emulator.resetCounters();
    const result = await stack.up({ onOutput });
    expect(result.summary.resourceChanges?.["delete"] ?? 0).to.equal(0);
    expect(suite.emulator.writes()).to.equal(0);
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
  });

  it("a role granted again by its owner after the declaration dropped it is not removed by an unrelated change", async () => {
    let members: Record<string, string[]> = { [ADA]: [ADMIN, BILLING] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    await stack.up({ onOutput });
    suite.emulator.setRolesOf(ORG, ADA, [ADMIN]); // billing removed outside Pulumi
    await stack.refresh({ onOutput });
    members = { [ADA]: [ADMIN] }; // the code drops billing too: nothing to do
    await stack.preview({ expectNoChanges: true, onOutput });
    suite.emulator.setRolesOf(ORG, ADA, [ADMIN, BILLING]); // billing granted again by its real owner
    members = { [ADA]: [ADMIN, DEVELOPER] };
    take();
    await stack.preview({ diff: true, onOutput });
    const preview = take();
    expect(preview).to.contain(DEVELOPER);
    expect(preview).not.to.match(new RegExp(`-.*${BILLING}`));
    suite.emulator.resetCounters();
    await stack.up({ onOutput });
    expect(deletes()).to.equal(0);
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN, BILLING, DEVELOPER]);
  });

  it("a member who left the organization: dropping them from the code succeeds, and so do refresh and destroy", async () => {
    let members: Record<string, string[]> = { [ADA]: [ADMIN], [GRACE]: [BILLING] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    await stack.up({ onOutput });
    suite.emulator.tenant.members.get(ORG)!.delete(GRACE); // Auth0 removes a deleted user from the organization
    members = { [ADA]: [ADMIN] };
    await stack.up({ onOutput });
    await stack.refresh({ onOutput });
    await stack.preview({ expectNoChanges: true, onOutput });
    await stack.destroy({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([]);
  });

  it("a typo in a role ID fails at preview, naming it, with nothing written", async () => {
    let members: Record<string, string[]> = { [ADA]: [ADMIN], [GRACE]: [BILLING] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    await stack.up({ onOutput });
    members = { [ADA]: [BILLING], [GRACE]: [BILLING, TYPO] };
    suite.emulator.resetCounters();
    const err = await stack.preview({ onOutput }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect(`${take()}\n${String(err)}`)
      .to.contain(GRACE)
      .and.contain(TYPO)
      .and.contain("does not exist");
    expect(suite.emulator.writes()).to.equal(0);
  });

  it("a non-member and a member over the tenant's cap (roles held elsewhere count, additive) fail at preview, all at once, nothing written", async () => {
    const members: Record<string, string[]> = { [ADA]: [ADMIN, BILLING], [user(7)]: [ADMIN] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members, mode: "additive" });
    const stack = await newStack();
    await stack.setConfig("orgMemberRoles:roleCap", { value: "2" });
    suite.emulator.tenant.members.get(ORG)!.delete(user(7));
    suite.emulator.setRolesOf(ORG, ADA, [DEVELOPER]); // granted elsewhere: ada would hold 3
    suite.emulator.resetCounters();
    const err = await stack.preview({ onOutput }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain(user(7)).and.contain("not a member").and.contain("addMissingMembers");
    expect(text)
      .to.contain(ADA)
      .and.contain("would hold 3 roles")
      .and.contain("held that this change does not remove");
    expect(suite.emulator.writes()).to.equal(0);
  });

  it("a failed up followed by a revert: the preview shows the change back, and up makes the tenant match", async () => {
    let members: Record<string, string[]> = { [ADA]: [ADMIN], [GRACE]: [BILLING] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    await stack.up({ onOutput });
    await stack.setConfig("orgMemberRoles:concurrency", { value: "1" });
    members = { [ADA]: [BILLING], [GRACE]: [BILLING, DEVELOPER] };
    // Every POST fails past its retries (a tenant in trouble): ada's DELETE of admin lands, her POST of
    // billing does not; the up fails half-applied, and the state must say so.
    suite.emulator.setFaults({ failOnly: "POST", failRate: { fraction: 1, status: 503 } });
    const failed = await stack.up({ onOutput }).catch((e: Error) => e);
    suite.emulator.setFaults({});
    expect(failed).to.be.instanceOf(Error);
    expect(String(failed)).to.contain("503");
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([]);
    members = { [ADA]: [ADMIN], [GRACE]: [BILLING] }; // revert everything
    take();
    await stack.preview({ diff: true, onOutput });
    const preview = take();
    expect(preview).to.contain("update");
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
    expect(suite.emulator.rolesOf(ORG, GRACE)).to.deep.equal([BILLING]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("additive: an addition that landed but was answered 500, then reverted: still owned, so the refreshed preview shows it leaving and up --refresh removes it", async () => {
    let members: Record<string, string[]> = { [ADA]: [ADMIN] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members, mode: "additive" });
    const stack = await newStack();
    await stack.up({ onOutput });
    await stack.setConfig("orgMemberRoles:retryBudget", { value: "1" });
    members = { [ADA]: [ADMIN, BILLING] };
    // The POST reaches the tenant, but every answer is a 500: the outcome is unknown to the provider.
    suite.emulator.setFaults({
      failOnly: "POST",
      failRate: { fraction: 1, status: 500 },
      failPhase: "after",
    });
    const failed = await stack.up({ onOutput }).catch((e: Error) => e);
    suite.emulator.setFaults({});
    expect(failed).to.be.instanceOf(Error);
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN, BILLING]);
    members = { [ADA]: [ADMIN] }; // revert
    // A plain up first, as a hurried team would: it removes nothing the preview did not show, and forgets
    // nothing either.
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN, BILLING]);
    // The documented way after a failed up: the refreshed preview shows the role that landed leaving.
    take();
    await stack.preview({ diff: true, refresh: true, onOutput });
    expect(take()).to.match(new RegExp(`- .*${BILLING}`));
    await stack.up({ refresh: true, onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("secret members: nothing derived from them is stored in clear", async () => {
    // user(6) is not a member yet: addMissingMembers joins them, and addedMembers must stay secret too.
    suite.emulator.tenant.members.get(ORG)!.delete(user(6));
    program = async () =>
      void new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: pulumi.secret({ [ADA]: [ADMIN, role(7)], [GRACE]: [role(8)], [user(6)]: [role(9)] }),
        addMissingMembers: true,
      });
    const stack = await newStack();
    await stack.up({ onOutput });
    await stack.refresh({ onOutput });
    const files = readdirSync(path.join(suite.tmp, "state"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".json"))
      .map((e) => readFileSync(path.join(e.parentPath, e.name), "utf8"))
      .join("\n");
    expect(files).to.contain("ciphertext");
    for (const plain of [role(7), role(8), user(6)]) expect(files).not.to.contain(plain);
    expect(suite.emulator.rolesOf(ORG, user(6))).to.deep.equal([role(9)]);
    await stack.destroy({ onOutput });
  });

  it("create right after destroy, while the members listing still shows the old roles: every role is assigned", async () => {
    const members = Object.fromEntries([0, 1, 2, 3, 4].map((i) => [user(i), [ADMIN, role(4 + i)]]));
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    await stack.up({ onOutput });
    suite.emulator.setFaults({ listingLagMs: 60_000 });
    await stack.destroy({ onOutput });
    await stack.up({ onOutput });
    suite.emulator.setFaults({});
    for (const [u, roles] of Object.entries(members))
      expect(suite.emulator.rolesOf(ORG, u)).to.deep.equal(roles);
  });

  it("the policy pack sees two owners of one member under two parents with the same resource name", async () => {
    class Team extends pulumi.ComponentResource {
      constructor(type: string, mode: "authoritative" | "authoritative") {
        super(type, "team");
        new OrgMemberRoles(
          "roles",
          { organizationId: ORG, members: { [ADA]: [ADMIN] }, mode },
          { parent: this },
        );
      }
    }
    program = async () => {
      new Team("acme:index:Platform", "authoritative");
      new Team("acme:index:Billing", "authoritative");
    };
    const stack = await newStack();
    take();
    const err = await stack
      .preview({ policyPacks: [path.join(PROJECT_ROOT, "policies")], onOutput })
      .catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect(`${take()}\n${String(err)}`)
      .to.contain("one-owner-per-member")
      .and.contain(ADA);
    expect(suite.emulator.writes()).to.equal(0);
  });
});
