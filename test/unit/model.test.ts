import { expect } from "chai";
import fc from "fast-check";
import { checkInputs, formatPath } from "../../src/model/desired";
import {
  diffState,
  emptyState,
  heldRoles,
  knownUsers,
  observe,
  planDelete,
  planUpdate,
  type RecordedState,
  reobserve,
  settle,
} from "../../src/model/plan";
import { changedMembers, validateChanges } from "../../src/model/validate";
import { UNKNOWN_VALUE } from "../../src/pulumi/tokens";
import { applyPlan } from "../helpers/apply-plan";

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
        holders: { "auth0|a": [], "auth0|b": [r(1), r(2)] },
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
        holders: { "auth0|x": [r(1), UNKNOWN_VALUE].sort(), "auth0|y": UNKNOWN_VALUE },
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
    tenantDiffers: RecordedState["tenantDiffers"] = {},
  ): RecordedState => ({ organizationId: ORG, mode, holders: members, declared, tenantDiffers });

  const table: Array<
    [
      string,
      RecordedState,
      Record<string, string[]>,
      "authoritative" | "additive",
      Array<{ holder: string; add: string[]; remove: string[] }>,
    ]
  > = [
    ["no change", recorded({ a: [r(1)] }), { a: [r(1)] }, "authoritative", []],
    [
      "gain one",
      recorded({ a: [r(1)] }),
      { a: [r(1), r(2)] },
      "authoritative",
      [{ holder: "a", add: [r(2)], remove: [] }],
    ],
    [
      "swap",
      recorded({ a: [r(1)] }),
      { a: [r(2)] },
      "authoritative",
      [{ holder: "a", add: [r(2)], remove: [r(1)] }],
    ],
    [
      "drift extra seen by a refresh is removed (authoritative)",
      recorded({ a: [r(1), r(9)] }, { a: [r(1)] }),
      { a: [r(1)] },
      "authoritative",
      [{ holder: "a", add: [], remove: [r(9)] }],
    ],
    [
      "drift extra kept (additive)",
      recorded({ a: [r(1)] }, { a: [r(1)] }, "additive"),
      { a: [r(1)] },
      "additive",
      [],
    ],
    [
      "additive removes only roles it owned",
      recorded({ a: [r(1), r(2)] }, { a: [r(1), r(2)] }, "additive"),
      { a: [r(1)] },
      "additive",
      [{ holder: "a", add: [], remove: [r(2)] }],
    ],
    [
      "member dropped loses the roles it owned only",
      recorded({ a: [r(1), r(9)], b: [r(1)] }, { a: [r(1)], b: [r(1)] }),
      { b: [r(1)] },
      "authoritative",
      [{ holder: "a", add: [], remove: [r(1)] }],
    ],
    ["new member", recorded({}), { c: [r(3)] }, "authoritative", [{ holder: "c", add: [r(3)], remove: [] }]],
    [
      "missing role re-added after drift",
      recorded({ a: [] }, { a: [r(1)] }),
      { a: [r(1)] },
      "authoritative",
      [{ holder: "a", add: [r(1)], remove: [] }],
    ],
    [
      "an owned role absent from members is not removed: the preview cannot show it (stale ownership)",
      recorded({ a: [r(1)] }, { a: [r(1), r(2)] }),
      { a: [r(1), r(3)] },
      "authoritative",
      [{ holder: "a", add: [r(3)], remove: [] }],
    ],
    [
      "after a failed swap the addition is retried and the removal waits for a refresh",
      recorded({ a: [r(2)] }, { a: [r(1)] }, "authoritative", { a: { missing: [r(2)], extra: [r(1)] } }),
      { a: [r(2)] },
      "authoritative",
      [{ holder: "a", add: [r(2)], remove: [] }],
    ],
    [
      "roles held before adoption are not removed before a refresh shows them",
      recorded({ a: [r(1)] }, { a: [r(1)] }, "authoritative", { a: { missing: [], extra: [r(9)] } }),
      { a: [r(1)] },
      "authoritative",
      [],
    ],
  ];
  for (const [name, state, desired, mode, expected] of table) {
    it(`update: ${name}`, () => expect(planUpdate(state, desired, mode)).to.deep.equal(expected));
  }

  // What `create` plans (provider/write.ts): an update from an empty state that adopted what the primary
  // store answered for the holders it confirmed.
  const createPlan = (
    live: Record<string, string[] | undefined>,
    desired: Record<string, string[]>,
    confirmed: (u: string) => boolean,
    mode: "authoritative" | "additive" = "authoritative",
  ) => {
    const read = Object.fromEntries(
      Object.keys(live)
        .filter(confirmed)
        .map((u) => [u, live[u]]),
    );
    return planUpdate(
      reobserve(emptyState(ORG, mode), read, (u) => desired[u] ?? []),
      desired,
      mode,
    );
  };

  it("create adds what the primary store lacks, everything a lagging listing reports, and removes nothing", () => {
    const confirmed = new Set(["a", "b"]);
    for (const mode of ["authoritative", "additive"] as const)
      expect(
        createPlan(
          { a: [r(1), r(9)], b: undefined, c: [r(4)] },
          { a: [r(1), r(2)], b: [r(3)], c: [r(4)] },
          (u) => confirmed.has(u),
          mode,
        ),
      ).to.deep.equal([
        { holder: "a", add: [r(2)], remove: [] },
        { holder: "b", add: [r(3)], remove: [] },
        { holder: "c", add: [r(4)], remove: [] },
      ]);
  });

  it("delete removes the owned roles that members shows", () => {
    expect(planDelete(recorded({ a: [r(1), r(9)] }, { a: [r(1)] }))).to.deep.equal([
      { holder: "a", add: [], remove: [r(1)] },
    ]);
    expect(planDelete(recorded({ a: [r(1)] }, { a: [r(1), r(2)] }))).to.deep.equal([
      { holder: "a", add: [], remove: [r(1)] },
    ]);
  });

  it("refresh: authoritative shows all live roles, additive only owned ones; ownership shrinks to what is held; departed members drop out", () => {
    const live = { a: [r(1), r(9)], b: undefined };
    const auth = observe(recorded({ a: [r(1), r(2)], b: [r(2)] }), live);
    expect(auth.holders).to.deep.equal({ a: [r(1), r(9)] });
    expect(auth.declared).to.deep.equal({ a: [r(1)] });
    const additive = observe(recorded({ a: [r(1)], b: [r(2)] }, undefined, "additive"), live);
    expect(additive.holders).to.deep.equal({ a: [r(1)] });
  });

  it("refresh: a member dropped from the map whose removal failed shows only its owned roles again", () => {
    const state = recorded({}, { b: [r(2)] }, "authoritative", { b: { missing: [], extra: [r(2)] } });
    const seen = observe(state, { b: [r(2), r(5)] });
    expect(seen.holders).to.deep.equal({ b: [r(2)] });
    expect(planUpdate(seen, {}, "authoritative")).to.deep.equal([{ holder: "b", add: [], remove: [r(2)] }]);
  });

  it("settle: a fully applied plan records the declaration with nothing outstanding", () => {
    const before = recorded({ a: [r(1)] });
    const change = { holder: "a", add: [r(2)], remove: [r(1)] };
    const after = settle(before, { a: [r(2)] }, "authoritative", [{ change, removed: true, added: true }]);
    expect(after).to.deep.equal(recorded({ a: [r(2)] }));
  });

  it("settle: a half-applied change records the truth in tenantDiffers", () => {
    const before = recorded({ a: [r(1)] });
    const change = { holder: "a", add: [r(2)], remove: [r(1)] };
    const after = settle(before, { a: [r(2)] }, "authoritative", [{ change, removed: true, added: false }]);
    expect(after.holders).to.deep.equal({ a: [r(2)] });
    expect(after.tenantDiffers).to.deep.equal({ a: { missing: [r(2)], extra: [] } });
    expect(heldRoles(after, "a")).to.deep.equal([]);
  });

  const roleSet = fc.uniqueArray(fc.integer({ min: 0, max: 12 }).map(r), { maxLength: 8 });
  const users = fc.constantFrom("u1", "u2", "u3", "u4");
  const memberMap = fc.dictionary(users, roleSet);
  const differences = fc.dictionary(users, fc.record({ missing: roleSet, extra: roleSet }));
  const mode = fc.constantFrom("authoritative" as const, "additive" as const);
  const anyState = fc
    .tuple(memberMap, memberMap, differences, mode)
    .map(([members, declared, tenantDiffers, m]) => recorded(members, declared, m, tenantDiffers));

  it("property: every removal is one the preview shows (in members, not desired)", () => {
    fc.assert(
      fc.property(anyState, memberMap, (state, desired) => {
        for (const change of planUpdate(state, desired, state.mode))
          for (const role of change.remove) {
            expect(state.holders[change.holder] ?? []).to.include(role);
            expect(desired[change.holder] ?? []).not.to.include(role);
          }
        for (const change of planDelete(state))
          for (const role of change.remove) expect(state.holders[change.holder] ?? []).to.include(role);
      }),
      { numRuns: 1000 },
    );
  });

  it("property: after settling, the state's held roles are what the tenant holds (applied in full or in part)", () => {
    fc.assert(
      fc.property(
        anyState,
        memberMap,
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (state, desired, ok) => {
          const tenant: Record<string, string[]> = {};
          for (const u of knownUsers(state)) tenant[u] = heldRoles(state, u);
          const outcomes = planUpdate(state, desired, state.mode).map((change, i) => ({
            change,
            removed: ok[i % 8]!,
            added: ok[(i + 3) % 8]!,
          }));
          const after = settle(state, desired, state.mode, outcomes);
          const applied = outcomes.map((o) => ({
            ...o.change,
            remove: o.removed ? o.change.remove : [],
            add: o.added ? o.change.add : [],
          }));
          const truth = applyPlan(tenant, applied);
          for (const u of Object.keys(desired)) {
            const held = heldRoles(after, u);
            if (state.mode === "authoritative")
              expect([...held].sort()).to.deep.equal([...(truth[u] ?? [])].sort());
            else for (const role of held) expect(truth[u] ?? []).to.include(role);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("property: authoritative, after a refresh the plan yields exactly the desired roles (new members adopted)", () => {
    fc.assert(
      fc.property(memberMap, memberMap, memberMap, (live, declared, desired) => {
        const observed = observe(recorded(declared), live);
        const after = applyPlan(live, planUpdate(observed, desired, "authoritative"));
        for (const [u, roles] of Object.entries(desired)) {
          if (live[u] === undefined) continue; // not a member: the POST fails and says so
          if (u in observed.holders) expect([...(after[u] ?? [])].sort()).to.deep.equal([...roles].sort());
          else for (const role of roles) expect(after[u]).to.include(role);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("property: additive never removes a role this resource did not own", () => {
    fc.assert(
      fc.property(memberMap, memberMap, memberMap, (live, declared, desired) => {
        const observed = observe(recorded(declared, declared, "additive"), live);
        const plan = planUpdate(observed, desired, "additive");
        for (const change of plan)
          for (const role of change.remove) expect(declared[change.holder] ?? []).to.include(role);
      }),
      { numRuns: 1000 },
    );
  });

  it("property: create never removes anything and ends with the desired roles held", () => {
    fc.assert(
      fc.property(memberMap, memberMap, fc.boolean(), fc.boolean(), (live, desired, confirmed, additive) => {
        const plan = createPlan(live, desired, () => confirmed, additive ? "additive" : "authoritative");
        expect(plan.every((c) => c.remove.length === 0)).to.equal(true);
        const after = applyPlan(live, plan);
        for (const [u, roles] of Object.entries(desired))
          for (const role of roles) expect(after[u]).to.include(role);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("model: validation of the changing members against the tenant", () => {
  const options = {
    organizationId: ORG,
    mode: "authoritative" as const,
    roleCap: 2,
    addsMissingMembers: false,
  };
  const tenantRoles = new Set([r(1), r(2), r(3)]);
  const facts = (live: Record<string, string[] | undefined>) => ({
    live,
    role: (id: string) => (tenantRoles.has(id) ? { name: id } : undefined),
  });

  it("only members whose roles change are checked, and only the roles they gain must exist", () => {
    const changed = changedMembers({ a: [r(1)], b: [r(9)] }, { a: [r(1)], b: [r(9), r(2)], c: [r(3)] });
    expect(changed.members).to.deep.equal({ b: [r(9), r(2)], c: [r(3)] });
    expect(changed.added).to.deep.equal({ b: [r(2)], c: [r(3)] });
    expect(validateChanges(changed, facts({ b: [r(9)], c: [] }), options)).to.deep.equal([]);
  });

  it("names a non-member, an unknown role and a member over the cap, all at once, with the organization and the fix", () => {
    const changed = changedMembers(undefined, {
      gone: [r(1)],
      typo: [r(1), "rol_doesnotexist0001"],
      full: [r(1), r(2), r(3)],
    });
    const failures = validateChanges(changed, facts({ gone: undefined, typo: [], full: [] }), options);
    expect(failures.map((f) => f.property)).to.deep.equal([
      'members["gone"]',
      'members["typo"][1]',
      'members["full"]',
    ]);
    expect(failures[0]!.reason)
      .to.contain("not a member of organization")
      .and.contain(ORG)
      .and.contain("drop them");
    expect(failures[1]!.reason)
      .to.contain("rol_doesnotexist0001")
      .and.contain("does not exist in the tenant");
    expect(failures[2]!.reason).to.contain("would hold 3 roles").and.contain("cap of 2");
  });

  it("roles held that the change does not remove count toward the cap, in both modes", () => {
    const changed = changedMembers({ a: [r(1)] }, { a: [r(1), r(2)] });
    for (const mode of ["additive", "authoritative"] as const) {
      const reason = validateChanges(changed, facts({ a: [r(1), r(3)] }), { ...options, mode })[0]!.reason;
      expect(reason).to.contain("would hold 3 roles").and.contain("1 held that this change does not remove");
    }
  });

  it("a swap at the cap passes: the role leaving is removed before the new one is added", () => {
    const changed = changedMembers({ a: [r(1), r(2)] }, { a: [r(1), r(3)] });
    for (const mode of ["additive", "authoritative"] as const)
      expect(validateChanges(changed, facts({ a: [r(1), r(2)] }), { ...options, mode })).to.deep.equal([]);
  });

  it("lists unknown at preview are skipped (checked during up)", () => {
    expect(changedMembers({}, { a: UNKNOWN_VALUE as unknown as string[] }).members).to.deep.equal({});
  });
});

describe("model: diff", () => {
  const state = {
    organizationId: ORG,
    holders: { a: [r(1), r(2)] },
    mode: "authoritative" as const,
    declared: { a: [r(1), r(2)] },
    tenantDiffers: {},
  };
  it("no change when members match in another order", () => {
    expect(diffState(state, { ...state, holders: { a: [r(2), r(1)] } }).changes).to.equal(false);
  });
  it("a role or mode change is an update, an organization change a replacement", () => {
    expect(diffState(state, { ...state, holders: { a: [r(1)] } })).to.include({ changes: true });
    expect(diffState(state, { ...state, mode: "additive" }).changes).to.equal(true);
    expect(diffState(state, { ...state, organizationId: "org_fedcba9876543210" }).replaces).to.deep.equal([
      "organizationId",
    ]);
  });
  it("an addition a failed apply left to do is an update even when members match", () => {
    const failed = { ...state, tenantDiffers: { a: { missing: [r(2)], extra: [] } } };
    expect(diffState(failed, { ...state }).changes).to.equal(true);
  });
});
