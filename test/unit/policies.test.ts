import type { ResourceValidationArgs, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { expect } from "chai";
import { oneOwnerPerMember } from "../../policies/one-owner-per-member";
import {
  auth0DocumentedRoleLimit,
  rolesPerMember,
  rolesPerMemberInStack,
} from "../../policies/roles-per-member";
import {
  AUTH0_ORGANIZATION_MEMBER_ROLE_TOKEN,
  AUTH0_ORGANIZATION_MEMBER_ROLES_TOKEN,
  RESOURCE_TYPE_TOKEN,
} from "../../src/pulumi/tokens";

const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: unknown };
const ORG = "org_acme000000000001";
const U = "auth0|69e9cd6013e3dca66bfbca39";
const roles = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `rol_${String(from + i).padStart(16, "0")}`);

interface Res {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Type of the parent component, which the URN carries. */
  parentType?: string;
}
const under = (parentType: string, r: Res): Res => ({ ...r, parentType });
const ours = (name: string, members: Record<string, unknown>, mode?: string): Res => ({
  type: RESOURCE_TYPE_TOKEN,
  name,
  props: { organizationId: ORG, members, ...(mode ? { mode } : {}) },
});
const bridgedRoles = (name: string, userId: string, r: string[]): Res => ({
  type: AUTH0_ORGANIZATION_MEMBER_ROLES_TOKEN,
  name,
  props: { organizationId: ORG, userId, roles: r },
});
const bridgedRole = (name: string, userId: string, roleId: string): Res => ({
  type: AUTH0_ORGANIZATION_MEMBER_ROLE_TOKEN,
  name,
  props: { organizationId: ORG, userId, roleId },
});

