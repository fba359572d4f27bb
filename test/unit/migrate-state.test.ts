import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { scratchProject } from "../../scripts/engine";
import { configFromLive, renderConfigYaml } from "../../src/export/config";
import {
  planMigration,
  renderTypeScript,
  type StackExport,
  type StateResource,
} from "../../src/export/migrate-state";
import { BRIDGED_TYPE, bridgedResources, urnOf } from "../helpers/bridged-state";

const run = promisify(execFile);
const STACK = "dev";
const PROJECT = "team";
const ACME = "org_acme000000000001";
const GLOBEX = "org_globex0000000002";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const GRACE = "auth0|69e9cd6013e3dca66bfbca40";
const STACK_URN = urnOf(STACK, PROJECT, "pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);

const stackResource: StateResource = { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack" };
const exportOf = (
  resources: StateResource[],
  extra: Partial<StackExport["deployment"]> = {},
): StackExport => ({
  version: 3,
  deployment: { manifest: { time: "2026-12-01T00:00:00Z" }, resources, ...extra },
});
const bridged = () =>
  bridgedResources(STACK, PROJECT, [
    {
      name: "ada-acme",
      organizationId: ACME,
      userId: ADA,
      roles: ["rol_developer0000003", "rol_admin00000000001"],
    },
    { name: "grace-acme", organizationId: ACME, userId: GRACE, roles: ["rol_viewer0000000004"] },
    { name: "ada-globex", organizationId: GLOBEX, userId: ADA, roles: ["rol_viewer0000000004"] },
  ]);
/** An auth0 resource of another kind, on the same provider (the program keeps it). */
const other = (
  type: string,
  name: string,
  id: string,
  outputs: Record<string, unknown>,
  provider: string,
) => ({
  urn: urnOf(STACK, PROJECT, type, name),
  custom: true,
  id,
  type,
  parent: STACK_URN,
  provider,
  outputs,
});

describe("migrate-from-auth0: the state of @pulumi/auth0 OrganizationMemberRoles as one OrgMemberRoles per organization", () => {
  it("declares each organization's members with the roles the state holds, sorted, and takes the bridged resources and their provider out", () => {
    const resources = [stackResource, ...bridged()];
    const m = planMigration(exportOf(resources));
    expect(m.organizations).to.deep.equal([
      {
        name: ACME,
        organizationId: ACME,
        members: {
          [ADA]: ["rol_admin00000000001", "rol_developer0000003"],
          [GRACE]: ["rol_viewer0000000004"],
        },
      },
      { name: GLOBEX, organizationId: GLOBEX, members: { [ADA]: ["rol_viewer0000000004"] } },
    ]);
    expect(m.removed).to.have.length(4);
    expect(m.state.deployment.resources!.map((r) => r.urn)).to.deep.equal([STACK_URN]);
    expect(m.notes).to.deep.equal([]);
  });

  it("names organizations and aliases roles from the auth0.Organization and auth0.Role resources kept in the state; their provider stays", () => {
    const resources = [stackResource, ...bridged()];
    const provider = `${resources[1]!.urn}::${resources[1]!.id}`;
    const org = other("auth0:index/organization:Organization", "acme", ACME, { name: "acme" }, provider);
    const admin = other(
      "auth0:index/role:Role",
      "admin",
      "rol_admin00000000001",
      { name: "admin" },
      provider,
    );
    // The organization's resource depended on a bridged one: the reference goes with it.
    const dependent = {
      ...org,
      dependencies: [resources[2]!.urn],
      propertyDependencies: { x: [resources[2]!.urn] },
    };
    const m = planMigration(exportOf([...resources, dependent, admin]));
    expect(m.organizations[0]!.name).to.equal("acme");
    expect(m.removed).not.to.include(resources[1]!.urn);
    const kept = m.state.deployment.resources!;
    expect(kept.map((r) => r.type)).to.deep.equal([
      "pulumi:pulumi:Stack",
      "pulumi:providers:auth0",
      "auth0:index/organization:Organization",
      "auth0:index/role:Role",
    ]);
    expect(kept[2]!.dependencies).to.deep.equal([]);
    expect(kept[2]!.propertyDependencies).to.deep.equal({ x: [] });
    const yaml = renderConfigYaml(configFromLive(m.organizations, m.roles), PROJECT);
    expect(yaml).to.contain(`  ${PROJECT}:roles:\n    "admin": "rol_admin00000000001"`);
    expect(yaml).to.contain(`    - name: "acme"\n      organizationId: "${ACME}"`);
    expect(yaml).to.contain(`        "${ADA}": ["admin", "rol_developer0000003"]`);
  });

  it("a copy pending deletion is taken out too (the next up would delete its roles), and protection is pointed out", () => {
    const resources = bridged();
    const old = { ...resources[1]!, delete: true };
    resources[2] = { ...resources[2]!, protect: true };
    const m = planMigration(exportOf([stackResource, ...resources, old]));
    expect(m.state.deployment.resources!.filter((r) => r.type === BRIDGED_TYPE)).to.deep.equal([]);
    expect(m.notes).to.have.length(2);
    expect(m.notes.join("\n")).to.contain("pending deletion").and.contain("protect: true");
    expect(m.organizations[0]!.members[ADA]).to.deep.equal(["rol_admin00000000001", "rol_developer0000003"]);
  });

  it("reads secrets revealed by --show-secrets, and refuses encrypted ones, naming the flag", () => {
    const resources = bridged();
    const secretRoles = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
    resources[1]!.outputs!["roles"] = { ...secretRoles, plaintext: '["rol_viewer0000000004"]' };
    expect(planMigration(exportOf(resources)).organizations[0]!.members[ADA]).to.deep.equal([
      "rol_viewer0000000004",
    ]);
    resources[1]!.outputs!["roles"] = { ...secretRoles, ciphertext: "v1:abc" };
    expect(() => planMigration(exportOf(resources))).to.throw("--show-secrets");
  });

  it("refuses, changing nothing, two bridged resources on one member, and pending operations on one", () => {
    const twice = bridgedResources(STACK, PROJECT, [
      { name: "a", organizationId: ACME, userId: ADA, roles: ["rol_admin00000000001"] },
      { name: "b", organizationId: ACME, userId: ADA, roles: ["rol_viewer0000000004"] },
    ]);
    expect(() => planMigration(exportOf(twice))).to.throw(`both manage ${ADA} in ${ACME}`);
    const resources = bridged();
    const pending = exportOf(resources, {
      pending_operations: [{ resource: resources[1]!, type: "updating" }],
    });
    expect(() => planMigration(pending)).to.throw("pulumi cancel");
  });

  it("the TypeScript declaration compiles against the package with the tsconfig of `pulumi new typescript`", async function () {
    this.timeout(60_000);
    const m = planMigration(exportOf([stackResource, ...bridged()]));
    const source = renderTypeScript(m.organizations);
    expect(source).to.contain(`new OrgMemberRoles("${ACME}", {`);
    const tmp = mkdtempSync(path.join(os.tmpdir(), "org-roles-migrate-ts-"));
    try {
      const dir = scratchProject(path.join(tmp, "p"), { name: "p" });
      // One compile of two files: the declaration, and the same with a typo in an input, which must not pass
      // (so the check is not vacuous).
      writeFileSync(path.join(dir, "index.ts"), source);
      writeFileSync(path.join(dir, "typo.ts"), source.replace("organizationId:", "organisationId:"));
      const config = {
        compilerOptions: { strict: true, module: "commonjs", moduleResolution: "node", noEmit: true },
      };
      writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({ ...config, files: ["index.ts", "typo.ts"] }),
      );
      const tsc = path.join(dir, "node_modules/typescript/bin/tsc");
      const out = await run(process.execPath, [tsc, "-p", dir]).then(
        () => "",
        (err: { stdout: string }) => err.stdout,
      );
      const errors = out.split("\n").filter((line) => /error TS/.test(line));
      expect(errors).to.have.length.greaterThan(0);
      expect(errors.filter((line) => !line.includes("typo.ts("))).to.deep.equal([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
