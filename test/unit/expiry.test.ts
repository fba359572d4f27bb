import { expect } from "chai";
import {
  endingSoon,
  endsChanged,
  parseInstant,
  planExpiry,
  repeatedEnds,
  WEEK_MS,
} from "../../src/model/expiry";
import { Claims } from "../../src/provider/claims";
import { SecretMask } from "../../src/provider/secret-mask";
import { FakeClock } from "../helpers/fake-clock";
import { resolveOrganizations } from "../helpers/resolve-organizations";

const ADA = "auth0|ada";
const GRACE = "auth0|grace";
const ADMIN = "rol_admin00000000001";
const VIEWER = "rol_viewer0000000004";
const END = "2026-12-31T18:00:00.000Z";
const ORG = "org_acme000000000001";

describe("expiring grants: planning on a fake clock (model/expiry.ts)", () => {
  const members = () => ({ [ADA]: [ADMIN, VIEWER], [GRACE]: [ADMIN] });
  const until = { [ADA]: { [ADMIN]: END } };

  it("before the end the grant stays; from the end on it leaves members and is listed as expired", () => {
    const clock = new FakeClock();
    clock.t = Date.parse(END) - 1;
    const before = planExpiry(members(), until, undefined, clock.now());
    expect(before).to.deep.equal({ ok: true, plan: { members: members(), until, expired: {} } });
    clock.t = Date.parse(END);
    const at = planExpiry(members(), until, until, clock.now());
    expect(at).to.deep.equal({
      ok: true,
      plan: { members: { [ADA]: [VIEWER], [GRACE]: [ADMIN] }, until, expired: { [ADA]: [ADMIN] } },
    });
  });

  it("an end already past when declared (new, or moved) fails naming the member and the role", () => {
    const now = Date.parse(END) + 1000;
    const fresh = planExpiry(members(), until, undefined, now);
    expect(fresh.ok).to.equal(false);
    const reason = !fresh.ok ? fresh.failures[0]!.reason : "";
    expect(reason).to.include(ADA).and.include(ADMIN).and.include("which is in the past");
    const moved = planExpiry(members(), until, { [ADA]: { [ADMIN]: "2026-12-30T00:00:00Z" } }, now);
    expect(moved.ok).to.equal(false);
  });

  it("an end recorded before ends quietly, whatever form it was written in", () => {
    const now = Date.parse(END) + 1000;
    const out = planExpiry(members(), until, { [ADA]: { [ADMIN]: "2026-12-31T19:00:00+01:00" } }, now);
    expect(out.ok && out.plan.expired).to.deep.equal({ [ADA]: [ADMIN] });
  });

  it("refuses what is not an instant with a zone, and days that do not exist", () => {
    for (const bad of [
      "2026-12-31",
      "2026-12-31T18:00:00",
      "31/12/2026",
      "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-12-31T24:00:00Z",
      42,
    ])
      expect(parseInstant(bad), String(bad)).to.equal(undefined);
    expect(parseInstant("2026-12-31T19:00+01:00")).to.equal(Date.parse(END));
    const out = planExpiry(members(), { [ADA]: { [ADMIN]: "tomorrow" } }, undefined, 0);
    expect(!out.ok && out.failures[0]!.reason)
      .to.include(ADA)
      .and.include(ADMIN)
      .and.include("2026-12-31T18:00:00Z");
  });

  it("an end on a role the member is not declared with fails", () => {
    const out = planExpiry(members(), { [GRACE]: { [VIEWER]: END } }, undefined, 0);
    expect(!out.ok && out.failures[0]!.reason)
      .to.include(GRACE)
      .and.include("is not declared with role");
  });

  it("a role with an end listed more than once (with and without an end, or two ends) fails naming member and role; repeats without an end pass", () => {
    const [failure, ...rest] = repeatedEnds(
      { [ADA]: [VIEWER, ADMIN, ADMIN], [GRACE]: [ADMIN, ADMIN] },
      until,
    );
    expect(rest).to.deep.equal([]);
    expect(failure!.reason).to.include(ADA).and.include(ADMIN).and.include("is listed more than once");
    expect(repeatedEnds({ [ADA]: [VIEWER, ADMIN] }, until)).to.deep.equal([]);
  });

  it("ends are stored canonical (UTC, milliseconds), so another zone is no change", () => {
    const out = planExpiry(members(), { [ADA]: { [ADMIN]: "2026-12-31T19:00+01:00" } }, undefined, 0);
    expect(out.ok && out.plan.until).to.deep.equal(until);
    expect(endsChanged({ until }, { until: { [ADA]: { [ADMIN]: END } } })).to.equal(false);
    expect(endsChanged({}, { until })).to.equal(true);
    expect(endsChanged({ until }, { until, expired: { [ADA]: [ADMIN] } })).to.equal(true);
  });

  it("ending within a week: after now, soonest first", () => {
    const now = Date.parse(END) - 2 * 24 * 3600 * 1000;
    const ends = {
      [ADA]: { [ADMIN]: END, [VIEWER]: "2027-06-01T00:00:00.000Z" },
      [GRACE]: { [ADMIN]: "2026-12-30T00:00:00.000Z" },
    };
    expect(endingSoon(ends, now, WEEK_MS)).to.deep.equal([
      { userId: GRACE, roleId: ADMIN, until: "2026-12-30T00:00:00.000Z" },
      { userId: ADA, roleId: ADMIN, until: END },
    ]);
  });

  it("a secret map's ends and expired grants are masked in messages", () => {
    const mask = new SecretMask();
    mask.addMembers({ members: {}, until: { [ADA]: { [ADMIN]: END } }, expired: { [GRACE]: [VIEWER] } });
    const text = mask.apply(`${ADA} ${ADMIN} ${GRACE} ${VIEWER}`);
    for (const id of [ADA, ADMIN, GRACE, VIEWER]) expect(text).not.to.include(id);
  });

  it("a secret map's ends are masked too, as written and as planExpiry prints them (the state stores them encrypted)", () => {
    const written = "2020-01-01T01:00:00+01:00";
    const mask = new SecretMask();
    mask.addMembers({ members: { [ADA]: [ADMIN] }, until: { [ADA]: { [ADMIN]: written } } });
    const outcome = planExpiry({ [ADA]: [ADMIN] }, { [ADA]: { [ADMIN]: written } }, {}, Date.UTC(2026, 0));
    expect(outcome.ok).to.equal(false);
    const reason = mask.apply(outcome.ok ? "" : outcome.failures[0]!.reason);
    expect(reason).to.include("which is in the past");
    expect(reason).not.to.include("2020-01-01T00:00:00.000Z");
    expect(mask.apply(`given ${JSON.stringify(written)}`)).not.to.include(written);
  });
});

