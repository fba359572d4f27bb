/**
 * The compact stored form (src/model/stored-state.ts) on the real engine, including states written before it.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { engineBinDir, engineEnv } from "../../scripts/engine";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADA = user(0);
const GRACE = user(1);

interface StateResource {
  type: string;
  outputs?: Record<string, unknown>;
  additionalSecretOutputs?: string[];
}

describe("stored state on the real engine: ownership stored compactly, and states written before that form", function () {
  this.timeout(240_000);
  const suite = engineSuite("stored", () => tenant(8, 10));
  beforeEach(() => suite.emulator.reset());

  /** `pulumi stack export` as a user runs it: secrets stay ciphertext. */
  const exported = (stackName: string, workDir: string) =>
    execFileSync(path.join(engineBinDir(), "pulumi"), ["stack", "export", "--stack", stackName], {
      cwd: workDir,
      env: {
        ...process.env,
        ...engineEnv({ stateDir: path.join(suite.tmp, "state"), home: path.join(suite.tmp, "home") }),
      },
    }).toString();

  it("a refresh of a state written with a whole `declared` map keeps ownership secret (the names that state marks secret), and the next up compacts it", async () => {
    const program = async () => {
      new OrgMemberRoles("roles", {
        organizationId: ORG,
        members: pulumi.secret({ [ADA]: [role(1), role(2)], [GRACE]: [role(1)] }),
      });
    };
    const stack = await suite.newStack(program);
    await stack.up({ onOutput: suite.onOutput });
    // Rewrite the state as the previous version stored it: ownership whole under `declared`, and
    // `declared` and `tenantDiffers` the secret outputs its `up` registered.
    const deployment = await stack.exportStack();
    const resources = (deployment.deployment as { resources: StateResource[] }).resources;
    const ours = resources.find((r) => r.type.endsWith(":OrgMemberRoles"))!;
    const secret = (value: unknown) => ({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      plaintext: JSON.stringify(value),
    });
    ours.outputs = {
      ...ours.outputs,
      declared: secret({ [ADA]: [role(1), role(2)], [GRACE]: [role(1)] }),
      tenantDiffers: secret({}),
    };
    delete ours.outputs["declaredDiffers"];
    ours.additionalSecretOutputs = ["declared", "tenantDiffers"];
    await stack.importStack(deployment);
    // Ada gains a role outside Pulumi: after the refresh she holds it (`members`) but this resource does not
    // own it, so ownership differs from `members` for her.
    suite.emulator.setRolesOf(ORG, ADA, [role(1), role(2), role(3)]);
    await stack.refresh({ onOutput: suite.onOutput });
    const afterRefresh = exported(stack.name, stack.workspace.workDir);
    expect(afterRefresh).to.contain("ciphertext");
    expect(afterRefresh, "a member ID in clear after the refresh").not.to.contain(ADA);
    // The next up registers the new output names (secret) and writes the compact form.
    await stack.up({ onOutput: suite.onOutput });
    const afterUp = exported(stack.name, stack.workspace.workDir);
    expect(afterUp, "a member ID in clear after the up").not.to.contain(ADA);
    const state = JSON.parse(afterUp) as { deployment: { resources: StateResource[] } };
    const outputs = state.deployment.resources.find((r) => r.type.endsWith(":OrgMemberRoles"))!.outputs!;
    expect(outputs).to.not.have.property("declared");
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([role(1), role(2)]);
  });

  it("the provider stored with each resource is one line, and the state holds ownership only where it differs", async () => {
    const program = async () => {
      new OrgMemberRoles("roles", { organizationId: ORG, members: { [ADA]: [role(1)], [GRACE]: [role(2)] } });
    };
    const stack = await suite.newStack(program);
    await stack.up({ onOutput: suite.onOutput });
    const state = JSON.parse(exported(stack.name, stack.workspace.workDir)) as {
      deployment: { resources: Array<StateResource & { inputs?: Record<string, unknown> }> };
    };
    const ours = state.deployment.resources.find((r) => r.type.endsWith(":OrgMemberRoles"))!;
    expect(String(ours.inputs!["__provider"]).trim().split("\n")).to.have.length(1);
    expect(ours.outputs).to.not.have.property("declared");
    expect(ours.outputs).to.not.have.property("declaredDiffers");
    expect(ours.outputs).to.not.have.property("tenantDiffers");
    await stack.refresh({ onOutput: suite.onOutput });
    await stack.preview({ expectNoChanges: true, onOutput: suite.onOutput });
    await stack.destroy({ onOutput: suite.onOutput });
    expect(suite.emulator.rolesOf(ORG, ADA)).to.deep.equal([]);
  });
});
