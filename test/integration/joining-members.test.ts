/**
 * Users whose membership another resource of the program creates (`joiningMembers`, from the component's
 * `memberships`): the preview takes them as joining, `up` still requires them to be members before writing.
 */
import { expect } from "chai";
import { UNKNOWN_VALUE } from "../../src/pulumi/tokens";
import { impl, providerSuite, up } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";

describe("members joining through @pulumi/auth0 memberships of the same program", () => {
  const e = providerSuite(tenant(20, 5));
  const NEWCOMER = user(15);
  const STRANGER = user(16);
  const declare = (joiningMembers: unknown) => ({
    organizationId: ORG,
    members: { [NEWCOMER]: [role(1)], [STRANGER]: [role(2)] },
    joiningMembers,
  });

  beforeEach(() => {
    e().tenant.members.get(ORG)!.delete(NEWCOMER);
    e().tenant.members.get(ORG)!.delete(STRANGER);
  });

  it("the preview passes a non-member declared joining, and still fails one nobody adds", async () => {
    impl.startRun();
    const checked = await impl.check({}, declare([NEWCOMER]));
    expect(checked.failures).to.have.length(1);
    expect(checked.failures![0]!.reason).to.contain(STRANGER).and.contain("not a member");
    expect(checked.failures![0]!.reason).not.to.contain(NEWCOMER);
  });

  it("a joining list not known at preview holds no non-member against the change", async () => {
    impl.startRun();
    expect((await impl.check({}, declare(UNKNOWN_VALUE))).failures ?? []).to.deep.equal([]);
    expect((await impl.check({}, declare([NEWCOMER, UNKNOWN_VALUE]))).failures ?? []).to.deep.equal([]);
  });

  it("joining users are not this resource's to add: addMissingMembers lists only the others", async () => {
    impl.startRun();
    const checked = await impl.check({}, { ...declare([NEWCOMER]), addMissingMembers: true });
    expect((checked.inputs as { addedMembers?: string[] }).addedMembers).to.deep.equal([STRANGER]);
  });

  it("up refuses, with nothing written, when a user declared joining is still not a member", async () => {
    e().tenant.members.get(ORG)!.set(STRANGER, new Set());
    e().resetCounters();
    const err = await up(undefined, declare([NEWCOMER])).catch((x: unknown) => x);
    expect(String(err)).to.contain("nothing was changed").and.contain(NEWCOMER).and.contain("not a member");
    expect(e().writes()).to.equal(0);
  });

  it("up assigns the roles once the memberships exist (the engine runs them first)", async () => {
    e().tenant.members.get(ORG)!.set(STRANGER, new Set());
    e().tenant.members.get(ORG)!.set(NEWCOMER, new Set());
    const s = await up(undefined, declare([NEWCOMER]));
    expect(e().rolesOf(ORG, NEWCOMER)).to.deep.equal([role(1)]);
    expect(s.outputs.members[NEWCOMER]).to.deep.equal([role(1)]);
    // Not stored: who joined is the memberships' own state.
    expect(s.outputs).not.to.have.property("joiningMembers");
  });
});
