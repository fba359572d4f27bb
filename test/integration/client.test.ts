import { expect } from "chai";
import { RATE_LIMIT_PROFILES } from "../../emulator/buckets";
import { clientFor, startEmulator } from "../helpers/emulator";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { findRoleByName } from "../helpers/roles";

describe("ManagementClient against the emulator (real HTTP)", () => {
  // 250 members; member 0 holds 120 roles; pages served at most 50 long, as public cloud may do.
  const ctx = startEmulator(
    tenant(250, 130, (i) => (i === 0 ? Array.from({ length: 120 }, (_, r) => r) : [i % 7])),
    { roleCap: 200, perPageCap: 50 },
  );
  beforeEach(() => ctx.emulator.reset());

  it("pages one member's roles over short pages to the end (120 roles, pages of 50)", async () => {
    const client = clientFor(ctx.emulator);
    const roles = await client.listMemberRoles(ORG, user(0));
    expect(roles.map((r) => r.id).sort()).to.deep.equal(
      Array.from({ length: 120 }, (_, i) => role(i)).sort(),
    );
    expect(ctx.emulator.count({ method: "GET", route: "member-roles" })).to.equal(3);
    await client.close();
  });

  it("lists 250 members with their roles in 4 calls (3 pages of 100, then the empty page after `next`)", async () => {
    const client = clientFor(ctx.emulator);
    const members = await client.listMembersWithRoles(ORG);
    expect(members).to.have.length(250);
    expect(members.find((m) => m.user_id === user(3))?.roles).to.deep.equal([
      { id: role(3), name: "role-3" },
    ]);
    expect(ctx.emulator.count({ method: "GET", route: "members" })).to.equal(4);
    await client.close();
  });

  it("requests one token for 50 concurrent calls, and renews once when it expires mid-run", async () => {
    const client = clientFor(ctx.emulator);
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.listMemberRoles(ORG, user(i + 1))));
    expect(ctx.emulator.count({ route: "token" })).to.equal(1);
    ctx.emulator.setFaults({ expireTokensAfter: 0 });
    await client.listMemberRoles(ORG, user(1));
    expect(ctx.emulator.count({ route: "token" })).to.equal(2);
    expect(ctx.emulator.count({ status: 401 })).to.equal(1);
    await client.close();
  });

  it("paces reads under Enterprise buckets: 60 reads of a burst-20 bucket, none lost", async function () {
    this.timeout(60_000);
    ctx.emulator.setRateLimits(RATE_LIMIT_PROFILES.enterprise);
    try {
      const client = clientFor(ctx.emulator, { concurrency: 8 });
      const started = Date.now();
      await Promise.all(Array.from({ length: 60 }, (_, i) => client.listMemberRoles(ORG, user(i + 1))));
      // 40 calls beyond the burst at 200/minute need at least 12 s.
      expect(Date.now() - started).to.be.at.least(11_000);
      expect(ctx.emulator.count({ route: "member-roles", status: 200 })).to.equal(60);
      expect(ctx.emulator.count({ status: 429 })).to.be.at.most(8);
      await client.close();
    } finally {
      ctx.emulator.setRateLimits(RATE_LIMIT_PROFILES.none);
    }
  });

  it("writes: add and remove a member's roles (204), members at most 10 a request", async () => {
    const client = clientFor(ctx.emulator);
    await client.addMemberRoles(ORG, user(5), [role(100), role(101)]);
    await client.removeMemberRoles(ORG, user(5), [role(5)]);
    expect(ctx.emulator.rolesOf(ORG, user(5))).to.deep.equal([role(100), role(101)]);
    ctx.emulator.tenant.members.get(ORG)!.clear();
    await client.addMembers(
      ORG,
      Array.from({ length: 23 }, (_, i) => user(i)),
    );
    expect(ctx.emulator.count({ method: "POST", route: "members" })).to.equal(3);
    expect(ctx.emulator.rolesOf(ORG, user(22))).to.deep.equal([]);
    expect((await findRoleByName(client, "role-12"))?.id).to.equal(role(12));
    await client.close();
  });
});
