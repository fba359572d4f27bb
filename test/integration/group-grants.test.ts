import { expect } from "chai";
import { effectiveRoles } from "../../emulator/groups";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { RunContext } from "../../src/provider/context";
import { GROUP_ROLE_READS_UP_TO, readGroupRoles } from "../../src/provider/group-grants";
import { configureFor, destroy, impl, providerSuite, refresh, up } from "../helpers/drive";
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

const authoritative = (members: Record<string, string[]>) => ({
  organizationId: ACME,
  members,
  mode: "authoritative",
});

/**
 * Roles a member holds through a group are not this resource's: Auth0's member-roles endpoints return direct
 * assignments only, and the resource writes through them only. These tests pin that an authoritative
 * resource never fights a group grant (the drift replace-all membership resources are known for).
 */
describe("OrgMemberRoles leaves roles held through a group alone (provider against the emulator)", () => {
  const e = providerSuite(withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  const effective = (user: string) =>
    Object.fromEntries(effectiveRoles(e().tenant, ACME, user, new Set(e().rolesOf(ACME, user))));
  const deletes = () => e().requests.filter((r) => r.method === "DELETE");

  it("authoritative ups and a refresh keep a group-held role and remove nothing", async () => {
    let s = await up(undefined, authoritative({ [ADA]: [VIEWER] }));
    s = await refresh(s);
    expect(s.outputs.members[ADA]).to.deep.equal([VIEWER]);
    s = await up(s, authoritative({ [ADA]: [VIEWER] }));
    expect(deletes()).to.deep.equal([]);
    expect(effective(ADA)).to.deep.equal({ [VIEWER]: ["direct"], [DEVELOPER]: ["groups"] });
  });

  it("a group grant added outside Pulumi is no drift: refresh and the next up write nothing", async () => {
    let s = await up(undefined, authoritative({ [ADA]: [VIEWER] }));
    e().tenant.groups.get(ACME)!.get(ENGINEERING)!.roles.add(ACME_OPS);
    e().resetCounters();
    s = await refresh(s);
    expect(s.outputs.members[ADA]).to.deep.equal([VIEWER]);
    await up(s, authoritative({ [ADA]: [VIEWER] }));
    expect(e().writes()).to.equal(0);
    expect(effective(ADA)[ACME_OPS]).to.deep.equal(["groups"]);
  });

  it("a role declared directly that a group also grants is assigned directly, and destroy takes the direct one only", async () => {
    const s = await up(undefined, authoritative({ [ADA]: [DEVELOPER] }));
    expect(effective(ADA)).to.deep.equal({ [DEVELOPER]: ["direct", "groups"] });
    await destroy(s);
    expect(e().rolesOf(ACME, ADA)).to.deep.equal([]);
    expect(effective(ADA)).to.deep.equal({ [DEVELOPER]: ["groups"] });
  });
});

describe("the preview shows what changing members hold through a group (check against the emulator)", () => {
  const e = providerSuite(withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  const effectiveReads = () => e().count({ route: "effective-roles" });

  it("check lists a changing member's group roles in groupRoles, one effective-roles read for that member only", async () => {
    const s = await up(undefined, authoritative({ [ADA]: [VIEWER], [GRACE]: [VIEWER] }));
    e().resetCounters();
    const checked = await impl.check(
      s.outputs as never,
      authoritative({ [ADA]: [VIEWER, DEVELOPER], [GRACE]: [VIEWER] }),
    );
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(checked.inputs["groupRoles"]).to.deep.equal({ [ADA]: [DEVELOPER] });
    expect(effectiveReads()).to.equal(1);
  });

  it("a member dropped from the map is a changing member: its group roles are read and listed", async () => {
    const s = await up(undefined, authoritative({ [ADA]: [DEVELOPER], [GRACE]: [VIEWER] }));
    e().resetCounters();
    const checked = await impl.check(s.outputs as never, authoritative({ [GRACE]: [VIEWER] }));
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(checked.inputs["groupRoles"]).to.deep.equal({ [ADA]: [DEVELOPER] });
    expect(effectiveReads()).to.equal(1);
  });

  it("no changing member: no effective-roles read and no groupRoles", async () => {
    const s = await up(undefined, authoritative({ [ADA]: [VIEWER] }));
    e().resetCounters();
    const checked = await impl.check(s.outputs as never, authoritative({ [ADA]: [VIEWER] }));
    expect(checked.inputs).to.not.have.property("groupRoles");
    expect(effectiveReads()).to.equal(0);
  });

  it("a changing member with no group role adds nothing; preview validation off reads nothing", async () => {
    let checked = await impl.check({}, authoritative({ [GRACE]: [VIEWER] }));
    expect(checked.inputs).to.not.have.property("groupRoles");
    expect(effectiveReads()).to.equal(1);
    await configureFor(e(), { "orgMemberRoles:previewValidation": "false" });
    e().resetCounters();
    checked = await impl.check({}, authoritative({ [ADA]: [VIEWER] }));
    expect(checked.inputs).to.not.have.property("groupRoles");
    expect(effectiveReads()).to.equal(0);
  });

  it("more changing members than the bound: no effective-roles read at all, nothing partial shown, and the reason said", async () => {
    const users = Array.from({ length: GROUP_ROLE_READS_UP_TO + 1 }, (_, i) => `auth0|nobody${i}`);
    const read = await readGroupRoles(new RunContext(), ACME, users);
    expect(read.roles).to.equal(undefined);
    expect(read.unread).to.include("101 members change, more than the 100");
    expect(effectiveReads()).to.equal(0);
  });
});
