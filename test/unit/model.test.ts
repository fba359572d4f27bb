import { expect } from "chai";
import fc from "fast-check";
import { UNKNOWN_VALUE } from "../../src/limits";
import { checkInputs, formatPath } from "../../src/model/desired";
import { diffState } from "../../src/model/diff";
import {
  applyPlan,
  observedMembers,
  planCreate,
  planDelete,
  planUpdate,
  type RecordedState,
} from "../../src/model/plan";
import { preflightCreate } from "../../src/model/preflight";

const ORG = "org_0123456789abcdef";
const r = (i: number) => `rol_${String(i).padStart(16, "0")}`;

describe("model: check (validation and normalisation)", () => {
  it("sorts and de-duplicates roles and members, defaults the mode", () => {
    const out = checkInputs({
      organizationId: ORG,
      members: { "auth0|b": [r(2), r(1), r(2)], "auth0|a": [] },
    });
    expect(out).to.deep.equal({
      ok: true,
      desired: {
        organizationId: ORG,
        members: { "auth0|a": [], "auth0|b": [r(1), r(2)] },
        mode: "authoritative",
      },
    });
  });

  const failures: Array<[string, unknown, string]> = [
    ["missing organization", { members: {} }, "organizationId"],
    ["malformed organization", { organizationId: "acme", members: {} }, "organizationId"],
    [
      "role name instead of ID",
      { organizationId: ORG, members: { "auth0|x": [r(1), "admin"] } },
      'members["auth0|x"][1]',
    ],
    ["empty role", { organizationId: ORG, members: { "auth0|x": [""] } }, 'members["auth0|x"][0]'],
    [
      "malformed user ID",
      { organizationId: ORG, members: { "not-a-user": [r(1)] } },
      'members["not-a-user"]',
    ],
    ["roles not a list", { organizationId: ORG, members: { "auth0|x": r(1) } }, 'members["auth0|x"]'],
    ["members not a map", { organizationId: ORG, members: [r(1)] }, "members"],
    ["bad mode", { organizationId: ORG, members: {}, mode: "exclusive" }, "mode"],
    [
      "over the cap",
      { organizationId: ORG, members: { "auth0|x": Array.from({ length: 101 }, (_, i) => r(i)) } },
      'members["auth0|x"]',
    ],
  ];
  for (const [name, input, property] of failures) {
    it(`fails on ${name}, naming ${property}`, () => {
      const out = checkInputs(input);
      expect(out.ok).to.equal(false);
      if (out.ok) return;
      expect(out.failures.map((f) => f.property)).to.include(property);
      for (const f of out.failures) expect(f.reason.startsWith(f.property)).to.equal(true);
    });
  }

  it("accepts unknown values during preview and keeps them", () => {
    const out = checkInputs({
      organizationId: UNKNOWN_VALUE,
      members: { "auth0|x": [UNKNOWN_VALUE, r(1)], "auth0|y": UNKNOWN_VALUE },
    });
    expect(out.ok).to.equal(true);
    if (out.ok)
      expect(out.desired).to.deep.equal({
        organizationId: UNKNOWN_VALUE,
        members: { "auth0|x": [r(1), UNKNOWN_VALUE].sort(), "auth0|y": UNKNOWN_VALUE },
        mode: "authoritative",
      });
    expect(checkInputs({ organizationId: ORG, members: UNKNOWN_VALUE }).ok).to.equal(true);
  });

  it("formats paths the way code reads", () => {
    expect(formatPath(["members", "auth0|x", 2])).to.equal('members["auth0|x"][2]');
    expect(formatPath(["organizationId"])).to.equal("organizationId");
  });

  it("property: arbitrary input never throws, and every failure names a path", () => {
    const roleish = fc.oneof(
      fc.string(),
      fc.constant(r(1)),
      fc.constant(UNKNOWN_VALUE),
      fc.integer(),
      fc.constant(null),
    );
    const input = fc.oneof(
      fc.anything(),
      fc.record({
        organizationId: fc.oneof(fc.string(), fc.constant(ORG), fc.constant(UNKNOWN_VALUE), fc.anything()),
        members: fc.oneof(
          fc.dictionary(fc.string(), fc.oneof(fc.array(roleish), fc.anything())),
          fc.anything(),
        ),
        mode: fc.oneof(fc.constant("additive"), fc.string(), fc.anything()),
      }),
    );
    fc.assert(
      fc.property(input, (raw) => {
        const out = checkInputs(raw);
        if (!out.ok) for (const f of out.failures) expect(f.property).to.be.a("string").and.not.equal("");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("model: plan", () => {
  const recorded = (
    members: Record<string, string[]>,
    declared = members,
    mode: "authoritative" | "additive" = "authoritative",
  ): RecordedState => ({
    organizationId: ORG,
    mode,
    members,
    declared,
  });

  const table: Array<
    [
      string,
      RecordedState,
      Record<string, string[]>,
      "authoritative" | "additive",
      Array<{ userId: string; add: string[]; remove: string[] }>,
    ]
  > = [
    ["no change", recorded({ a: [r(1)] }), { a: [r(1)] }, "authoritative", []],
    [
      "gain one",
      recorded({ a: [r(1)] }),
      { a: [r(1), r(2)] },
      "authoritative",
      [{ userId: "a", add: [r(2)], remove: [] }],
    ],
    [
      "swap",
      recorded({ a: [r(1)] }),
      { a: [r(2)] },
      "authoritative",
      [{ userId: "a", add: [r(2)], remove: [r(1)] }],
    ],
    [
      "drift extra removed (authoritative)",
      recorded({ a: [r(1), r(9)] }, { a: [r(1)] }),
      { a: [r(1)] },
      "authoritative",
      [{ userId: "a", add: [], remove: [r(9)] }],
    ],
    [
      "drift extra kept (additive)",
      recorded({ a: [r(1)] }, { a: [r(1)] }, "additive"),
      { a: [r(1)] },
      "additive",
      [],
    ],
    [
      "additive removes only undeclared roles it owned",
      recorded({ a: [r(1), r(2)] }, { a: [r(1), r(2)] }, "additive"),
      { a: [r(1)] },
      "additive",
      [{ userId: "a", add: [], remove: [r(2)] }],
    ],
    [
      "member dropped loses declared roles only",
      recorded({ a: [r(1), r(9)], b: [r(1)] }, { a: [r(1)], b: [r(1)] }),
      { b: [r(1)] },
      "authoritative",
      [{ userId: "a", add: [], remove: [r(1)] }],
    ],
    ["new member", recorded({}), { c: [r(3)] }, "authoritative", [{ userId: "c", add: [r(3)], remove: [] }]],
    [
      "missing role re-added after drift",
      recorded({ a: [] }, { a: [r(1)] }),
      { a: [r(1)] },
      "authoritative",
      [{ userId: "a", add: [r(1)], remove: [] }],
    ],
  ];
  for (const [name, state, desired, mode, expected] of table) {
    it(`update: ${name}`, () => expect(planUpdate(state, desired, mode)).to.deep.equal(expected));
  }

  it("create adopts: adds what is missing, removes nothing", () => {
    expect(planCreate({ a: [r(1), r(9)], b: undefined }, { a: [r(1), r(2)], b: [r(3)] })).to.deep.equal([
      { userId: "a", add: [r(2)], remove: [] },
      { userId: "b", add: [r(3)], remove: [] },
    ]);
  });

  it("delete removes the declared roles", () => {
    expect(planDelete(recorded({ a: [r(1), r(9)] }, { a: [r(1)] }))).to.deep.equal([
      { userId: "a", add: [], remove: [r(1)] },
    ]);
  });

  it("refresh: authoritative sees all live roles, additive only the declared ones; departed members drop out", () => {
    const live = { a: [r(1), r(9)], b: undefined };
    expect(observedMembers(live, { a: [r(1)], b: [r(2)] }, "authoritative")).to.deep.equal({
      a: [r(1), r(9)],
    });
    expect(observedMembers(live, { a: [r(1)], b: [r(2)] }, "additive")).to.deep.equal({ a: [r(1)] });
  });

  const roleSet = fc.uniqueArray(fc.integer({ min: 0, max: 12 }).map(r), { maxLength: 8 });
  const users = fc.constantFrom("u1", "u2", "u3", "u4");
  const memberMap = fc.dictionary(users, roleSet);

  it("property: authoritative, after a refresh the plan yields exactly the desired roles (new members adopted)", () => {
    fc.assert(
      fc.property(memberMap, memberMap, memberMap, (live, declared, desired) => {
        const observed = observedMembers(live, declared, "authoritative");
        const plan = planUpdate(
          { organizationId: ORG, mode: "authoritative", members: observed, declared },
          desired,
          "authoritative",
        );
        const after = applyPlan(live, plan);
        for (const [u, roles] of Object.entries(desired)) {
          if (live[u] === undefined && declared[u] !== undefined) continue; // departed member: reported, not applied
          // A member the refresh saw ends with exactly the desired roles; a newly declared one is adopted
          // (gains what is missing, loses nothing the preview did not show).
          if (declared[u] !== undefined) expect(after[u] ?? []).to.deep.equal([...roles].sort());
          else for (const role of roles) expect(after[u]).to.include(role);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("property: additive never removes a role this resource did not declare", () => {
    fc.assert(
      fc.property(memberMap, memberMap, memberMap, (live, declared, desired) => {
        const observed = observedMembers(live, declared, "additive");
        const plan = planUpdate(
          { organizationId: ORG, mode: "additive", members: observed, declared },
          desired,
          "additive",
        );
        for (const change of plan)
          for (const role of change.remove) expect(declared[change.userId] ?? []).to.include(role);
        const after = applyPlan(live, plan);
        for (const [u, roles] of Object.entries(desired))
          for (const role of roles)
            if (live[u] !== undefined || declared[u] === undefined) expect(after[u]).to.include(role);
      }),
      { numRuns: 1000 },
    );
  });

  it("property: create never removes anything and ends with the desired roles held", () => {
    fc.assert(
      fc.property(memberMap, memberMap, (live, desired) => {
        const plan = planCreate(live, desired);
        expect(plan.every((c) => c.remove.length === 0)).to.equal(true);
        const after = applyPlan(live, plan);
        for (const [u, roles] of Object.entries(desired))
          for (const role of roles) expect(after[u]).to.include(role);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("model: preflight of a first apply", () => {
  const tenantRoles = new Set([r(1), r(2), r(3)]);
  it("passes a member who can take the roles", () => {
    expect(preflightCreate({ a: [r(1), r(2)] }, { a: [r(3)] }, tenantRoles, 100)).to.deep.equal([]);
  });
  it("names a non-member, an unknown role and a member over the cap (counting roles kept by adoption)", () => {
    const problems = preflightCreate(
      { gone: [r(1)], typo: [r(1), "rol_doesnotexist0001"], full: [r(1), r(2)] },
      { gone: undefined, typo: [], full: [r(3)] },
      tenantRoles,
      2,
    );
    expect(problems.map((p) => p.userId)).to.deep.equal(["gone", "typo", "full"]);
    expect(problems[0]!.reason).to.contain("not a member");
    expect(problems[1]!.reason).to.contain("rol_doesnotexist0001");
    expect(problems[2]!.reason).to.contain("would hold 3 roles");
  });
});

describe("model: diff", () => {
  const state = { organizationId: ORG, members: { a: [r(1), r(2)] }, mode: "authoritative" as const };
  it("no change when members match in another order", () => {
    expect(diffState(state, { ...state, members: { a: [r(2), r(1)] } }).changes).to.equal(false);
  });
  it("a role or mode change is an update, an organization change a replacement", () => {
    expect(diffState(state, { ...state, members: { a: [r(1)] } })).to.include({ changes: true });
    expect(diffState(state, { ...state, mode: "additive" }).changes).to.equal(true);
    expect(diffState(state, { ...state, organizationId: "org_fedcba9876543210" }).replaces).to.deep.equal([
      "organizationId",
    ]);
  });
});
