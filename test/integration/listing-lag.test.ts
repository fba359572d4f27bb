import { expect } from "chai";
import { configureFor, destroy, impl, providerSuite, refresh, up } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const declare = (members: Record<string, string[]>, extra: Record<string, unknown> = {}) => ({
  organizationId: ORG,
  members,
  ...extra,
});
const five = (roles: number[]) => Object.fromEntries([0, 1, 2, 3, 4].map((i) => [user(i), roles.map(role)]));
/** The members listing is a snapshot from now on, a minute behind the primary store (Auth0's search index). */
const LAG = { listingLagMs: 60_000 };

describe("the members listing lags writes: what it does not show yet never reaches a preview or the state", () => {
  const e = providerSuite(tenant(200, 30));

  it("a member who left a moment ago fails the preview, though the listing still shows them", async () => {
    e().setFaults(LAG);
    e().removeMember(ORG, user(3));
    impl.startRun();
    const checked = await impl.check({}, declare(five([1])));
    expect((checked.failures ?? []).map((f) => f.reason).join("\n"))
      .to.contain(user(3))
      .and.contain("not a member");
  });

  it("roles granted in bulk a moment ago count toward the cap, though the listing does not show them", async () => {
    await configureFor(e(), { "orgMemberRoles:roleCap": "20" });
    e().setFaults(LAG);
    e().setRolesOf(
      ORG,
      user(0),
      Array.from({ length: 17 }, (_, i) => role(i + 10)),
    );
    impl.startRun();
    const checked = await impl.check({}, declare({ ...five([1]), [user(0)]: [1, 2, 3, 4, 5].map(role) }));
    expect((checked.failures ?? []).map((f) => f.reason).join("\n"))
      .to.contain(user(0))
      .and.contain("cap of 20");
  });

  it("create in authoritative mode records a role granted a moment ago that the listing does not show", async () => {
    e().setFaults(LAG);
    e().setRolesOf(ORG, user(3), [role(9)]);
    const s = await up(undefined, declare(five([1])));
    expect(e().rolesOf(ORG, user(3))).to.deep.equal([role(1), role(9)]);
    expect(s.outputs.tenantDiffers?.[user(3)]).to.deep.equal({ missing: [], extra: [role(9)] });
    const after = await refresh(s);
    expect(after.outputs.members[user(3)]).to.deep.equal([role(1), role(9)]);
  });

  it("create right after destroy, five members (membership confirmed through the listing): the listing's old roles are not taken as held, every role is assigned", async () => {
    // A regression of one session: the membership read after empty effective-roles answers took the
    // lagging listing's roles as held, so create wrote nothing and the state claimed roles nobody held.
    let s = await up(undefined, declare(five([1, 4])));
    e().setFaults(LAG);
    await destroy(s);
    for (let i = 0; i < 5; i++) expect(e().rolesOf(ORG, user(i))).to.deep.equal([]);
    s = await up(undefined, declare(five([1, 4])));
    for (let i = 0; i < 5; i++) expect(e().rolesOf(ORG, user(i)), user(i)).to.deep.equal([role(1), role(4)]);
    expect(s.outputs.tenantDiffers ?? {}).to.deep.equal({});
  });

  it("a refresh right after an up that removed a role does not claim it, though the listing still shows it", async () => {
    let s = await up(undefined, declare(five([1, 2])));
    e().setFaults(LAG);
    s = await up(s, declare(five([1])));
    expect(e().rolesOf(ORG, user(0))).to.deep.equal([role(1)]);
    const after = await refresh(s);
    expect(after.outputs.members).to.deep.equal(five([1]));
  });

  it("a refresh drops a member who left a moment ago, where the listing shows them otherwise than the state", async () => {
    e().setFaults(LAG); // the listing never saw this resource's writes
    const s = await up(undefined, declare(five([1])));
    e().removeMember(ORG, user(2));
    const after = await refresh(s);
    expect(Object.keys(after.outputs.members)).to.not.include(user(2));
    expect(after.outputs.members[user(1)]).to.deep.equal([role(1)]);
  });
});
