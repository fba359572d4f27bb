import { expect } from "chai";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { impl, providerSuite, up } from "../helpers/drive";
import {
  ACME,
  ACME_OPS,
  ACME_VIEWER,
  GLOBEX,
  GLOBEX_OPS,
  GRACE,
  VIEWER,
  withOrgRoles,
} from "../helpers/org-roles-fixture";

const declare = (members: Record<string, string[]>) => ({ organizationId: ACME, members });
const reasons = async (members: Record<string, string[]>) => {
  impl.startRun();
  const checked = await impl.check({}, declare(members));
  return (checked.failures ?? []).map((f) => f.reason);
};

describe("OrgMemberRoles and Auth0's organization roles (provider against the emulator)", () => {
  const e = providerSuite(withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));

  it("fails check for a role another organization owns, naming the role, its owner and the member, with no write", async () => {
    const failures = await reasons({ [GRACE]: [GLOBEX_OPS] });
    expect(failures).to.have.length(1);
    expect(failures[0]).to.contain(GLOBEX_OPS).and.contain(GLOBEX).and.contain(GRACE).and.contain('"ops"');
    expect(e().writes()).to.equal(0);
  });

  it("reads the owner of a role it asks for by ID: one GET, no listing", async () => {
    await reasons({ [GRACE]: [GLOBEX_OPS] });
    expect(e().count({ method: "GET", route: "role" })).to.equal(1);
    expect(e().count({ method: "GET", route: "roles" })).to.equal(0);
  });

  it("reads owners from the one listing when more than 3 roles are checked", async () => {
    const failures = await reasons({ [GRACE]: [ACME_OPS, GLOBEX_OPS, VIEWER, ACME_VIEWER] });
    expect(failures).to.have.length(1);
    expect(failures[0]).to.contain(GLOBEX_OPS);
    expect(e().count({ method: "GET", route: "roles" })).to.equal(1);
    expect(e().count({ method: "GET", route: "role" })).to.equal(0);
  });

  it("assigns the organization's own role through up", async () => {
    await up(undefined, declare({ [GRACE]: [ACME_OPS] }));
    expect(e().rolesOf(ACME, GRACE)).to.deep.equal([ACME_OPS]);
  });

  it("resolves a role name to this organization's own role, never to another organization's of the same name", async () => {
    impl.startRun();
    const checked = await impl.check({}, declare({ [GRACE]: ["ops"] }));
    expect(checked.failures ?? []).to.deep.equal([]);
    expect((checked.inputs as { members: Record<string, string[]> }).members[GRACE]).to.deep.equal([
      ACME_OPS,
    ]);
  });

  it("fails a role name that a tenant role and this organization's role share, listing both", async () => {
    const failures = await reasons({ [GRACE]: ["viewer"] });
    expect(failures).to.have.length(1);
    expect(failures[0]).to.contain(VIEWER).and.contain(ACME_VIEWER).and.contain("tenant role");
    expect(e().writes()).to.equal(0);
  });
});
