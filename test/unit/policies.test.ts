import * as auth0 from "@pulumi/auth0";
import type {
  ResourceValidation,
  ResourceValidationArgs,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ourAssignments, stackAssignments, totalsByMember } from "../../policies/assignments";
import { loadMemberRoleClasses, memberRoleClasses } from "../../policies/auth0-classes";
import { effectiveRolesPerMember } from "../../policies/effective-roles-per-member";
import { groupRoleAssignments, oneOwnerPerGroup } from "../../policies/one-owner-per-group";
import { oneOwnerPerMember } from "../../policies/one-owner-per-member";
import {
  auth0DocumentedRoleLimit,
  perResourceValidation,
  rolesPerMember,
  rolesPerMemberInStack,
} from "../../policies/roles-per-member";
import { GROUP_RESOURCE_TYPE_TOKEN, RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { type Registration, recordProgram, settled } from "../helpers/pulumi-mocks";

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

/**
 * What the engine hands the pack for a resource: declared with @pulumi/auth0's own class, under Pulumi's mocks,
 * so its type token and property names are the package's.
 */
let seen: Map<string, Registration>;
async function declared(resource: pulumi.CustomResource): Promise<Res> {
  const urn = await settled(resource.urn);
  await settled(resource.id);
  const name = urn.split("::").at(-1)!;
  const { type, inputs } = seen.get(name)!;
  return { type, name, props: inputs };
}
let declarations = 0;
/** Resource names are unique in a program: the mocks record the last registration of a name. */
const unique = (name: string) => `${name}#${++declarations}`;
const bridgedRoles = (name: string, userId: string, r: string[]) =>
  declared(new auth0.OrganizationMemberRoles(unique(name), { organizationId: ORG, userId, roles: r }));
const bridgedRole = (name: string, userId: string, roleId: string) =>
  declared(new auth0.OrganizationMemberRole(unique(name), { organizationId: ORG, userId, roleId }));

/** As @pulumi/policy's server tells a class's resources (its fallback, the class's own `isInstance`). */
const isTypeOf = (type: string, cls: { isInstance?: (o: unknown) => boolean }) =>
  typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type });

class NotApplicable extends Error {}

