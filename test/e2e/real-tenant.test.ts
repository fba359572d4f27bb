/**
 * A real tenant's contract on the real engine, against the emulator authorising from Auth0's published
 * scopes (emulator/contract.ts): an application with the optional effective-roles scope shows what a
 * member holds through a group; a non-member fails the preview whichever answer the reference allows for it
 * (404 or `200 {"roles": []}`); an 11th role on a group fails the preview with nothing written. The README's
 * two applications (without the optional scope) are in least-privilege.test.ts and group-scopes.test.ts.
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import { OrgMemberRoles } from "../../components/org-member-roles";
import type { EmulatorClient } from "../../emulator/auth";
import { CONTRACT_SCOPES } from "../../emulator/contract";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { DEFAULT_CLIENT } from "../../emulator/server";
import { engineSuite } from "../helpers/engine-suite";
import { ACME, ADA, DEVELOPER, ENGINEERING, GRACE, VIEWER, withOrgRoles } from "../helpers/org-roles-fixture";

/** The README's preview scopes and the optional one, typed from Auth0's reference pages. */
const GROUP_AWARE: EmulatorClient & { clientSecret: string } = {
  clientId: "group-aware-preview",
  clientSecret: "group-aware-preview-secret",
  scopes: [
    "read:organization_member_roles",
    "read:organization_members",
    "read:roles",
    "read:users",
    "read:organization_member_effective_roles",
    "read:organization_group_roles",
  ],
};

describe("a real tenant's contract on the real engine", function () {
  this.timeout(240_000);
  const suite = engineSuite("realtenant", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)), {
    // The emulator's own application, with every published scope, sets the stack up.
    clients: [GROUP_AWARE, { ...DEFAULT_CLIENT, scopes: CONTRACT_SCOPES }],
  });
  const { onOutput, take } = suite;
  let members: Record<string, string[]> = {};
  let groupRoles: string[] = [DEVELOPER];
  const program: PulumiFn = async () => {
    new OrgMemberRoles("acme", { organizationId: ACME, members });
    new OrgGroupRoles("acme-groups", { organizationId: ACME, groups: { [ENGINEERING]: groupRoles } });
  };
  let stack: Stack;
  const useGroupAware = () => {
    stack.workspace.envVars["AUTH0_CLIENT_ID"] = GROUP_AWARE.clientId;
    stack.workspace.envVars["AUTH0_CLIENT_SECRET"] = GROUP_AWARE.clientSecret;
  };

  before(async () => {
    stack = await suite.newStack(program);
    members = { [ADA]: [VIEWER] };
    await stack.up({ onOutput });
    await stack.removeAllConfig(["auth0:clientId", "auth0:clientSecret"]);
    useGroupAware();
  });

  it("with the effective-roles scope, the preview of a change shows what the member holds through a group", async () => {
    members = { [ADA]: [] };
    take();
    suite.emulator.resetCounters();
    await stack.preview({ diff: true, onOutput });
    const preview = take();
    // Ada loses viewer; developer, held through the engineering group, is shown as kept.
    expect(preview).to.contain("groupRoles").and.contain(DEVELOPER);
    expect(preview).to.not.contain("groupRolesUnread");
    expect(suite.emulator.count({ method: "GET", route: "effective-roles", status: 200 })).to.be.greaterThan(
      0,
    );
    expect(suite.emulator.writes()).to.equal(0);
    members = { [ADA]: [VIEWER] };
  });

  for (const answer of ["404", "empty"] as const)
    it(`a non-member fails the preview when effective roles answer a non-member with ${answer}`, async () => {
      suite.emulator.setNonMemberEffectiveRoles(answer);
      suite.emulator.removeMember(ACME, GRACE);
      members = { [ADA]: [VIEWER], [GRACE]: [VIEWER] };
      take();
      const err = await stack.preview({ onOutput }).catch((e: Error) => e);
      expect(err).to.be.instanceOf(Error);
      expect(`${take()}\n${String(err)}`)
        .to.contain(GRACE)
        .and.contain("not a member");
      expect(suite.emulator.writes()).to.equal(0);
      members = { [ADA]: [VIEWER] };
    });

  it("an 11th role on a group fails the preview, naming the group and Auth0's cap, with nothing written", async () => {
    // Checked from the declaration alone, before any read: the IDs need not exist.
    groupRoles = Array.from({ length: 11 }, (_, i) => `rol_groupcap${String(i).padStart(8, "0")}`);
    take();
    suite.emulator.resetCounters();
    const err = await stack.preview({ onOutput }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain(ENGINEERING).and.contain("role assignments per enterprise group");
    expect(suite.emulator.writes()).to.equal(0);
    groupRoles = [DEVELOPER];
  });
});
