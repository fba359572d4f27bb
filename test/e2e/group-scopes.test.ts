/**
 * Least privilege for OrgGroupRoles on the real engine: the read-only application with the scopes
 * src/api/scopes.ts derives (PREVIEW_SCOPES and GROUP_PREVIEW_SCOPES) previews an OrgGroupRoles, its `up`
 * fails naming the write scopes with nothing sent, and the writing one (APPLY_SCOPES and
 * GROUP_APPLY_SCOPES) applies it.
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import type { EmulatorClient } from "../../emulator/auth";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { APPLY_SCOPES, GROUP_APPLY_SCOPES, GROUP_PREVIEW_SCOPES, PREVIEW_SCOPES } from "../../src/api/scopes";
import { engineSuite } from "../helpers/engine-suite";
import { ACME, DEVELOPER, ENGINEERING, VIEWER, withOrgRoles } from "../helpers/org-roles-fixture";

const READ_ONLY: EmulatorClient & { clientSecret: string } = {
  clientId: "pipeline-preview",
  clientSecret: "read-only-secret-of-the-preview-job",
  scopes: [...PREVIEW_SCOPES, ...GROUP_PREVIEW_SCOPES],
};
const WRITING: EmulatorClient & { clientSecret: string } = {
  clientId: "pipeline-apply",
  clientSecret: "writing-secret-of-the-apply-job",
  scopes: [...APPLY_SCOPES, ...GROUP_APPLY_SCOPES],
};

describe("least privilege for OrgGroupRoles on the real engine: the documented scopes preview and apply it", function () {
  this.timeout(240_000);
  const suite = engineSuite("groupscopes", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)), {
    clients: [READ_ONLY, WRITING],
  });
  const { onOutput, take } = suite;
  const program: PulumiFn = async () =>
    void new OrgGroupRoles("g", { organizationId: ACME, groups: { [ENGINEERING]: [DEVELOPER, VIEWER] } });
  let stack: Stack;
  const use = (app: EmulatorClient & { clientSecret: string }) => {
    stack.workspace.envVars["AUTH0_CLIENT_ID"] = app.clientId;
    stack.workspace.envVars["AUTH0_CLIENT_SECRET"] = app.clientSecret;
  };
  const groupRoles = () => [...suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles].sort();

  it("the read-only application previews, its up fails naming the write scope with nothing written, the writing one applies", async () => {
    stack = await suite.newStack(program);
    await stack.removeAllConfig(["auth0:clientId", "auth0:clientSecret"]);
    use(READ_ONLY);
    await stack.preview({ onOutput });
    expect(suite.emulator.count({ status: 403 })).to.equal(0);
    take();
    const failed = await stack.up({ onOutput }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed).to.be.instanceOf(Error);
    // Read from the token before the first write: both write scopes named, nothing sent.
    const text = take();
    expect(text).to.contain("create:organization_group_roles").and.contain("delete:organization_group_roles");
    expect(text).to.contain("nothing was called");
    expect(suite.emulator.writes()).to.equal(0);
    expect(groupRoles()).to.deep.equal([DEVELOPER]);
    use(WRITING);
    await stack.up({ onOutput });
    expect(groupRoles()).to.deep.equal([DEVELOPER, VIEWER].sort());
    use(READ_ONLY);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });
});