function resourceArgs(r: Res, config: object = {}): ResourceValidationArgs {
  const props = unknownCheckingProxy(r.props);
  return {
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:dev::p::${r.parentType ? `${r.parentType}$` : ""}${r.type}::${r.name}`,
    props,
    opts: {} as never,
    isType: (cls: never) => isTypeOf(r.type, cls),
    asType: (cls: never) => (isTypeOf(r.type, cls) ? props : undefined),
    getConfig: () => config as never,
    notApplicable: () => {
      throw new NotApplicable();
    },
  } as unknown as ResourceValidationArgs;
}

/**
 * Runs the policy's validations as @pulumi/policy's server does. A validation declaring itself not applicable
 * throws here: the engine would then report the whole policy not applicable to that resource, not passed.
 */
function validateResource(
  r: Res,
  config: object = {},
  validations = rolesPerMember.validateResource,
): string[] {
  const messages: string[] = [];
  for (const validate of ([] as ResourceValidation[]).concat(validations ?? []))
    validate(resourceArgs(r, config), (m) => messages.push(m));
  return messages;
}

function validateStack(policy: StackValidationPolicy, resources: Res[], config: object = {}): string[] {
  const messages: string[] = [];
  const args = {
    resources: resources.map((r) => resourceArgs(r)),
    getConfig: () => config as never,
  } as unknown as StackValidationArgs;
  (policy.validateStack as (a: StackValidationArgs, rep: (m: string) => void) => void)(args, (m) =>
    messages.push(m),
  );
  return messages;
}

describe("policy pack", () => {
  before(async () => {
    seen = await recordProgram();
  });

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
    it("applies to @pulumi/auth0 OrganizationMemberRoles too, matched by its class", async () => {
      expect(validateResource(await bridgedRoles("b", U, roles(101)))).to.have.length(1);
      expect(validateResource(await bridgedRoles("b", U, roles(100)))).to.deep.equal([]);
    });
    it("reads @pulumi/auth0 resources by the package's names, also with role IDs not known until apply", async () => {
      const b = await bridgedRoles("b", U, roles(100));
      const [message] = validateResource({
        ...b,
        props: { ...b.props, roles: [...roles(100), unknownStringValue] },
      });
      expect(message).to.contain("100 known roles and 1 not known until apply").and.contain(U);
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
    it("passes every other resource without declaring itself not applicable (the engine lists it as passed)", async () => {
      const stack = { type: "pulumi:pulumi:Stack", name: "p-dev", props: {} };
      expect(validateResource(stack)).to.deep.equal([]);
      expect(validateResource(await bridgedRole("one", U, roles(1)[0]!))).to.deep.equal([]);
      expect(() =>
        validateResource(stack, {}, [
          (args) => {
            args.notApplicable("the harness reports this");
          },
        ]),
      ).to.throw(NotApplicable);
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
    it("totals across @pulumi/auth0 OrganizationMemberRoles and OrganizationMemberRole", async () => {
      const messages = validateStack(rolesPerMemberInStack, [
        await bridgedRoles("bulk", U, roles(100)),
        await bridgedRole("one", U, roles(1, 100)[0]!),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("101 roles");
    });
    it("totals across ours and @pulumi/auth0's: 60 in our additive resource and 41 in its OrganizationMemberRole(s)", async () => {
      const theirs = [
        await bridgedRoles("bulk", U, roles(40, 60)),
        await bridgedRole("one", U, roles(1, 100)[0]!),
      ];
      const messages = validateStack(rolesPerMemberInStack, [
        ours("a", { [U]: roles(60) }, "additive"),
        ...theirs,
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("101 roles").and.contain("a, bulk#").and.contain("one#");
      const fewer = [
        await bridgedRoles("bulk", U, roles(39, 60)),
        await bridgedRole("one", U, roles(1, 100)[0]!),
      ];
      expect(
        validateStack(rolesPerMemberInStack, [ours("a", { [U]: roles(60) }, "additive"), ...fewer]),
      ).to.deep.equal([]);
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

  describe("one-owner-per-group (mandatory)", () => {
    const groupsOf = (name: string, groups: Record<string, string[]>, mode?: string): Res => ({
      type: GROUP_RESOURCE_TYPE_TOKEN,
      name,
      props: { organizationId: ORG, groups, ...(mode ? { mode } : {}) },
    });
    it("two OrgGroupRoles on one group, one authoritative, are blocked; two additive pass; members are not groups", () => {
      const [message, ...rest] = validateStack(oneOwnerPerGroup, [
        groupsOf("a", { grp_eng: roles(1) }),
        groupsOf("b", { grp_eng: roles(1, 1) }, "additive"),
      ]);
      expect(message).to.contain("group grp_eng is managed by 2 resources (a, b)");
      expect(rest).to.deep.equal([]);
      expect(
        validateStack(oneOwnerPerGroup, [
          groupsOf("a", { grp_eng: roles(1) }, "additive"),
          groupsOf("b", { grp_eng: roles(1, 1) }, "additive"),
        ]),
      ).to.deep.equal([]);
      expect(
        validateStack(oneOwnerPerGroup, [
          groupsOf("a", { grp_eng: roles(1) }),
          ours("b", { grp_eng: roles(1) }),
        ]),
      ).to.deep.equal([]);
    });
  });

  describe("effective-roles-per-member (advisory): direct roles and those held through groups", () => {
    const withGroups = (direct: number, group: number, overlap = 0): Res => ({
      ...ours("a", { [U]: roles(direct) }),
      props: {
        organizationId: ORG,
        members: { [U]: roles(direct) },
        groupRoles: { [U]: roles(group, direct - overlap) },
      },
    });
    it("60 direct and 41 through groups warn; the mandatory rule counts the 60 direct ones only", () => {
      expect(effectiveRolesPerMember.enforcementLevel).to.equal("advisory");
      const [message, ...rest] = validateStack(effectiveRolesPerMember, [withGroups(60, 41)]);
      expect(message).to.contain("101 roles with those held through groups").and.contain("more than 100");
      expect(rest).to.deep.equal([]);
      expect(validateResource(withGroups(60, 41))).to.deep.equal([]);
    });
    it("a role held both ways counts once; no groupRoles (not read, or secret) warns about nothing", () => {
      expect(validateStack(effectiveRolesPerMember, [withGroups(60, 41, 1)])).to.deep.equal([]);
      expect(validateStack(effectiveRolesPerMember, [ours("a", { [U]: roles(101) })])).to.deep.equal([]);
      expect(
        validateStack(effectiveRolesPerMember, [withGroups(60, 41)], { maxRolesPerMember: 120 }),
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
    it("two resources managing the same member, one authoritative, conflict", async () => {
      const messages = validateStack(oneOwnerPerMember, [
        ours("a", { [U]: roles(1) }),
        await bridgedRoles("b", U, roles(1, 5)),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain(U).and.contain("a, b#");
    });
    it("two resources with the same name under different parents are two owners (grouped by URN)", () => {
      const messages = validateStack(oneOwnerPerMember, [
        under("acme:index:Team", ours("roles", { [U]: roles(1) })),
        under("acme:index:Tenant", ours("roles", { [U]: roles(1, 5) })),
      ]);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain("acme:index:Team").and.contain("acme:index:Tenant");
    });
    it("our resource and @pulumi/auth0's with the same name are two owners", async () => {
      const theirs = await bridgedRoles("acme", U, roles(1, 5));
      expect(validateStack(oneOwnerPerMember, [ours(theirs.name, { [U]: roles(1) }), theirs])).to.have.length(
        1,
      );
    });
    it("additive resources and single-role resources may share a member; other members never conflict", async () => {
      expect(
        validateStack(oneOwnerPerMember, [
          ours("a", { [U]: roles(1) }, "additive"),
          await bridgedRole("r1", U, roles(1)[0]!),
          await bridgedRole("r2", U, roles(1, 1)[0]!),
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

  describe("without @pulumi/auth0 where the pack runs", () => {
    it("the pack loads the package's classes when it is installed", () => {
      expect(memberRoleClasses?.OrganizationMemberRoles).to.equal(auth0.OrganizationMemberRoles);
      expect(memberRoleClasses?.OrganizationMemberRole).to.equal(auth0.OrganizationMemberRole);
    });
    it("a missing package means no classes; any other failure to load it is thrown", () => {
      const missing = Object.assign(new Error("Cannot find module '@pulumi/auth0'"), {
        code: "MODULE_NOT_FOUND",
      });
      expect(
        loadMemberRoleClasses(() => {
          throw missing;
        }),
      ).to.equal(undefined);
      const broken = Object.assign(new Error("Cannot find module './role'"), { code: "MODULE_NOT_FOUND" });
      expect(() =>
        loadMemberRoleClasses(() => {
          throw broken;
        }),
      ).to.throw("./role");
    });
    it("the rules still judge ours, and see no @pulumi/auth0 resource", async () => {
      const validations = perResourceValidation(undefined);
      expect(validateResource(ours("acme", { [U]: roles(101) }), {}, validations)).to.have.length(1);
      const theirs = await bridgedRoles("b", U, roles(101));
      expect(validateResource(theirs, {}, validations)).to.deep.equal([]);
      const args = [ours("a", { [U]: roles(1) }), theirs].map((r) => resourceArgs(r)) as never;
      expect(stackAssignments(args, undefined).map((a) => a.resource)).to.deep.equal(["a"]);
      expect(stackAssignments(args, memberRoleClasses).map((a) => a.resource)).to.deep.equal([
        "a",
        theirs.name,
      ]);
    });
  });
});

describe("policy pack: a secret map's members and groups are never named", () => {
  const source = (name: string, type: string) => ({ name, urn: `urn:pulumi:s::p::${type}::${name}`, type });
  it("totals of a secret members map, and of a secret groups map, show (secret) for the ID", () => {
    const members = ourAssignments(source("a", RESOURCE_TYPE_TOKEN), {
      organizationId: "org_acme000000000001",
      members: { "auth0|69e9cd6013e3dca66bfbca39": ["rol_viewer0000000004"] },
      membersSecret: true,
    });
    expect(totalsByMember(members).map((t) => t.shown)).to.deep.equal(["(secret)"]);
    const groups = groupRoleAssignments([
      {
        ...source("g", GROUP_RESOURCE_TYPE_TOKEN),
        props: {
          organizationId: "org_acme000000000001",
          groups: { grp_engineering00001: ["rol_viewer0000000004"] },
          groupsSecret: true,
        },
      } as never,
    ]);
    expect(totalsByMember(groups).map((t) => t.shown)).to.deep.equal(["(secret)"]);
    const visible = ourAssignments(source("b", RESOURCE_TYPE_TOKEN), {
      organizationId: "org_acme000000000001",
      members: { "auth0|69e9cd6013e3dca66bfbca39": ["rol_viewer0000000004"] },
    });
    expect(totalsByMember(visible).map((t) => t.shown)).to.deep.equal(["auth0|69e9cd6013e3dca66bfbca39"]);
  });
});
