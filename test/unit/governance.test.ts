import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { expect } from "chai";
import { effectiveRolesPerMember } from "../../policies/effective-roles-per-member";
import { expiryRequiredPolicy } from "../../policies/governance/expiry-required";
import { maxHolders } from "../../policies/governance/max-holders";
import { separationOfDuties } from "../../policies/governance/separation-of-duties";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";

const ORG = "org_acme000000000001";
const ADA = "auth0|ada";
const GRACE = "auth0|grace";
const LIN = "auth0|lin";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000002";
const NOW = Date.UTC(2026, 11, 1);
const DAY = 24 * 3600 * 1000;

interface Res {
  type: string;
  name: string;
  props: Record<string, unknown>;
}
const ours = (name: string, members: Record<string, string[]>, extra: Record<string, unknown> = {}): Res => ({
  type: RESOURCE_TYPE_TOKEN,
  name,
  props: { organizationId: ORG, members, ...extra },
});

/** Runs a stack policy as @pulumi/policy's server does, with `config` as --policy-pack-config gives it. */
function validateStack(policy: StackValidationPolicy, resources: Res[], config: object): string[] {
  const messages: string[] = [];
  const args = {
    resources: resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: `urn:pulumi:dev::p::${r.type}::${r.name}`,
      props: unknownCheckingProxy(r.props),
      isType: () => false,
      asType: () => undefined,
    })),
    getConfig: () => config as never,
  } as unknown as StackValidationArgs;
  (policy.validateStack as (a: StackValidationArgs, rep: (m: string) => void) => void)(args, (m) =>
    messages.push(m),
  );
  return messages;
}

