import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { DEFAULT_CLIENT, Emulator, emulatorSettings } from "../../emulator/server";
import {
  configureStack,
  engineBinDir,
  engineEnv,
  openStack,
  PROJECT_ROOT,
  scratchProject,
} from "../../scripts/engine";
import { ORG, role, tenant, user } from "../helpers/fixtures";

describe("end to end: the real Pulumi engine, the dynamic provider plugin, the policy analyzer, the emulator", function () {
  this.timeout(180_000);
  const memberCount = 6;
  let emulator: Emulator;
  let tmp: string;
  let stateDir: string;
  let stack: Stack;
  let desired: Record<string, string[]>;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);
  const program = async () => {
    const r = new OrgMemberRoles("acme", { organizationId: ORG, members: desired });
    return { members: r.members };
  };
  const lastOutput = () => {
    const text = output.join("");
    output.length = 0;
    return text;
  };

  /** Every file of the backend (state, history, backups) is free of the client secret and every token. */
  function expectNoSecretInStateFiles(): void {
    const files = readdirSync(stateDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), "utf8"))
      .join("\n");
    for (const secret of [DEFAULT_CLIENT.clientSecret, ...emulator.issuedTokens])
      expect(files).not.to.contain(secret);
  }

  async function stackIn(workDir: string): Promise<Stack> {
    const s = await openStack({ workDir, stackName: "e2e", stateDir, program, home: path.join(tmp, "home") });
    await configureStack(s, emulatorSettings(emulator.url));
    return s;
  }

  before(async () => {
    // Users 0-5 are members with no roles; user 9 holds a role assigned outside Pulumi.
    emulator = await Emulator.start({ fixture: tenant(10, 110, (i) => (i === 9 ? [7] : [])) });
    tmp = mkdtempSync(path.join(os.tmpdir(), "org-roles-e2e-"));
    stateDir = path.join(tmp, "state");
    desired = Object.fromEntries(
      Array.from({ length: memberCount }, (_, i) => [user(i), [role(1), role(i + 2)]]),
    );
    stack = await stackIn(scratchProject(path.join(tmp, "checkout-a"), { name: "e2e-org-roles" }));
  });

  after(async () => {
    await emulator?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("preview --diff shows each member's roles; up applies them with one POST per member; then no changes", async () => {
    await stack.preview({ diff: true, onOutput });
    const preview = lastOutput();
    for (let i = 0; i < memberCount; i++)
      expect(preview)
        .to.contain(user(i))
        .and.contain(role(i + 2));
    expect(emulator.writes()).to.equal(0);
    emulator.resetCounters();
    const result = await stack.up({ onOutput });
    expect(result.summary.resourceChanges).to.deep.equal({ create: 2 }); // the stack and the resource
    expect(emulator.count({ method: "POST", route: "member-roles" })).to.equal(memberCount);
    expect(emulator.writes()).to.equal(memberCount);
    for (let i = 0; i < memberCount; i++)
      expect(emulator.rolesOf(ORG, user(i))).to.deep.equal([role(1), role(i + 2)]);
    await stack.preview({ expectNoChanges: true, onOutput });
  });

  it("one member changed: the preview shows only that member; up makes only its calls", async () => {
    desired = { ...desired, [user(2)]: [role(1), role(50)] };
    lastOutput();
    await stack.preview({ diff: true, onOutput });
    const preview = lastOutput();
    expect(preview).to.contain(role(50));
    // The CLI prints the whole members map; only the changed member is marked as changing.
    const changedMembers = preview.split("\n").filter((l) => /^\s*[~+-] auth0\|/.test(l));
    expect(changedMembers.length).to.be.greaterThan(0);
    for (const line of changedMembers) expect(line).to.contain(user(2));
    emulator.resetCounters();
    await stack.up({ onOutput });
    // The two writes, and 2 reads: that member once (its effective roles: the direct ones for validation,
    // what a group grants for the preview's groupRoles), the role it gains by ID (not the tenant's 110 roles).
    expect(emulator.writes()).to.equal(2);
    expect(emulator.count({ method: "GET", route: "effective-roles" })).to.equal(1);
    expect(emulator.count({ method: "GET", route: "member-roles" })).to.equal(0);
    expect(emulator.count({ method: "GET", route: "role" })).to.equal(1);
    expect(emulator.apiCalls()).to.equal(4);
    expect(emulator.count({ method: "POST", route: "member-roles" })).to.equal(1);
    expect(emulator.count({ method: "DELETE", route: "member-roles" })).to.equal(1);
    expect(emulator.rolesOf(ORG, user(2))).to.deep.equal([role(1), role(50)]);
  });

  it("roles changed behind Pulumi's back show as drift on preview --refresh; up repairs them", async () => {
    emulator.setRolesOf(ORG, user(0), [role(1), role(2), role(99)]);
    emulator.setRolesOf(ORG, user(1), [role(1)]);
    lastOutput();
    await stack.preview({ diff: true, refresh: true, onOutput });
    const preview = lastOutput();
    expect(preview).to.contain(role(99));
    expect(preview).to.contain(user(1));
    await stack.up({ refresh: true, onOutput });
    expect(emulator.rolesOf(ORG, user(0))).to.deep.equal([role(1), role(2)]);
    expect(emulator.rolesOf(ORG, user(1))).to.deep.equal([role(1), role(3)]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("a 429 storm, then 503s, during up: the tenant still ends as declared", async () => {
    desired = Object.fromEntries(
      Object.entries(desired).map(([u, r], i) => [u, [...r, role(60 + i)].sort()]),
    );
    emulator.setFaults({ storm: { requests: 4, resetInSeconds: 1 } });
    await stack.up({ onOutput });
    emulator.setFaults({ failNext: { count: 3, status: 503 }, failPhase: "after" });
    desired = Object.fromEntries(
      Object.entries(desired).map(([u, r], i) => [u, [...r, role(70 + i)].sort()]),
    );
    await stack.up({ onOutput });
    emulator.setFaults({});
    for (const [u, r] of Object.entries(desired)) expect(emulator.rolesOf(ORG, u)).to.deep.equal(r);
    expect(emulator.count({ status: 429 })).to.equal(4);
    expect(emulator.count({ status: 503 })).to.equal(3);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("neither the client secret nor any access token is in the state or the stack export", async () => {
    // `pulumi stack export` as a user runs it (the Automation API's exportStack adds --show-secrets).
    const exported = execFileSync(
      path.join(engineBinDir(), "pulumi"),
      ["stack", "export", "--stack", "e2e"],
      {
        cwd: stack.workspace.workDir,
        env: { ...process.env, ...engineEnv({ stateDir, home: path.join(tmp, "home") }) },
      },
    ).toString();
    expect(exported).to.contain("ciphertext");
    expect(emulator.issuedTokens.length).to.be.greaterThan(0);
    for (const secret of [DEFAULT_CLIENT.clientSecret, ...emulator.issuedTokens])
      expect(exported).not.to.contain(secret);
    expectNoSecretInStateFiles();
    const state = JSON.parse(exported) as {
      deployment: { resources: Array<{ inputs?: { __provider?: string } }> };
    };
    const providers = state.deployment.resources
      .map((r) => r.inputs?.__provider)
      .filter((p) => p !== undefined);
    expect(providers).to.have.length(1);
    expect(providers[0]).to.contain('require("pulumi-auth0-org-member-roles/provider")');
    expect(providers[0]).not.to.contain(PROJECT_ROOT);
    expect(providers[0]).not.to.contain(tmp);
  });

  it("the engine's logs: no secret at -v=6 with config secrets; none at -v=11 with AUTH0_CLIENT_SECRET", async () => {
    // The Pulumi engine itself prints provider config, decrypted, at verbosity 7 and above (its own debug
    // logging of Configure/CheckConfig). So: config secrets are safe up to -v=6; pipelines that need more
    // verbose logs pass the secret through the environment, which the engine never logs.
    desired = { ...desired, [user(4)]: [role(1), role(80)] };
    const logs: string[] = [];
    const at6 = await stack.up({
      logVerbosity: 6,
      logToStdErr: true,
      refresh: true,
      onOutput: (s: string) => logs.push(s),
    });
    logs.push(at6.stdout, at6.stderr);
    const viaEnv = await openStack({
      workDir: scratchProject(path.join(tmp, "verbose"), { name: "e2e-org-roles" }),
      stackName: "verbose",
      stateDir,
      home: path.join(tmp, "home"),
      program: async () =>
        void new OrgMemberRoles("others", { organizationId: ORG, members: { [user(7)]: [role(3)] } }),
      env: { AUTH0_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret },
    });
    await viaEnv.setAllConfig({
      "auth0:domain": { value: emulator.url },
      "auth0:clientId": { value: DEFAULT_CLIENT.clientId },
    });
    const verbose = {
      logVerbosity: 11,
      logToStdErr: true,
      debug: true,
      onOutput: (s: string) => logs.push(s),
    };
    for (const result of [
      await viaEnv.up(verbose),
      await viaEnv.refresh(verbose),
      await viaEnv.destroy(verbose),
    ])
      logs.push(result.stdout, result.stderr);
    const text = logs.join("\n");
    // The -v=11 logs really were captured: the engine's log of each provider call (CLI 3.248 and 3.276 alike).
    expect(text).to.match(/Provider\[[^\]]+\]\.Delete\(urn:pulumi:verbose::/);
    expect(emulator.rolesOf(ORG, user(7))).to.deep.equal([]);
    for (const secret of [DEFAULT_CLIENT.clientSecret, ...emulator.issuedTokens])
      expect(text).not.to.contain(secret);
  });

  {
    const policies = path.join(PROJECT_ROOT, "policies");
    it("policy pack: 100 roles on a member pass", async () => {
      desired = { ...desired, [user(3)]: Array.from({ length: 100 }, (_, i) => role(i)) };
      emulator.resetCounters();
      lastOutput();
      await stack.preview({ policyPacks: [policies], onOutput });
      expect(lastOutput()).to.contain("auth0-documented-role-limit").and.contain("100 roles"); // advisory only
      expect(emulator.writes()).to.equal(0);
    });
    it("policy pack: 101 fail with the pack's message, before any write", async () => {
      desired = { ...desired, [user(3)]: Array.from({ length: 101 }, (_, i) => role(i)) };
      lastOutput();
      const err = await stack.preview({ policyPacks: [policies], onOutput }).catch((e: Error) => e);
      expect(err).to.be.instanceOf(Error);
      const text = `${lastOutput()}\n${String(err)}`;
      expect(text).to.contain("roles-per-member").and.contain("101 roles").and.contain(user(3));
      expect(emulator.writes()).to.equal(0);
    });
    it("policy pack: --policy-pack-config changes the limit", async () => {
      desired = { ...desired, [user(3)]: Array.from({ length: 60 }, (_, i) => role(i)) };
      await stack.preview({ policyPacks: [policies], onOutput });
      const config = path.join(tmp, "policy-config.json");
      writeFileSync(
        config,
        JSON.stringify({
          "roles-per-member": { maxRolesPerMember: 50 },
          "auth0-documented-role-limit": "disabled",
        }),
      );
      lastOutput();
      const err = await stack
        .preview({ policyPacks: [policies], policyPackConfigs: [config], onOutput })
        .catch((e: Error) => e);
      expect(err).to.be.instanceOf(Error);
      expect(`${lastOutput()}\n${String(err)}`)
        .to.contain("60 roles")
        .and.contain("limit of 50");
      desired = { ...desired, [user(3)]: [role(1), role(5)] };
    });
  }

  it("from another checkout path (first one deleted): refresh, then destroy removes declared roles and nothing else", async () => {
    rmSync(path.join(tmp, "checkout-a"), { recursive: true, force: true });
    const other = await stackIn(
      scratchProject(path.join(tmp, "checkout-b"), { name: "e2e-org-roles", copyPackage: true }),
    );
    await other.refresh({ onOutput });
    emulator.resetCounters();
    await other.destroy({ onOutput });
    for (let i = 0; i < memberCount; i++) expect(emulator.rolesOf(ORG, user(i))).to.deep.equal([]);
    expect(emulator.rolesOf(ORG, user(9))).to.deep.equal([role(7)]);
    expect(emulator.count({ method: "DELETE", route: "member-roles" })).to.equal(memberCount);
    expect(emulator.writes()).to.equal(memberCount);
    expectNoSecretInStateFiles(); // after destroy too
  });
});
