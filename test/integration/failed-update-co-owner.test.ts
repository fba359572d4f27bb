/**
 * Finding: a member dropped from an additive resource while an additive co-owner declares it ("movedAway")
 * is `release`d even when the update FAILED (another member failed). recordAs keeps the old `members`, which
 * still show the member with the role this run removed, but release() dropped the tenantDiffers entry that
 * said it was missing: the state claims a role the tenant lacks. A revert then never gives it back.
 */
import { expect } from "chai";
import { configureFor } from "../helpers/drive";
import { startEmulator } from "../helpers/emulator";
import { type Declared, SimulatedEngine } from "../helpers/engine-model";
import { clone, converged, expectShown, stateVsTenant } from "../helpers/failed-runs";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { storedClaims } from "../helpers/stored-claims";

const A = user(0);
const B = user(1);

describe("a co-owned member dropped in a failed update (break-it round 2)", function () {
  this.timeout(30_000);
  const ctx = startEmulator(tenant(4, 6));

  it("keeps what the failed update removed recorded (not released), and a revert gives the role back", async () => {
    const em = ctx.emulator;
    em.reset();
    await configureFor(em, { "orgMemberRoles:retryBudget": "0" });
    const engine = new SimulatedEngine();
    const program: Declared[] = [
      {
        name: "x",
        organizationId: ORG,
        mode: "additive",
        members: { [A]: [role(1), role(2)], [B]: [role(3)] },
      },
      { name: "y", organizationId: ORG, mode: "additive", members: { [A]: [role(1)] } },
    ];
    expect((await engine.up(clone(program))).ok).to.equal(true);
    expect(em.rolesOf(ORG, A)).to.deep.equal([role(1), role(2)]);

    // x drops A (r2 is x's alone: shown leaving, and removed) and gives B r4, whose POST fails.
    const next: Declared[] = clone(program);
    delete next[0]!.members[A];
    next[0]!.members[B] = [role(3), role(4)];
    let from = em.requests.length;
    const failed = await engine.up(clone(next), () =>
      em.setFaults({ failOnly: "POST", failNext: { count: 1, status: 503 }, failPhase: "before" }),
    );
    em.setFaults({});
    expect(failed.ok).to.equal(false);
    expectShown(em, from, failed, "failed up");
    expect(em.rolesOf(ORG, A)).to.deep.equal([role(1)]); // r2 really left

    const xState = storedClaims(engine.resources.get("x")!.outputs);
    // Rule 3: after a failed up the state records what reached the tenant.
    const problems: string[] = [];
    if (xState.holds[A]?.includes(role(2))) problems.push("after the failed up x's state says A holds r2");
    problems.push(...stateVsTenant(engine, em));

    // The team reverts x (A back with r1, r2); the next up must converge.
    from = em.requests.length;
    const revert = await engine.up(clone(program));
    expect(revert.ok, revert.error?.message).to.equal(true);
    expectShown(em, from, revert, "revert");
    problems.push(...converged(program, em).map((p) => `after the revert: ${p}`));
    expect(problems).to.deep.equal([]);
  });
});