function resourceArgs(r: Res, config: object = {}): ResourceValidationArgs {
  return {
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:dev::p::${r.parentType ? `${r.parentType}$` : ""}${r.type}::${r.name}`,
    props: unknownCheckingProxy(r.props),
    opts: {} as never,
    isType: () => false,
    asType: () => undefined,
    getConfig: () => config as never,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as ResourceValidationArgs;
}

function validateResource(r: Res, config: object = {}): string[] {
  const messages: string[] = [];
  (rolesPerMember.validateResource as (a: ResourceValidationArgs, rep: (m: string) => void) => void)(
    resourceArgs(r, config),
    (m) => messages.push(m),
  );
  return messages;
}

function validateStack(policy: StackValidationPolicy, resources: Res[], config: object = {}): string[] {
  const messages: string[] = [];
  const args = {
    resources: resources.map((r) => ({ ...resourceArgs(r), props: unknownCheckingProxy(r.props) })),
    getConfig: () => config as never,
  } as unknown as StackValidationArgs;
  (policy.validateStack as (a: StackValidationArgs, rep: (m: string) => void) => void)(args, (m) =>
    messages.push(m),
  );
  return messages;
}

describe("policy pack", () => {
  describe("roles-per-member (per resource, mandatory)", () => {
    it("100 roles pass, 101 fail with organization, user, count, limit and resource", () => {
      expect(validateResource(ours("acme", { [U]: roles(100) }))).to.deep.equal([]);
      const [message, ...rest] = validateResource(ours("acme", { [U]: roles(101) }));
      expect(rest).to.deep.equal([]);
      expect(message)
        .to.contain(ORG)
        .and.contain(U)
        .and.contain("101 roles")
        .and.contain("100")
        .and.contain("acme");
    });
    it("duplicates are not double-counted", () => {
      expect(validateResource(ours("acme", { [U]: [...roles(100), ...roles(50)] }))).to.deep.equal([]);
    });
    it("applies to @pulumi/auth0 OrganizationMemberRoles too", () => {
      expect(validateResource(bridgedRoles("b", U, roles(101)))).to.have.length(1);
    });
    it("the limit comes from the pack's config", () => {
      expect(validateResource(ours("acme", { [U]: roles(11) }), { maxRolesPerMember: 10 })).to.have.length(1);
      expect(validateResource(ours("acme", { [U]: roles(10) }), { maxRolesPerMember: 10 })).to.deep.equal([]);
    });
    it("unknown role IDs are counted where known and reported honestly, never crash", () => {
      expect(validateResource(ours("acme", { [U]: [...roles(99), unknownStringValue] }))).to.deep.equal([]);
      const [message] = validateResource(
        ours("acme", { [U]: [...roles(100), unknownStringValue, unknownStringValue] }),
      );
      expect(message).to.contain("100 known roles and 2 not known until apply");
      expect(validateResource(ours("acme", { [U]: [...roles(101), unknownStringValue] }))[0]).to.contain(
        "101 roles",
      );
      expect(
        validateResource({
          ...ours("acme", {}),
          props: { organizationId: ORG, members: unknownStringValue },
        }),
      ).to.deep.equal([]);
      expect(
        validateResource({
          ...ours("acme", {}),
          props: { organizationId: unknownStringValue, members: { [U]: roles(101) } },
        }),
      ).to.have.length(1);
    });
    it("ignores other resource types (a validator that must not run)", () => {
      expect(
        validateResource({
          type: "aws:s3/bucket:Bucket",
          name: "b",
          props: { members: { [U]: roles(200) } },
        }),
      ).to.deep.equal([]);
    });
  });

  describe("roles-per-member-in-stack (mandatory)", () => {
    it("totals across two of our resources on the same member", () => {
      const messages = validateStack(rolesPerMemberInStack, [
        ours("a", { [U]: roles(60) }, "additive"),
        ours("b", { [U]: roles(60, 60) }, "additive"),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("120 roles").and.contain("a, b");
    });
    it("totals across @pulumi/auth0 OrganizationMemberRoles and OrganizationMemberRole", () => {
      const messages = validateStack(rolesPerMemberInStack, [
        bridgedRoles("bulk", U, roles(100)),
        bridgedRole("one", U, roles(1, 100)[0]!),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("101 roles");
    });
    it("shared roles across resources are counted once; one resource alone is left to the per-resource rule", () => {
      expect(
        validateStack(rolesPerMemberInStack, [
          ours("a", { [U]: roles(100) }, "additive"),
          ours("b", { [U]: roles(100) }, "additive"),
        ]),
      ).to.deep.equal([]);
      expect(validateStack(rolesPerMemberInStack, [ours("a", { [U]: roles(101) })])).to.deep.equal([]);
    });
  });

  describe("auth0-documented-role-limit (advisory)", () => {
    it("50 pass, 51 warn; limit configurable", () => {
      expect(auth0DocumentedRoleLimit.enforcementLevel).to.equal("advisory");
      expect(validateStack(auth0DocumentedRoleLimit, [ours("a", { [U]: roles(50) })])).to.deep.equal([]);
      expect(validateStack(auth0DocumentedRoleLimit, [ours("a", { [U]: roles(51) })])[0])
        .to.contain("51 roles")
        .and.contain("50");
      expect(
        validateStack(auth0DocumentedRoleLimit, [ours("a", { [U]: roles(51) })], { maxRolesPerMember: 60 }),
      ).to.deep.equal([]);
    });
  });

  describe("roles-per-member-in-stack groups resources by URN, not name", () => {
    it("same-named resources under different parents add up", () => {
      const messages = validateStack(rolesPerMemberInStack, [
        under("acme:index:Team", ours("roles", { [U]: roles(60) })),
        under("acme:index:Tenant", ours("roles", { [U]: roles(60, 60) }, "additive")),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("120 roles");
    });
  });

  describe("one-owner-per-member (mandatory)", () => {
    it("two resources managing the same member, one authoritative, conflict", () => {
      const messages = validateStack(oneOwnerPerMember, [
        ours("a", { [U]: roles(1) }),
        bridgedRoles("b", U, roles(1, 5)),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain(U).and.contain("a, b");
    });
    it("two resources with the same name under different parents are two owners (grouped by URN)", () => {
      const messages = validateStack(oneOwnerPerMember, [
        under("acme:index:Team", ours("roles", { [U]: roles(1) })),
        under("acme:index:Tenant", ours("roles", { [U]: roles(1, 5) })),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("acme:index:Team").and.contain("acme:index:Tenant");
    });
    it("our resource and @pulumi/auth0's with the same name are two owners", () => {
      expect(
        validateStack(oneOwnerPerMember, [
          ours("acme", { [U]: roles(1) }),
          bridgedRoles("acme", U, roles(1, 5)),
        ]),
      ).to.have.length(1);
    });
    it("additive resources and single-role resources may share a member; other members never conflict", () => {
      expect(
        validateStack(oneOwnerPerMember, [
          ours("a", { [U]: roles(1) }, "additive"),
          bridgedRole("r1", U, roles(1)[0]!),
          bridgedRole("r2", U, roles(1, 1)[0]!),
        ]),
      ).to.deep.equal([]);
      expect(
        validateStack(oneOwnerPerMember, [
          ours("a", { [U]: roles(1) }),
          ours("b", { "auth0|other": roles(1) }),
        ]),
      ).to.deep.equal([]);
    });
  });
});