describe("governance rules of the policy pack (issue 28)", () => {
  describe("separation-of-duties", () => {
    const pairs = [["billing", ADMIN]];
    const resolved = { users: {}, roles: { billing: BILLING } };
    it("counts every resource of the stack: a pair split over two resources fails, naming both resources, member and roles", () => {
      const messages = validateStack(
        separationOfDuties,
        [
          ours("team-a", { [ADA]: [ADMIN] }),
          ours("team-b", { [ADA]: [BILLING] }, { mode: "additive", resolved }),
        ],
        { pairs },
      );
      expect(messages).to.have.length(1);
      expect(messages[0])
        .to.include(ADA)
        .and.include("billing")
        .and.include(ADMIN)
        .and.include("team-a, team-b");
    });
    it("one role of the pair passes; no pairs configured: off", () => {
      expect(
        validateStack(separationOfDuties, [ours("a", { [ADA]: [ADMIN], [GRACE]: [BILLING] }, { resolved })], {
          pairs,
        }),
      ).to.deep.equal([]);
      expect(validateStack(separationOfDuties, [ours("a", { [ADA]: [ADMIN, BILLING] })], {})).to.deep.equal(
        [],
      );
    });
    it("counts a role the preview read the member holds through a group: a pair completed by a group fails", () => {
      const messages = validateStack(
        separationOfDuties,
        [ours("team-a", { [ADA]: [ADMIN] }, { groupRoles: { [ADA]: [BILLING] }, resolved })],
        { pairs },
      );
      expect(messages).to.have.length(1);
      expect(messages[0]).to.include(ADA).and.include("team-a (through groups)");
    });
    it("never names a secret member", () => {
      const [message] = validateStack(
        separationOfDuties,
        [ours("a", { [ADA]: [ADMIN, BILLING] }, { membersSecret: true, resolved })],
        { pairs },
      );
      expect(message).to.include("(a secret member)").and.not.include(ADA);
    });
  });

  describe("max-holders", () => {
    it("more holders than allowed in one organization fail, naming the role, the count and the members", () => {
      const resources = [
        ours("a", { [ADA]: [ADMIN], [GRACE]: [ADMIN] }),
        ours("b", { [LIN]: [ADMIN] }, { mode: "additive" }),
      ];
      const [message, ...rest] = validateStack(maxHolders, resources, { maxHolders: { [ADMIN]: 2 } });
      expect(rest).to.deep.equal([]);
      expect(message).to.include("3 members").and.include(ADMIN).and.include(LIN).and.include("a, b");
      expect(validateStack(maxHolders, resources, { maxHolders: { [ADMIN]: 3 } })).to.deep.equal([]);
    });
    it("masks secret members", () => {
      const [message] = validateStack(maxHolders, [ours("a", { [ADA]: [ADMIN] }, { membersSecret: true })], {
        maxHolders: { [ADMIN]: 0 },
      });
      expect(message).to.include("(a secret member)").and.not.include(ADA);
    });
  });

  describe("expiry-required (on a fake clock)", () => {
    const policy = expiryRequiredPolicy(() => NOW);
    const config = { roles: [ADMIN], maxDays: 7 };
    const until = (ms: number) => ({ until: { [ADA]: { [ADMIN]: new Date(ms).toISOString() } } });
    it("a listed role without an end fails; with an end within maxDays it passes; further away it fails", () => {
      const [missing] = validateStack(policy, [ours("a", { [ADA]: [ADMIN] })], config);
      expect(missing).to.include(ADA).and.include(ADMIN).and.include("must be granted with an end");
      expect(
        validateStack(policy, [ours("a", { [ADA]: [ADMIN] }, until(NOW + 6 * DAY))], config),
      ).to.deep.equal([]);
      const [far] = validateStack(policy, [ours("a", { [ADA]: [ADMIN] }, until(NOW + 8 * DAY))], config);
      expect(far).to.include("more than 7 days away");
    });
    it("a secret member's end is not named in the message (the state keeps it encrypted)", () => {
      const [far] = validateStack(
        policy,
        [ours("a", { [ADA]: [ADMIN] }, { membersSecret: true, ...until(NOW + 8 * DAY) })],
        config,
      );
      expect(far).to.include("more than 7 days away").and.include("(a secret member)");
      expect(far).not.to.include(new Date(NOW + 8 * DAY).toISOString().slice(0, 10));
    });
    it("other roles, and no roles configured, pass", () => {
      expect(validateStack(policy, [ours("a", { [ADA]: [BILLING] })], config)).to.deep.equal([]);
      expect(validateStack(policy, [ours("a", { [ADA]: [ADMIN] })], {})).to.deep.equal([]);
    });
  });
  describe("config that would leave a rule silently off", () => {
    it("an unknown key (pair for pairs) is reported, naming the rule, the key and the valid keys", () => {
      const [message, ...rest] = validateStack(separationOfDuties, [ours("a", { [ADA]: [ADMIN, BILLING] })], {
        pair: [[BILLING, ADMIN]],
      });
      expect(rest).to.deep.equal([]);
      expect(message).to.include("separation-of-duties").and.include('"pair"').and.include("pairs");
      expect(validateStack(maxHolders, [], { maxHolder: { [ADMIN]: 1 } })[0]).to.include('"maxHolder"');
      expect(
        validateStack(
          expiryRequiredPolicy(() => NOW),
          [],
          { role: [ADMIN] },
        )[0],
      ).to.include('"role"');
    });
    it("a role name no resource resolved is reported with the fix (the role's ID); a resolved name or an ID is not", () => {
      const stack = [ours("a", { [ADA]: [ADMIN, BILLING] })];
      const [pair] = validateStack(separationOfDuties, stack, { pairs: [["admin", BILLING]] });
      expect(pair).to.include('"admin"').and.include("write the role's ID");
      const [holders] = validateStack(maxHolders, stack, { maxHolders: { admin: 0 } });
      expect(holders).to.include('"admin"');
      const [ends] = validateStack(
        expiryRequiredPolicy(() => NOW),
        stack,
        { roles: ["admin"] },
      );
      expect(ends).to.include('"admin"');
      const resolved = { users: {}, roles: { admin: ADMIN } };
      const named = [ours("a", { [ADA]: [ADMIN, BILLING] }, { resolved })];
      const messages = validateStack(separationOfDuties, named, { pairs: [["admin", BILLING]] });
      expect(messages).to.have.length(1);
      expect(messages[0]).to.include("would hold both");
    });
    it("a pair naming one role twice is reported once as config, not as every holder holding 'both'", () => {
      const messages = validateStack(separationOfDuties, [ours("a", { [ADA]: [ADMIN], [GRACE]: [ADMIN] })], {
        pairs: [[ADMIN, ADMIN]],
      });
      expect(messages).to.have.length(1);
      expect(messages[0]).to.include("names one role twice");
    });
  });

  describe("effective-roles-per-member", () => {
    it("never names a secret member whose group-held roles take it past the limit", () => {
      const direct = Array.from({ length: 2 }, (_, i) => `rol_direct00000000${i}`);
      const held = Array.from({ length: 2 }, (_, i) => `rol_group000000000${i}`);
      const [message] = validateStack(
        effectiveRolesPerMember,
        [ours("a", { [ADA]: direct }, { membersSecret: true, groupRoles: { [ADA]: held } })],
        { maxRolesPerMember: 3 },
      );
      expect(message).to.include("(secret)").and.not.include(ADA);
    });
  });
});
