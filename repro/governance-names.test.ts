/**
 * Break-28 repro: governance config that matches nothing is silently ignored.
 * Run: npx tsc -p repro && npx mocha --no-config dist/repro/governance-names.test.js
 */
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { expect } from "chai";
import { expiryRequiredPolicy } from "../policies/governance/expiry-required";
import { maxHolders } from "../policies/governance/max-holders";
import { separationOfDuties } from "../policies/governance/separation-of-duties";
import { RESOURCE_TYPE_TOKEN } from "../src/pulumi/tokens";

const ORG = "org_acme000000000001";
const ADA = "auth0|ada";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000002";

function run(policy: StackValidationPolicy, members: Record<string, string[]>, config: object): string[] {
  const messages: string[] = [];
  const args = {
    resources: [
      {
        type: RESOURCE_TYPE_TOKEN,
        name: "acme",
        urn: `urn:pulumi:dev::p::${RESOURCE_TYPE_TOKEN}::acme`,
        // Roles declared by ID (no names to resolve), as declareOrganizations' aliases give them.
        props: unknownCheckingProxy({ organizationId: ORG, members, resolved: { users: {}, roles: {} } }),
        isType: () => false,
        asType: () => undefined,
      },
    ],
    getConfig: () => config as never,
  } as unknown as StackValidationArgs;
  (policy.validateStack as (a: StackValidationArgs, r: (m: string) => void) => void)(args, (m) =>
    messages.push(m),
  );
  return messages;
}

describe("break-28: governance config naming roles the stack cannot match", () => {
  it("separation-of-duties by role names, stack declares role IDs: expected a block or a 'matches no role' report", () => {
    const got = run(separationOfDuties, { [ADA]: [ADMIN, BILLING] }, { pairs: [["admin", "billing"]] });
    expect(got, "the rule passed silently: Ada holds both roles").to.not.be.empty;
  });
  it("max-holders with a misspelt role: expected a report that the role matches nothing", () => {
    const got = run(maxHolders, { [ADA]: [ADMIN] }, { maxHolders: { rol_admin0000000001: 0 } });
    expect(got, "the rule passed silently").to.not.be.empty;
  });
  it("expiry-required with a role name the stack never resolved: expected a report", () => {
    const got = run(expiryRequiredPolicy(), { [ADA]: [ADMIN] }, { roles: ["admin"] });
    expect(got, "the rule passed silently: admin granted with no end").to.not.be.empty;
  });
});
