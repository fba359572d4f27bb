import { expect } from "chai";
import { configureFor, impl, providerSuite, refresh, type Stored, up } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const declare = (members: Record<string, string[]>) => ({ organizationId: ORG, members });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const holding = (users: number[], roles: number[]) =>
  Object.fromEntries(users.map((i) => [user(i), roles.map(role)]));

describe("reading what members hold costs the fewest calls the API allows", () => {
  const e = providerSuite(tenant(1000, 30));
  /** Keeps the first `n` members of the organization, so that it is `n` members large. */
  const shrinkTo = (n: number) => {
    const members = e().tenant.members.get(ORG)!;
    for (const u of [...members.keys()].slice(n)) members.delete(u);
  };
  const calls = () => ({
    listing: e().count({ method: "GET", route: "members" }),
    // Member by member from the primary store: effective roles where check also shows group grants.
    perMember:
      e().count({ method: "GET", route: "member-roles" }) +
      e().count({ method: "GET", route: "effective-roles" }),
  });

  async function applied(members: Record<string, string[]>): Promise<Stored> {
    const s = await up(undefined, declare(members));
    e().resetCounters();
    return s;
  }

  it("refresh of a 5-member organization: one listing call (offset paging with totals), where checkpoint paging needs two", async () => {
    shrinkTo(5);
    const s = await applied(holding(range(0, 5), [1, 2]));
    const after = await refresh(s);
    expect(calls()).to.deep.equal({ listing: 1, perMember: 0 });
    expect(after.outputs.members).to.deep.equal(holding(range(0, 5), [1, 2]));
  });

  it("first apply of 5 members: each read from the primary store before any write (validation), their membership in one listing call, then one POST per member", async () => {
    shrinkTo(5);
    await up(undefined, declare(holding(range(0, 5), [1, 2])));
    // Members with no role yet: an empty effective-roles answer does not prove membership (Auth0 documents no
    // "not a member" answer there), so the 5 are confirmed at once from the listing.
    expect(calls()).to.deep.equal({ listing: 1, perMember: 5 });
    expect(e().count({ method: "POST", route: "member-roles" })).to.equal(5);
  });

  it("refresh of 150 members of a 150-member organization: two offset pages and nothing more", async () => {
    shrinkTo(150);
    const s = await applied(holding(range(0, 150), [1]));
    const after = await refresh(s);
    expect(calls()).to.deep.equal({ listing: 2, perMember: 0 });
    expect(Object.keys(after.outputs.members)).to.have.length(150);
  });

  it("refresh of 4 members deep in a 1,000-member organization: the first page, then the 4 one by one (cheaper than 9 more pages)", async () => {
    const s = await applied(holding(range(500, 504), [1]));
    const after = await refresh(s);
    expect(calls()).to.deep.equal({ listing: 1, perMember: 4 });
    expect(after.outputs.members).to.deep.equal(holding(range(500, 504), [1]));
  });

  it("refresh of 300 members spread over the first 900 of a 1,000-member organization: offset pages until all are seen (9 of 10), none read one by one", async () => {
    const users = range(0, 1000).filter((i) => i % 3 === 0 && i < 900);
    const s = await applied(holding(users, [2]));
    await refresh(s);
    expect(calls()).to.deep.equal({ listing: 9, perMember: 0 });
  });

  it("validation of more than 100 changing members lists them, and reads again from the primary store the one the listing shows close to the cap", async () => {
    await configureFor(e(), { "orgMemberRoles:roleCap": "20" });
    // user 0 holds 9 roles: with one more it is within 10 of the cap; the others hold one.
    e().setRolesOf(ORG, user(0), range(10, 19).map(role));
    for (const i of range(1, 101)) e().setRolesOf(ORG, user(i), [role(1)]);
    e().resetCounters();
    impl.startRun();
    const checked = await impl.check({}, declare(holding(range(0, 101), [2])));
    expect(checked.failures ?? []).to.deep.equal([]);
    // Members 0 to 99 are on the first page; member 100, alone on the next, is cheaper read on its own.
    expect(calls()).to.deep.equal({ listing: 1, perMember: 2 });
    expect(
      e().requests.find((r) => /\/(effective-)?roles$/.test(r.path) && r.method === "GET")?.path,
    ).to.contain(encodeURIComponent(user(0)));
  });
});

describe("an organization larger than offset paging serves (1,000 members)", () => {
  const e = providerSuite(tenant(1100, 5));

  it("refresh of 1,001 members lists with checkpoint paging from the start: 12 calls, no offset page wasted", async () => {
    const s = await up(undefined, declare(holding(range(0, 1001), [1])));
    e().resetCounters();
    const after = await refresh(s);
    const listing = e().requests.filter((r) => r.method === "GET" && r.path.endsWith("/members"));
    expect(listing).to.have.length(12);
    expect(listing.every((r) => !r.path.includes("page="))).to.equal(true);
    expect(Object.keys(after.outputs.members)).to.have.length(1001);
  });
});
