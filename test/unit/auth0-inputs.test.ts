/**
 * OrgMemberRoles in a program of @pulumi/auth0 resources, under Pulumi's own mocks (no engine, no auth0 plugin):
 * what the engine would receive from our resource (IDs taken from those resources, dependencies on them).
 */
import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { type Registration, recordProgram, settled } from "../helpers/pulumi-mocks";

describe("@pulumi/auth0 resources as inputs of OrgMemberRoles (Pulumi's mocks)", () => {
  let seen: Map<string, Registration>;
  before(async () => {
    seen = await recordProgram();
  });

  /** Declares `build`'s resources, waits until the mocked engine registered `ours`, and returns registrations. */
  async function registered(ours: OrgMemberRoles, ...others: pulumi.CustomResource[]) {
    await settled(pulumi.all([ours.urn, ours.id, ...others.map((r) => r.id)]));
    const mine = seen.get(await settled(ours.urn).then((urn) => urn.split("::").at(-1)!))!;
    const urnOf = async (r: pulumi.CustomResource) => settled(r.urn);
    return { mine, urnOf };
  }

  it("takes the organization, roles, users and membership as resources: their IDs reach our resource, and it depends on each", async () => {
    const org = new auth0.Organization("acme", { name: "acme", displayName: "Acme" });
    const admin = new auth0.Role("admin", { name: "admin" });
    const ada = new auth0.User("ada", {
      connectionName: "Username-Password-Authentication",
      email: "ada@acme.example",
    });
    const joins = new auth0.OrganizationMember("ada-joins-acme", { organizationId: org.id, userId: ada.id });
    const roles = new OrgMemberRoles("acme-roles", {
      organization: org,
      members: [{ user: ada, roles: [admin, "viewer", "rol_0123456789abcdef"] }],
      memberships: [joins],
    });
    const { mine, urnOf } = await registered(roles, org, admin, ada, joins);
    const [orgId, adminId, adaId] = await Promise.all([settled(org.id), settled(admin.id), settled(ada.id)]);
    expect(orgId).to.match(/^org_/);
    expect(adaId).to.match(/^auth0\|/);

    expect(mine.type).to.equal(RESOURCE_TYPE_TOKEN);
    expect(mine.inputs["organizationId"]).to.equal(orgId);
    expect(mine.inputs["members"]).to.deep.equal({ [adaId]: [adminId, "viewer", "rol_0123456789abcdef"] });
    expect(mine.inputs["joiningMembers"]).to.deep.equal([adaId]);

    const [orgUrn, adminUrn, adaUrn, joinsUrn] = await Promise.all([org, admin, ada, joins].map(urnOf));
    expect(mine.dependencies).to.include.members([orgUrn, adminUrn, adaUrn, joinsUrn]);
    expect(mine.propertyDependencies["organizationId"]).to.deep.equal([orgUrn]);
    expect(mine.propertyDependencies["members"]).to.include.members([adminUrn, adaUrn]);
    expect(mine.propertyDependencies["joiningMembers"]).to.include(joinsUrn);
  });

  it("a map keyed by user ID takes auth0.Role resources among role IDs and names", async () => {
    const support = new auth0.Role("support", { name: "support" });
    const roles = new OrgMemberRoles("map-roles", {
      organizationId: "org_acme000000000001",
      members: { "auth0|69e9cd6013e3dca66bfbca39": [support, "rol_viewer0000000004"] },
    });
    const { mine, urnOf } = await registered(roles, support);
    expect(mine.inputs["organizationId"]).to.equal("org_acme000000000001");
    expect(mine.inputs["members"]).to.deep.equal({
      "auth0|69e9cd6013e3dca66bfbca39": [await settled(support.id), "rol_viewer0000000004"],
    });
    expect(mine.inputs).not.to.have.property("joiningMembers");
    expect(mine.dependencies).to.include(await urnOf(support));
  });

  it("auth0.OrganizationMembers declare several users joining; memberships of another organization do not count", async () => {
    const org = new auth0.Organization("globex", { name: "globex" });
    const other = new auth0.Organization("initech", { name: "initech" });
    const grace = new auth0.User("grace", { connectionName: "db", email: "grace@globex.example" });
    const alan = new auth0.User("alan", { connectionName: "db", email: "alan@globex.example" });
    const bulk = new auth0.OrganizationMembers("globex-members", {
      organizationId: org.id,
      members: [grace.id, alan.id],
    });
    // Bob joins another organization: not a member joining this one, even if listed here.
    const bob = new auth0.User("bob", { connectionName: "db", email: "bob@initech.example" });
    const elsewhere = new auth0.OrganizationMember("bob-initech", {
      organizationId: other.id,
      userId: bob.id,
    });
    const roles = new OrgMemberRoles("globex-roles", {
      organizationId: org.id,
      members: [
        { user: grace, roles: ["rol_viewer0000000004"] },
        { user: alan, roles: ["rol_viewer0000000004"] },
        { user: bob, roles: ["rol_viewer0000000004"] },
      ],
      memberships: [bulk, elsewhere],
    });
    const { mine, urnOf } = await registered(roles, bulk, elsewhere);
    const ids = await Promise.all([settled(grace.id), settled(alan.id)]);
    expect(mine.inputs["joiningMembers"]).to.deep.equal([...ids].sort());
    // Still a dependency: roles wait for every membership the program hands over.
    expect(mine.dependencies).to.include.members([await urnOf(bulk), await urnOf(elsewhere)]);
  });

  it("a user listed twice in the list form fails the program, naming the user", async () => {
    const ada = new auth0.User("ada-twice", { connectionName: "db", email: "ada2@acme.example" });
    const roles = new OrgMemberRoles("twice", {
      organizationId: "org_acme000000000001",
      members: [
        { user: ada, roles: ["rol_viewer0000000004"] },
        { user: ada, roles: ["rol_admin00000000001"] },
      ],
    });
    const failure = await new Promise<unknown>((resolve) => {
      process.once("unhandledRejection", resolve);
      roles.urn.apply(() => resolve(undefined));
    });
    expect(String(failure)).to.contain(`lists ${await settled(ada.id)} twice`);
  });
});
