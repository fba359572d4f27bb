import { expect } from "chai";
import { Emulator } from "../../emulator/server";
import { syntheticTenant } from "../../emulator/tenant";
import { runCrashTrials } from "../../reliability/crash-trials";
import { FAULT_CASES, OPERATIONS, runTrial } from "../../reliability/fault-matrix";

describe("reliability (CI counts; `npm run reliability` runs the full counts)", function () {
  this.timeout(300_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await Emulator.start({ fixture: syntheticTenant({ members: 1, roles: 1 }) });
  });
  after(async () => {
    await emulator.stop();
  });

  for (const fault of FAULT_CASES)
    for (const operation of OPERATIONS) {
      it(`${fault.name} during ${operation}: the tenant ends as declared, no lost or extra assignment`, async () => {
        const result = await runTrial(emulator, fault, operation, 11);
        expect(result.lost, "lost assignments").to.equal(0);
        expect(result.extra, "extra assignments").to.equal(0);
        expect(result.convergedFirstTime || result.convergedOnRerun).to.equal(true);
        expect(result.errorNamedMembers).to.equal(true);
        expect(result.calls, "calls stay bounded").to.be.below(250);
      });
    }

  it("crash trials: `pulumi up` killed with SIGKILL, recovered as documented, converges (3 trials)", async () => {
    const trials = await runCrashTrials(3);
    for (const t of trials) expect(t.converged, t.error ?? "").to.equal(true);
  });
});
