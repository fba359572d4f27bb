/**
 * Wrong shapes at the provider, against the emulator: what a program's Output held (a computed or secret
 * `members` the component cannot look into) reaches `check`, which must refuse it with the path the program
 * wrote and the shape expected; never a TypeError, and nothing read or written. Expected paths and fragments
 * come from the corruption generated (test/helpers/wrong-shapes.ts), never from the code under test.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import fc from "fast-check";
import { OrgMemberRoles } from "../../components";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { UNKNOWN_VALUE } from "../../src/pulumi/tokens";
import { impl, providerSuite } from "../helpers/drive";
import { type Registration, recordProgram, settled } from "../helpers/pulumi-mocks";
import {
  anyValue,
  asMap,
  type Corrupted,
  corruptedGroups,
  corruptedMemberMap,
  pathText,
  SHAPE,
} from "../helpers/wrong-shapes";

const ORG = "org_acme000000000001";
const RUNS = { numRuns: 1000 };
type Props = Record<string, unknown>;

describe("wrong shapes at the provider's check, against the emulator (fast-check)", function () {
  this.timeout(180_000);
  const emulator = providerSuite(loadFixture(DEFAULT_SEED_PATH));

  /** A failure names `path` as its property, and its reason names the path and asks for `expected`. */
  function refuses(
    failures: ReadonlyArray<{ property: string; reason: string }> | undefined,
    c: Corrupted<unknown>,
  ) {
    const path = pathText(c.path);
    const failure = failures?.find((f) => f.property === path);
    expect(failure, `a failure at ${path} in ${JSON.stringify(failures)}`).to.not.equal(undefined);
    expect(failure!.reason).to.contain(path).and.contain(c.expected);
  }

  /** Create with the same inputs (as a program bypassing check would): an error, never a TypeError. */
  async function createRefuses(create: () => Promise<unknown>) {
    const err = await create().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, "create refuses").to.be.instanceOf(Error);
    expect(err).not.to.be.instanceOf(TypeError);
  }

  /** Nothing was read or written: shapes are refused before any call. */
  const untouched = () => {
    expect(emulator().writes(), "writes").to.equal(0);
    expect(emulator().apiCalls(), "calls").to.equal(0);
  };

  it("members: a wrong list, role, { role, until } or map, beside unknown lists (preview)", async () => {
    emulator().resetCounters();
    await fc.assert(
      fc.asyncProperty(corruptedMemberMap, fc.boolean(), async (c, unknownOthers) => {
        emulator().resetCounters();
        const corruptUser = c.path[1];
        const members = Array.isArray(c.value)
          ? Object.fromEntries(
              c.value.map(([u, r]) => [u, unknownOthers && u !== corruptUser ? UNKNOWN_VALUE : r] as const),
            )
          : c.value;
        const news: Props = { organizationId: ORG, members };
        impl.startRun();
        refuses((await impl.check({}, news)).failures, c);
        await createRefuses(() => impl.create(news));
        untouched();
      }),
      RUNS,
    );
  });

  it("groups: a wrong list, role or map", async () => {
    emulator().resetCounters();
    await fc.assert(
      fc.asyncProperty(corruptedGroups, async (c) => {
        emulator().resetCounters();
        const news: Props = { organizationId: ORG, groups: c.value };
        impl.startRun();
        refuses((await impl.groupRoles.check({}, news)).failures, c);
        await createRefuses(() => impl.groupRoles.create(news));
        untouched();
      }),
      RUNS,
    );
  });

  it("every input any JSON value: check answers (failures or inputs), never throws, writes nothing", async () => {
    emulator().resetCounters();
    const news = fc.record(
      {
        organizationId: fc.oneof(anyValue, fc.constant(ORG)),
        members: anyValue,
        mode: anyValue,
        addMissingMembers: anyValue,
        until: anyValue,
        joiningMembers: anyValue,
        membersSecret: anyValue,
        resolved: anyValue,
      },
      { requiredKeys: ["members"] },
    );
    await fc.assert(
      fc.asyncProperty(news, async (n) => {
        impl.startRun();
        const result = await impl.check({}, n as Props);
        const members = (n as Props)["members"];
        const isMap = members !== null && typeof members === "object" && !Array.isArray(members);
        if (!isMap) refuses(result.failures, { value: n, path: ["members"], expected: SHAPE.membersMap });
        expect(emulator().writes()).to.equal(0);
      }),
      RUNS,
    );
  });

  describe("from the program: a misshapen Output passes through the component to check (Pulumi's mocks)", () => {
    let seen: Map<string, Registration>;
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => void rejections.push(e);
    before(async () => {
      seen = await recordProgram();
      process.on("unhandledRejection", onRejection);
    });
    after(() => void process.off("unhandledRejection", onRejection));
    let count = 0;

    it("members as an Output holding a wrong shape: no throw, no unhandled rejection; check names the path", async () => {
      emulator().resetCounters();
      await fc.assert(
        // Serialisation drops an undefined value, as the engine does: what the program declared is then valid.
        fc.asyncProperty(
          corruptedMemberMap.filter((c) => !holdsUndefined(c.value)),
          async (c) => {
            emulator().resetCounters();
            const name = `output-shapes-${++count}`;
            const r = new OrgMemberRoles(name, {
              organizationId: ORG,
              members: pulumi.output(asMap(c.value)) as never,
            });
            await settled(r.urn);
            const { __provider: _shell, ...inputs } = asEngineGives(seen.get(name)!.inputs);
            impl.startRun();
            refuses((await impl.check({}, inputs)).failures, c);
            untouched();
          },
        ),
        { numRuns: 300 },
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections.map(String)).to.deep.equal([]);
    });

    it("regression: a secret list of strings (issue 37) fails check naming members, with nothing read or written", async () => {
      emulator().resetCounters();
      const r = new OrgMemberRoles("secret-list", {
        organizationId: ORG,
        members: pulumi.secret(["auth0|69e9cd6013e3dca66bfbca39", "rol_viewer0000000004"]) as never,
      });
      await settled(r.urn);
      impl.startRun();
      const failures = (await impl.check({}, asEngineGives(seen.get("secret-list")!.inputs))).failures;
      refuses(failures, { value: null, path: ["members"], expected: SHAPE.membersMap });
      untouched();
      expect(rejections.map(String)).to.deep.equal([]);
    });
  });

  describe("regressions at check: each found failing, by name", () => {
    const ADA = "auth0|69e9cd6013e3dca66bfbca39";
    const check = async (members: unknown) => {
      impl.startRun();
      return (await impl.check({}, { organizationId: ORG, members })).failures;
    };

    it('a list of lists was resolved as a map keyed 0, 1 (members["0"]): now members, the map expected', async () => {
      refuses(await check([["admin"]]), { value: null, path: ["members"], expected: SHAPE.membersMap });
      untouched();
    });

    it("an email with a string for roles was named by the user ID it resolved to: now by the email written", async () => {
      refuses(await check({ "ada@acme.example": "admin" }), {
        value: null,
        path: ["members", "ada@acme.example"],
        expected: SHAPE.roleList,
      });
      untouched();
    });

    it("a null role said 'Invalid input: expected string': now the path and a role's shape", async () => {
      const failures = await check({ [ADA]: [null] });
      refuses(failures, { value: null, path: ["members", ADA, 0], expected: SHAPE.role });
      expect(JSON.stringify(failures)).not.to.contain("Invalid input");
    });

    it("a mode of the wrong type said 'mode Invalid input': now the two modes", async () => {
      impl.startRun();
      const { failures } = await impl.check({}, { organizationId: ORG, members: {}, mode: 3 });
      refuses(failures, { value: null, path: ["mode"], expected: SHAPE.mode });
    });

    it("an organizationId whose toString is not a function threw 'Cannot convert object to primitive value' (fast-check): now the field's failure", async () => {
      impl.startRun();
      const { failures } = await impl.check({}, { organizationId: { toString: null }, members: {} });
      expect(failures).to.deep.equal([
        {
          property: "organizationId",
          reason: "organizationId must be an organization ID like org_0123456789abcdef (a string)",
        },
      ]);
    });

    it("a bad group ID said only 'must map group IDs': now what is wrong with it (Auth0: at most 50 printable characters)", async () => {
      impl.startRun();
      const cases: Array<[string, string]> = [
        ["", "is empty"],
        ["g".repeat(51), "longer than 50 characters"],
        ["eng team", "has a space"],
      ];
      for (const [group, problem] of cases) {
        const news = { organizationId: ORG, groups: { [group]: ["rol_0123456789abcdef"] } };
        const { failures } = await impl.groupRoles.check({}, news);
        const path = `groups[${JSON.stringify(group)}]`;
        expect(
          failures?.map((f) => f.property),
          group,
        ).to.deep.equal([path]);
        expect(failures?.[0]?.reason, group).to.match(
          new RegExp(`^${escapeRegExp(path)} \\(the group ID\\) `),
        );
        expect(failures?.[0]?.reason, group).to.contain(problem);
      }
      const { failures } = await impl.groupRoles.check(
        {},
        { organizationId: ORG, groups: {}, groupsSecret: 3 },
      );
      expect(failures).to.deep.equal([
        { property: "groupsSecret", reason: "groupsSecret must be true or false" },
      ]);
    });
  });
});

const holdsUndefined = (v: unknown): boolean =>
  v === undefined || (v !== null && typeof v === "object" && Object.values(v).some(holdsUndefined));

/** The inputs as the engine hands them to the provider: the mocks keep secrets wrapped, the engine does not. */
function asEngineGives(inputs: Props): Props {
  const unwrap = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v === null || typeof v !== "object") return v;
    const o = v as Props;
    if (o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrap(o["value"]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  };
  return unwrap(inputs) as Props;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
