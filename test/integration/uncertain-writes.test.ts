import { expect } from "chai";
import { configureFor, impl, type Stored, up } from "../helpers/drive";
import { startEmulator } from "../helpers/emulator";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { storedClaims } from "../helpers/stored-claims";

const ADA = user(0);

describe("a write whose answer was lost is read again by the next up", function () {
  this.timeout(30_000);
  const ctx = startEmulator(tenant(3, 4));

  it("a removal that landed but was answered 503: the state marks Ada uncertain, and the next plain up reads her and stops claiming the role", async () => {
    ctx.emulator.reset();
    await configureFor(ctx.emulator, { "orgMemberRoles:retryBudget": "0" });
    const first = await up(undefined, { organizationId: ORG, members: { [ADA]: [role(1), role(2)] } });
    impl.startRun();
    const news = { organizationId: ORG, members: { [ADA]: [role(1)] } };
    const checked = await impl.check(first.outputs as unknown as Record<string, unknown>, news);
    ctx.emulator.setFaults({ failOnly: "DELETE", failNext: { count: 1, status: 503 }, failPhase: "after" });
    const err = await impl.update(first.id, first.outputs, checked.inputs).catch((e: Error) => e);
    ctx.emulator.setFaults({});
    expect(err).to.be.instanceOf(Error);
    expect(ctx.emulator.rolesOf(ORG, ADA)).to.deep.equal([role(1)]);
    const partial: Stored = {
      id: first.id,
      outputs: (err as unknown as { properties: Stored["outputs"] }).properties,
    };
    expect(partial.outputs.tenantDiffers?.[ADA]?.uncertain).to.equal(true);
    // The same declaration again: diff sees the uncertainty, update reads Ada (one GET) and records the truth.
    ctx.emulator.resetCounters();
    const after = await up(partial, news);
    expect(ctx.emulator.writes()).to.equal(0);
    expect(storedClaims(after.outputs).holds[ADA]).to.deep.equal([role(1)]);
    expect(after.outputs.tenantDiffers ?? {}).to.deep.equal({});
  });
});
