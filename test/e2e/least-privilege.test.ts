/**
 * The pipeline's two Auth0 applications on the real engine (README "In a pipeline"): the read-only one (the
 * scopes of src/api/scopes.ts) previews fully, refresh, validation and names included, and its `up` fails
 * naming the missing scope with nothing written; the writing one applies the same change. Credentials come
 * from the environment, as the workflow passes them to its one step.
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import type { EmulatorClient } from "../../emulator/auth";
import { previewJson } from "../../scripts/preview-json";
import { APPLY_SCOPES, PREVIEW_SCOPES } from "../../src/api/scopes";
import { summarisePreview } from "../../src/summary";
import { driftVerdict } from "../../src/summary/drift";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const READ_ONLY: EmulatorClient & { clientSecret: string } = {
  clientId: "pipeline-preview",
  clientSecret: "read-only-secret-of-the-preview-job",
  scopes: [...PREVIEW_SCOPES],
};
const WRITING: EmulatorClient & { clientSecret: string } = {
  clientId: "pipeline-apply",
  clientSecret: "writing-secret-of-the-apply-job",
  scopes: [...APPLY_SCOPES],
};

describe("least privilege on the real engine: a read-only application previews, only the writing one applies", function () {
  this.timeout(240_000);
  const suite = engineSuite("leastpriv", () => tenant(6, 10), { clients: [READ_ONLY, WRITING] });
  const { onOutput, take } = suite;
  // Four members, so that a refresh reads the members listing (the one-by-one reads stop at three).
  let members: Record<string, string[]> = {
    [user(0)]: [role(1)],
    [user(1)]: [role(2)],
    [user(2)]: [role(3)],
    [user(3)]: [role(4)],
  };
  const program: PulumiFn = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
  let stack: Stack;
  const held = () =>
    Object.fromEntries([0, 1, 2, 3, 4].map((i) => [i, suite.emulator.rolesOf(ORG, user(i))]));

  /** As the workflow does: the application in the step's environment, none in the stack config. */
  function useApplication(app: EmulatorClient & { clientSecret: string }): void {
    stack.workspace.envVars["AUTH0_CLIENT_ID"] = app.clientId;
    stack.workspace.envVars["AUTH0_CLIENT_SECRET"] = app.clientSecret;
  }

  before(async () => {
    stack = await suite.newStack(program);
    await stack.removeAllConfig(["auth0:clientId", "auth0:clientSecret"]);
    useApplication(WRITING);
    await stack.up({ onOutput });
  });

  it("the read-only application previews a change fully (refresh, validation, names) and the preview shows it", async () => {
    members = {
      [user(0)]: [role(1), "role-5"], // a role by name
      [user(1)]: [role(6)], // loses role 2
      [user(2)]: [role(3)],
      [user(3)]: [role(4)],
      "user4@example.com": ["role-7"], // a member by email
    };
    useApplication(READ_ONLY);
    suite.emulator.resetCounters();
    take();
    await stack.preview({ diff: true, refresh: true, onOutput });
    const preview = take();
    expect(preview).to.contain(role(5)).and.contain(role(6)).and.contain(user(4)).and.contain(role(7));
    expect(suite.emulator.count({ status: 403 })).to.equal(0);
    // Every read the preview makes, each allowed by one of the read-only scopes. Effective roles need a scope
    // of their own (Auth0's reference page), which the README lists as optional: the token lacks it, so no
    // effective-roles call is made, member roles are read instead, and the preview says so once.
    for (const route of ["member-roles", "members", "roles", "users-by-email"] as const)
      expect(suite.emulator.count({ method: "GET", route, status: 200 }), route).to.be.greaterThan(0);
    expect(suite.emulator.count({ route: "effective-roles" })).to.equal(0);
    expect(preview).to.contain("read:organization_member_effective_roles");
    expect(suite.emulator.writes()).to.equal(0);
  });

  it("up with the read-only application fails naming the missing scopes, and the tenant is unchanged", async () => {
    const before = held();
    suite.emulator.resetCounters();
    take();
    const err = await stack.up({ onOutput }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    const text = `${take()}\n${String(err)}`;
    // Read from the token before the first write: both scopes named at once, and no write sent at all.
    expect(text)
      .to.contain("create:organization_member_roles")
      .and.contain("delete:organization_member_roles");
    expect(text).to.contain("nothing was called");
    expect(suite.emulator.writes()).to.equal(0);
    expect(suite.emulator.count({ status: 403 })).to.equal(0);
    expect(held()).to.deep.equal(before);
  });

  it("the same up with the writing application converges; then nothing to change", async () => {
    useApplication(WRITING);
    await stack.up({ onOutput });
    expect(held()).to.deep.equal({
      0: [role(1), role(5)],
      1: [role(6)],
      2: [role(3)],
      3: [role(4)],
      4: [role(7)],
    });
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("drift watch with the read-only application: exit 7 and a member-by-member summary on drift, 0 once repaired", async () => {
    suite.emulator.setRolesOf(ORG, user(2), [role(3), role(9)]); // granted outside Pulumi
    useApplication(READ_ONLY);
    suite.emulator.resetCounters();
    const drifted = await previewJson(stack, { refresh: true, expectNoChanges: true, diff: true }, "events");
    expect(drifted.exitCode).to.equal(7);
    expect(driftVerdict(drifted.text, drifted.exitCode)).to.deep.include({ verdict: "drift", changes: 1 });
    const summary = summarisePreview(drifted.text).summary.markdown;
    expect(summary).to.contain(user(2)).and.contain(role(9)).and.contain("assigned outside Pulumi");
    expect(suite.emulator.writes()).to.equal(0);

    useApplication(WRITING);
    await stack.up({ refresh: true, onOutput });
    useApplication(READ_ONLY);
    const clean = await previewJson(stack, { refresh: true, expectNoChanges: true }, "events");
    expect(clean.exitCode).to.equal(0);
    expect(driftVerdict(clean.text, clean.exitCode).verdict).to.equal("clean");
  });

  it("drift watch with a broken credential: an error, not drift and not clean", async () => {
    stack.workspace.envVars["AUTH0_CLIENT_SECRET"] = "revoked";
    const failed = await previewJson(stack, { refresh: true, expectNoChanges: true }, "events");
    expect(failed.exitCode).to.not.equal(0).and.not.equal(7);
    expect(driftVerdict(failed.text, failed.exitCode).verdict).to.equal("error");
    useApplication(READ_ONLY);
  });
});
