/**
 * The governance rules of the policy pack on the real engine (issue 28): each reads its config from
 * `--policy-pack-config`, and a mandatory one stops `pulumi up` before anything reaches the tenant.
 * Policy-pack tests: the Node 22 leg leaves them out (scripts/test-node22.sh, PACK_TESTS).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { PROJECT_ROOT } from "../../scripts/engine";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADA = user(0);
const GRACE = user(1);
const ADMIN = role(1);
const BILLING = role(2);
const DAY = 24 * 60 * 60 * 1000;
const policies = path.join(PROJECT_ROOT, "policies");

describe("governance on the real engine (issue 28)", function () {
  this.timeout(240_000);
  const suite = engineSuite("governance", () => tenant(4, 6));
  const { onOutput, take } = suite;
  beforeEach(() => suite.emulator.reset());
  const configFile = (name: string, config: object) => {
    const file = path.join(suite.tmp, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  };

  // A preview: stack policies judge the whole stack once every resource is registered, so an up that skips
  // its preview (the Automation API's up does) is judged after its writes (docs/guide.md, In a pipeline).
  it("policy pack: a separation-of-duties pair across two resources blocks the preview with nothing written; without its config the rule is off", async () => {
    const stack = await suite.newStack(async () => {
      new OrgMemberRoles("team-a", { organizationId: ORG, mode: "additive", members: { [ADA]: [ADMIN] } });
      new OrgMemberRoles("team-b", { organizationId: ORG, mode: "additive", members: { [ADA]: [BILLING] } });
    });
    const pairs = configFile("pairs", { "separation-of-duties": { pairs: [[BILLING, ADMIN]] } });
    take();
    const err = await stack.preview({ policyPacks: [policies], policyPackConfigs: [pairs], onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(Error);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain("separation-of-duties").and.contain(ADA).and.contain(ADMIN).and.contain(BILLING);
    expect(text).to.contain("team-a, team-b");
    expect(suite.emulator.writes()).to.equal(0);
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([]);
    await stack.preview({ policyPacks: [policies], onOutput });
  });

  it("policy pack: expiry-required and max-holders read roles, days and limits from --policy-pack-config, mandatory or advisory per rule", async () => {
    let adaUntil = new Date(Date.now() + 30 * DAY).toISOString();
    const stack = await suite.newStack(async () => {
      new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: { [ADA]: [{ role: ADMIN, until: adaUntil }], [GRACE]: [BILLING] },
      });
    });
    const config = configFile("governance", {
      "expiry-required": { roles: [ADMIN], maxDays: 7 },
      "max-holders": { enforcementLevel: "advisory", maxHolders: { [ADMIN]: 0 } },
    });
    take();
    const err = await stack.preview({ policyPacks: [policies], policyPackConfigs: [config], onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(Error);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain("expiry-required").and.contain("more than 7 days away").and.contain(ADA);
    adaUntil = new Date(Date.now() + 3 * DAY).toISOString();
    await stack.up({ policyPacks: [policies], policyPackConfigs: [config], onOutput });
    // The advisory rule warned and let the run through.
    expect(take()).to.contain("max-holders").and.contain("more than the 0 allowed");
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
  });
});
