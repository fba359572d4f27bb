/**
 * Sharding on the real engine against one emulator (README "Many organizations"): a shard change moves
 * organizations between two stacks, in either order of the stacks' runs, without a single DELETE, and the
 * new owner then manages them fully. The mechanism: a shard's resources are registered with retainOnDelete
 * at every run, so the engine drops a resource leaving a shard stack without calling our delete.
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { declareOrganizations } from "../../components/from-config";
import { shardOf } from "../../components/shards";
import type { TenantFixture } from "../../emulator/tenant";
import { engineSuite } from "../helpers/engine-suite";

const ORGS = Array.from({ length: 6 }, (_, i) => `org_shardtest000000${i}`);
const ROLE = (i: number) => `rol_shardtest000000${i}`;
const USER = (org: number, j: number) => `auth0|shardtest${org}${j}00000000000`;
const fixture = (): TenantFixture => ({
  organizations: ORGS.map((id, i) => ({ id, name: `customer-${i}`, display_name: `Customer ${i}` })),
  users: ORGS.flatMap((_, i) =>
    [0, 1].map((j) => ({ user_id: USER(i, j), email: `u${i}${j}@example.com`, name: `U ${i}${j}` })),
  ),
  roles: [0, 1, 2].map((i) => ({ id: ROLE(i), name: `role-${i}` })),
  members: Object.fromEntries(ORGS.map((id, i) => [id, { [USER(i, 0)]: [], [USER(i, 1)]: [] }])),
});

describe("shards on the real engine: moving organizations between stacks removes no role", function () {
  this.timeout(300_000);
  const suite = engineSuite("shards", fixture);
  const { onOutput } = suite;
  /** Declared roles: every member holds role 0 and 1; `changed` overrides per organization index. */
  let changed: Record<number, Record<string, string[]>> = {};
  const organizations = () =>
    ORGS.map((organizationId, i) => ({
      organizationId,
      members: changed[i] ?? { [USER(i, 0)]: [ROLE(0), ROLE(1)], [USER(i, 1)]: [ROLE(0), ROLE(1)] },
    }));
  /** A shard stack whose layout (index of count) is read at each run, as from its stack config. */
  const shardStack = (layout: { index: number; count: number }): Promise<Stack> =>
    suite.newStack(async () => {
      declareOrganizations({ organizations: organizations(), shard: { ...layout } }, "test");
    });
  const moving = ORGS.map((id, i) => ({ id, i })).filter(({ id }) => shardOf(id, 2) === 1);
  const everyRoleHeld = () => {
    for (let i = 0; i < ORGS.length; i++)
      for (const j of [0, 1])
        expect(suite.emulator.rolesOf(ORGS[i]!, USER(i, j)), `${ORGS[i]} member ${j}`).to.deep.equal([
          ROLE(0),
          ROLE(1),
        ]);
  };
  const deletes = () => suite.emulator.count({ method: "DELETE" });

  beforeEach(() => {
    suite.emulator.reset();
    changed = {};
  });

  it("the fixture moves some organizations and keeps others when one shard becomes two", () => {
    expect(moving.length).to.be.within(1, ORGS.length - 1);
  });

  for (const order of ["the old owner first", "the new owner first"] as const)
    it(`one shard becomes two, ${order}: no DELETE, every role kept, then the new owner manages the moved organizations`, async () => {
      const a = { index: 0, count: 1 };
      const stackA = await shardStack(a);
      const stackB = await shardStack({ index: 1, count: 2 });
      await stackA.up({ onOutput });
      everyRoleHeld();
      suite.emulator.resetCounters();

      a.count = 2; // the shard change: the organizations hashing to 1 move from A to B
      const runs = order === "the old owner first" ? [stackA, stackB] : [stackB, stackA];
      for (const stack of runs) {
        const result = await stack.up({ onOutput });
        expect(deletes(), `after ${stack.name}`).to.equal(0);
        everyRoleHeld();
        if (stack === stackA) expect(result.summary.resourceChanges).to.include({ delete: moving.length });
        // B's first run also creates its stack resource (pulumi:pulumi:Stack).
        else expect(result.summary.resourceChanges).to.include({ create: moving.length + 1 });
      }
      // Adoption: the moved organizations' roles were held already, so B wrote nothing either.
      expect(suite.emulator.writes()).to.equal(0);
      for (const stack of [stackA, stackB])
        await stack.preview({ expectNoChanges: true, refresh: true, onOutput });

      // The new owner manages a moved organization fully: a role dropped from the declaration leaves.
      const { i } = moving[0]!;
      changed = { [i]: { [USER(i, 0)]: [ROLE(0)], [USER(i, 1)]: [ROLE(0), ROLE(2)] } };
      await stackA.preview({ expectNoChanges: true, onOutput });
      await stackB.up({ onOutput });
      expect(suite.emulator.rolesOf(ORGS[i]!, USER(i, 0))).to.deep.equal([ROLE(0)]);
      expect(suite.emulator.rolesOf(ORGS[i]!, USER(i, 1))).to.deep.equal([ROLE(0), ROLE(2)]);
      expect(deletes()).to.equal(2);
      await stackB.preview({ expectNoChanges: true, refresh: true, onOutput });
    });

  it("two shards become one, the retiring stack destroyed before or after: no DELETE, and the remaining owner manages all", async () => {
    const a = { index: 0, count: 2 };
    const stackA = await shardStack(a);
    const stackB = await shardStack({ index: 1, count: 2 });
    await stackA.up({ onOutput });
    await stackB.up({ onOutput });
    everyRoleHeld();
    suite.emulator.resetCounters();
    // B is retired first (its destroy releases), then A takes every organization.
    await stackB.destroy({ onOutput });
    expect(deletes()).to.equal(0);
    everyRoleHeld();
    a.count = 1;
    await stackA.up({ onOutput });
    expect(deletes()).to.equal(0);
    everyRoleHeld();
    const { i } = moving[0]!;
    changed = { [i]: { [USER(i, 0)]: [ROLE(1)], [USER(i, 1)]: [ROLE(0), ROLE(1)] } };
    await stackA.up({ onOutput });
    expect(suite.emulator.rolesOf(ORGS[i]!, USER(i, 0))).to.deep.equal([ROLE(1)]);
    expect(deletes()).to.equal(1);
    await stackA.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("in a shard, an organization's roles leave by emptying its members (the preview shows each removal); dropping the entry then releases it", async () => {
    let dropped = false;
    const stack = await suite.newStack(async () => {
      const organizations = [
        { organizationId: ORGS[0]!, members: changed[0] ?? { [USER(0, 0)]: [ROLE(0)] } },
        ...(dropped
          ? []
          : [{ organizationId: ORGS[1]!, members: changed[1] ?? { [USER(1, 0)]: [ROLE(0)] } }]),
      ];
      declareOrganizations({ organizations, shard: { index: 0, count: 1 } }, "test");
    });
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORGS[1]!, USER(1, 0))).to.deep.equal([ROLE(0)]);
    changed = { 1: {} };
    suite.take();
    await stack.preview({ diff: true, onOutput });
    expect(suite.take()).to.match(new RegExp(`-.*${USER(1, 0).replace("|", "\\|")}`));
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORGS[1]!, USER(1, 0))).to.deep.equal([]);
    suite.emulator.resetCounters();
    dropped = true;
    await stack.up({ onOutput });
    expect(suite.emulator.count({ method: "DELETE" })).to.equal(0);
    expect(suite.emulator.rolesOf(ORGS[0]!, USER(0, 0))).to.deep.equal([ROLE(0)]);
  });

  it("the main program refuses a misspelt shard key (shards:) before any write: it would declare every organization, unretained", async () => {
    const mainProgram = require("../../index") as PulumiFn;
    const stack = await suite.newStack(mainProgram);
    const ns = "auth0-org-member-roles";
    await stack.setConfig(`${ns}:organizations`, { value: JSON.stringify(organizations()) });
    await stack.setConfig(`${ns}:shards`, { value: JSON.stringify({ index: 0, count: 2 }) });
    suite.take();
    const failed = await stack.up({ onOutput }).catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(Error);
    expect(suite.take())
      .to.contain(`Unknown stack config ${ns}:shards (did you mean ${ns}:shard?)`)
      .and.contain(`${ns}:shard`);
    expect(suite.emulator.writes()).to.equal(0);
  });
});
