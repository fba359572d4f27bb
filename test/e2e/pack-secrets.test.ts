/**
 * The policy pack on the real engine never names a secret map's members or groups (a break-26 finding).
 * Run: npm run build && npx mocha --no-config dist/test/e2e/pack-secrets.test.js
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { PROJECT_ROOT } from "../../scripts/engine";
import { engineSuite } from "../helpers/engine-suite";
import { ACME, ACME_OPS, ADA, ENGINEERING, VIEWER, withOrgRoles } from "../helpers/org-roles-fixture";

describe("policy pack messages with secret maps on the real engine", function () {
  this.timeout(240_000);
  const suite = engineSuite("b26pack", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  const { onOutput, take } = suite;
  const policies = path.join(PROJECT_ROOT, "policies");
  beforeEach(() => suite.emulator.reset());

  it("two authoritative owners of a secret group: the violation names no group ID in clear", async () => {
    const stack = await suite.newStack(async () => {
      new OrgGroupRoles("a", { organizationId: ACME, groups: pulumi.secret({ [ENGINEERING]: [VIEWER] }) });
      new OrgGroupRoles("b", { organizationId: ACME, groups: pulumi.secret({ [ENGINEERING]: [ACME_OPS] }) });
    });
    take();
    const err = await stack.preview({ policyPacks: [policies], onOutput }).catch((e: Error) => e);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain("one-owner-per-group").and.contain("group (secret) is managed by 2 resources");
    expect(text).to.not.contain(ENGINEERING);
  });

  it("two authoritative owners of a secret member: the violation names no user ID in clear", async () => {
    const stack = await suite.newStack(async () => {
      new OrgMemberRoles("a", { organizationId: ACME, members: pulumi.secret({ [ADA]: [VIEWER] }) });
      new OrgMemberRoles("b", { organizationId: ACME, members: pulumi.secret({ [ADA]: [ACME_OPS] }) });
    });
    take();
    const err = await stack.preview({ policyPacks: [policies], onOutput }).catch((e: Error) => e);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain("one-owner-per-member").and.contain("user (secret) is managed by 2 resources");
    expect(text).to.not.contain(ADA);
  });
});
