import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { assertionClient, DEFAULT_CLIENT, Emulator, emulatorAssertionSettings } from "../../emulator/server";
import { configureStack, engineBinDir, engineEnv, openStack, scratchProject } from "../../scripts/engine";
import { ORG, role, tenant, user } from "../helpers/fixtures";

describe("end to end with Private Key JWT: auth0:clientAssertionPrivateKey as a stack secret, the real engine, the emulator", function () {
  this.timeout(180_000);
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  /** The key's base64 lines: a key stored re-wrapped or escaped would still show them. */
  const pemLines = pem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
  let emulator: Emulator;
  let tmp: string;
  let stateDir: string;
  let workDir: string;
  let stack: Stack;
  let desired: Record<string, string[]>;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);

  /** Everything that must hold no credential: the key, an assertion, an access token. */
  function expectNoCredentialIn(text: string, where: string): void {
    expect(text, `${where}: the PEM`).not.to.contain(pem.trim());
    for (const line of pemLines) expect(text, `${where}: a line of the PEM`).not.to.contain(line);
    for (const assertion of emulator.acceptedAssertions)
      expect(text, `${where}: an assertion`).not.to.contain(assertion);
    for (const token of emulator.issuedTokens) expect(text, `${where}: a token`).not.to.contain(token);
  }

  /** Every file of the backend: state, history, backups, locks. */
  function stateFiles(): string {
    return readdirSync(stateDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), "utf8"))
      .join("\n");
  }

  before(async () => {
    emulator = await Emulator.start({
      fixture: tenant(6, 20),
      clients: [
        DEFAULT_CLIENT,
        assertionClient(publicKey.export({ type: "spki", format: "pem" }).toString()),
      ],
    });
    tmp = mkdtempSync(path.join(os.tmpdir(), "org-roles-e2e-jwt-"));
    stateDir = path.join(tmp, "state");
    workDir = scratchProject(path.join(tmp, "project"), { name: "e2e-org-roles-jwt" });
    desired = { [user(0)]: [role(1), role(2)], [user(1)]: [role(3)], [user(2)]: [role(4)] };
    stack = await openStack({
      workDir,
      stackName: "jwt",
      stateDir,
      home: path.join(tmp, "home"),
      program: async () => {
        const r = new OrgMemberRoles("acme", { organizationId: ORG, members: desired });
        return { members: r.members };
      },
    });
    await configureStack(stack, emulatorAssertionSettings(emulator.url, pem, "RS256"));
  });

  after(async () => {
    await emulator?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("the key is stored encrypted in the stack's config file, not in clear", () => {
    const settingsFile = readFileSync(path.join(workDir, "Pulumi.jwt.yaml"), "utf8");
    expect(settingsFile).to.match(/auth0:clientAssertionPrivateKey:\s*\n\s*secure:/);
    expectNoCredentialIn(settingsFile, "Pulumi.jwt.yaml");
  });

  it("up applies the roles with tokens obtained by client assertion only; a second preview shows no change", async () => {
    const result = await stack.up({ onOutput });
    expect(result.summary.resourceChanges).to.deep.equal({ create: 2 });
    for (const [u, roles] of Object.entries(desired)) expect(emulator.rolesOf(ORG, u)).to.deep.equal(roles);
    expect(emulator.acceptedAssertions.length).to.be.greaterThan(0);
    expect(emulator.count({ route: "token", status: 200 })).to.equal(emulator.acceptedAssertions.length);
    expect(emulator.count({ route: "token", status: 401 })).to.equal(0);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
  });

  it("an update and a destroy work the same way", async () => {
    desired = { ...desired, [user(1)]: [role(3), role(5)] };
    await stack.up({ onOutput });
    expect(emulator.rolesOf(ORG, user(1))).to.deep.equal([role(3), role(5)]);
    await stack.destroy({ onOutput });
    for (const u of Object.keys(desired)) expect(emulator.rolesOf(ORG, u)).to.deep.equal([]);
    expect(emulator.count({ route: "token", status: 401 })).to.equal(0);
  });

  it("the PEM, the assertions and the tokens appear nowhere: state files, stack export, engine output", () => {
    expect(emulator.acceptedAssertions.length).to.be.greaterThan(1);
    const state = stateFiles();
    expect(state).to.contain(role(5)); // the files read are the stack's: its history holds the update
    expectNoCredentialIn(state, "the state directory");
    // `pulumi stack export` as a user runs it (the Automation API's exportStack adds --show-secrets).
    const exported = execFileSync(
      path.join(engineBinDir(), "pulumi"),
      ["stack", "export", "--stack", "jwt"],
      {
        cwd: workDir,
        env: { ...process.env, ...engineEnv({ stateDir, home: path.join(tmp, "home") }) },
      },
    ).toString();
    expect(JSON.parse(exported)).to.have.property("deployment");
    expectNoCredentialIn(exported, "pulumi stack export");
    expectNoCredentialIn(output.join(""), "the engine's output");
  });
});
