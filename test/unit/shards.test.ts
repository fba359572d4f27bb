/**
 * `declareOrganizations` with `shard`: which organizations a shard stack declares. The layout is a function
 * of the organization ID and the shard count alone, so that every stack of a pipeline agrees on it and
 * editing the list moves nothing.
 */
import { expect } from "chai";
import { resolveConfig } from "../../components/organizations-config";
import { shardOf } from "../../components/shards";

const NS = "auth0-org-member-roles";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const org = (i: number) => ({
  organizationId: `org_shard${String(i).padStart(11, "0")}`,
  members: { [ADA]: ["rol_admin00000000001"] },
});
const ORGS = Array.from({ length: 200 }, (_, i) => org(i));
const selected = (organizations: unknown[], index: number, count: number) =>
  resolveConfig({ organizations, shard: { index, count } }, NS).selected.organizations.map(
    (o) => o.organizationId,
  );
const problem = (shard: unknown) => {
  try {
    resolveConfig({ organizations: ORGS, shard }, NS);
  } catch (err) {
    return (err as Error).message;
  }
  return "";
};

describe("shards: a stable layout of the organizations over several stacks", () => {
  it("hashes with FNV-1a, whose published test vectors it reproduces (so no version can change the layout)", () => {
    // FNV-1a 32-bit: "a" → 0xe40c292c, "foobar" → 0xbf9cf968 (the reference implementation's test suite).
    expect(shardOf("a", 2 ** 32 - 1)).to.equal(0xe40c292c % (2 ** 32 - 1));
    expect(shardOf("foobar", 2 ** 31)).to.equal(0xbf9cf968 % 2 ** 31);
    expect(shardOf("org_acme000000000001", 1)).to.equal(0);
  });

  it("puts every organization in exactly one shard, and the shards are near even", () => {
    const shards = [0, 1, 2, 3].map((i) => selected(ORGS, i, 4));
    expect(shards.flat().sort()).to.deep.equal(ORGS.map((o) => o.organizationId).sort());
    for (const s of shards) expect(s.length).to.be.within(30, 70);
  });

  it("depends on the organization ID, not its position: reordering or removing others moves no organization", () => {
    const before = selected(ORGS, 1, 4);
    const reversed = selected([...ORGS].reverse(), 1, 4);
    expect([...reversed].sort()).to.deep.equal([...before].sort());
    const fewer = selected(ORGS.slice(50), 1, 4);
    expect(fewer).to.deep.equal(before.filter((id) => fewer.includes(id)));
    expect(before.filter((id) => !fewer.includes(id))).to.deep.equal(
      ORGS.slice(0, 50)
        .map((o) => o.organizationId)
        .filter((id) => before.includes(id)),
    );
  });

  it("keeps every entry of one organization (a split) in the same shard", () => {
    const split = [{ name: "acme-admins", ...org(7) }, { name: "acme-viewers", ...org(7) }, ...ORGS.slice(8)];
    const count = 3;
    const owners = [0, 1, 2].filter((i) =>
      resolveConfig({ organizations: split, shard: { index: i, count } }, NS).selected.organizations.some(
        (o) => o.name.startsWith("acme-"),
      ),
    );
    expect(owners).to.have.length(1);
    const mine = resolveConfig({ organizations: split, shard: { index: owners[0]!, count } }, NS).selected
      .organizations;
    expect(mine.filter((o) => o.name.startsWith("acme-"))).to.have.length(2);
  });

  it("validates the whole config in every shard: a bad entry of another shard fails this one too", () => {
    const bad = [...ORGS, { organizationId: "acme", members: {} }];
    for (const index of [0, 1])
      expect(() => resolveConfig({ organizations: bad, shard: { index, count: 2 } }, NS)).to.throw(
        /organizations\[200\]\.organizationId/,
      );
  });

  it("refuses a shard that is not one: index past count, fractions, a misspelt key", () => {
    expect(problem({ index: 4, count: 4 }))
      .to.contain(`${NS}:shard:`)
      .and.contain("less than count");
    expect(problem({ index: 0.5, count: 4 })).to.contain(`${NS}:shard.index: must be a whole number`);
    expect(problem({ index: 0, count: 0 })).to.contain(`${NS}:shard.count: must be at least 1`);
    expect(problem({ index: 0, cuont: 4 })).to.contain("cuont");
  });

  it("names the fix for a missing or non-numeric index or count, the shard's own keys for a misspelt one, and a count past any pipeline", () => {
    const fix = "like shard: { index: 0, count: 4 }";
    expect(problem({ count: 4 })).to.contain(`${NS}:shard.index: must be a whole number, ${fix}`);
    expect(problem({ index: 0, count: "4" })).to.contain(`${NS}:shard.count: must be a whole number, ${fix}`);
    expect(problem({ index: 0, count: 4, of: 2 }))
      .to.contain("valid keys: index, count")
      .and.not.contain("organizationId");
    // The hash is 32 bits: shard 2^32 of 2^40 could never hold an organization.
    expect(problem({ index: 0, count: 2 ** 40 })).to.contain(`${NS}:shard.count: must be at most 10000`);
  });

  it("without shard, declares every organization", () => {
    expect(resolveConfig({ organizations: ORGS }, NS).selected.organizations).to.have.length(200);
  });
});