describe("expiring grants in stack config (from-config.ts)", () => {
  it("takes { role, until } in a member's list and resolves the alias of its role", () => {
    const [org] = resolveOrganizations(
      {
        roles: { admin: ADMIN },
        organizations: [
          {
            organizationId: "org_acme000000000001",
            members: { [ADA]: ["viewer", { role: "admin", until: END }] },
          },
        ],
      },
      "ns",
    );
    expect(org!.members).to.deep.equal({ [ADA]: ["viewer", { role: ADMIN, until: END }] });
  });

  it("refuses other keys in a grant", () => {
    expect(() =>
      resolveOrganizations(
        {
          organizations: [
            { organizationId: "org_acme000000000001", members: { [ADA]: [{ role: "admin", till: END }] } },
          ],
        },
        "ns",
      ),
    ).to.throw(/Invalid stack config/);
  });
});

describe("expiring grants across resources of one run (provider/claims.ts)", () => {
  const ends = { [ADA]: { [ADMIN]: END } };
  it("an end on a role another resource declares for the member fails, in either order of checks", () => {
    const first = new Claims();
    expect(first.grantConflicts(ORG, { [ADA]: [ADMIN] }, {}, "team-a")).to.deep.equal([]);
    const [late] = first.grantConflicts(ORG, { [ADA]: [ADMIN] }, ends, "team-b");
    expect(late!.reason).to.include(ADA).and.include(ADMIN).and.include("so the end could not remove it");

    const second = new Claims();
    expect(second.grantConflicts(ORG, { [ADA]: [ADMIN] }, ends, "team-b")).to.deep.equal([]);
    const [early] = second.grantConflicts(ORG, { [ADA]: [ADMIN, VIEWER] }, {}, "team-a");
    expect(early!.reason).to.include(ADA).and.include(ADMIN).and.include("would keep from taking effect");
    expect(second.grantConflicts("org_other00000000001", { [ADA]: [ADMIN] }, {}, "team-c")).to.deep.equal([]);
  });

  it("a resource checked twice in one process (a preview pass, then the update) is no conflict with itself", () => {
    const claims = new Claims();
    expect(claims.grantConflicts(ORG, { [ADA]: [ADMIN] }, ends, "acme")).to.deep.equal([]);
    expect(claims.grantConflicts(ORG, { [ADA]: [ADMIN] }, ends, "acme")).to.deep.equal([]);
  });
});
