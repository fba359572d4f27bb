/**
 * Authoritative: a member new to the resource (C, already holding r9 granted outside) is adopted in an update
 * that FAILS for another member. settle() with recordAs = old members drops C's adopted extra (r9) from
 * tenantDiffers (C is not in the recorded `members`, so extras are narrowed to owned roles), but C is now a
 * known user (declared), so the next up does not adopt C again: after that successful up the state says C
 * holds only r3 while the tenant holds r3 and r9. Rule 2: "an adopted member's other roles" are recorded.
 */
import { expect } from "chai";
import { configureFor } from "../helpers/drive";
import { startEmulator } from "../helpers/emulator";
import { type Declared, SimulatedEngine } from "../helpers/engine-model";
import { clone, stateVsTenant } from "../helpers/failed-runs";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const A = user(0);
const C = user(2);

describe("a member adopted in a failed update (break-it round 2)", function () {
  this.timeout(30_000);
  const ctx = startEmulator(tenant(4, 10));

  it("keeps the roles it held before adoption recorded, so the state is the tenant after the next up", async () => {
    const em = ctx.emulator;
    em.reset();
    await configureFor(em, { "orgMemberRoles:retryBudget": "0", "orgMemberRoles:concurrency": "1" });
    const engine = new SimulatedEngine();
    const p0: Declared[] = [
      { name: "x", organizationId: ORG, mode: "authoritative", members: { [A]: [role(1)] } },
    ];
    expect((await engine.up(clone(p0))).ok).to.equal(true);
    em.setRolesOf(ORG, C, [role(9)]);
    const p1 = clone(p0);
    p1[0]!.members[A] = [role(1), role(2)];
    p1[0]!.members[C] = [role(3)];
    const failed = await engine.up(clone(p1), () =>
      em.setFaults({ failOnly: "POST", failNext: { count: 1, status: 503 }, failPhase: "before" }),
    );
    em.setFaults({});
    expect(failed.ok).to.equal(false);
    expect(em.rolesOf(ORG, A)).to.deep.equal([role(1)]); // A's POST was the one that failed
    expect(em.rolesOf(ORG, C)).to.deep.equal([role(3), role(9)]);
    const ok = await engine.up(clone(p1));
    expect(ok.ok, ok.error?.message).to.equal(true);
    expect(stateVsTenant(engine, em)).to.deep.equal([]);
  });
});
