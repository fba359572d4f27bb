/**
 * The move from @pulumi/auth0's OrganizationMemberRoles through the real engine, with the commands of
 * docs/guide.md: a stack whose state holds the bridged resources (crafted with `pulumi stack import`, since their
 * plugin is not served here), `pulumi stack export`, `npm run migrate-from-auth0`, `pulumi stack import`, then
 * `up` of one OrgMemberRoles per organization against the emulator: no role written, none removed.
 */
import { execFile } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { engineBinDir, engineEnv, PROJECT_ROOT } from "../../scripts/engine";
import type { StackExport } from "../../src/export/migrate-state";
import { BRIDGED_TYPE, bridgedResources } from "../helpers/bridged-state";
import { engineSuite } from "../helpers/engine-suite";

const run = promisify(execFile);
const ACME = "org_acme000000000001";
const GLOBEX = "org_globex0000000002";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const GRACE = "auth0|69e9cd6013e3dca66bfbca40";
const ALAN = "google-oauth2|115015401343387192604";
const LINUS = "auth0|69e9cd6013e3dca66bfbca43";
const KEN = "auth0|69e9cd6013e3dca66bfbca42";

describe("migrate-from-auth0 through the real engine: the bridged resources leave the state, and up adopts with no write", function () {
  this.timeout(300_000);
  const suite = engineSuite("migrate", () => loadFixture(DEFAULT_SEED_PATH));
  // The program before the move declares nothing of ours (the bridged resources are in the state only); after
  // it, the project's own program: the organizations of the stack config the migration wrote.
  let migrated = false;
  const program = async () => (migrated ? require(path.join(PROJECT_ROOT, "dist/index.js"))() : {});

  it("zero POST and zero DELETE, the tenant unchanged, no @pulumi/auth0 resource or provider left in the state", async () => {
    suite.emulator.setRolesOf(ACME, ADA, ["rol_admin00000000001", "rol_developer0000003"]);
    suite.emulator.setRolesOf(ACME, GRACE, ["rol_viewer0000000004"]);
    const stack = await suite.newStack(program);
    await stack.up({ onOutput: suite.onOutput });
    const workDir = stack.workspace.workDir;
    const env = {
      ...process.env,
      ...engineEnv({ stateDir: path.join(suite.tmp, "state"), home: path.join(suite.tmp, "home") }),
    };
    const pulumi = (...args: string[]) =>
      run(path.join(engineBinDir(), "pulumi"), [...args, "--stack", stack.name], { cwd: workDir, env });
    const file = (name: string) => path.join(workDir, name);
    const stateOf = async () => {
      await pulumi("stack", "export", "--file", file("now.json"));
      return JSON.parse(readFileSync(file("now.json"), "utf8")) as StackExport;
    };

    // What @pulumi/auth0 3.49.0 would have left: one OrganizationMemberRoles per member, behind its provider.
    const crafted = await stateOf();
    const stackUrn = crafted.deployment.resources![0]!.urn;
    const [, project] = stackUrn.split("::");
    crafted.deployment.resources!.push(
      ...bridgedResources(
        stack.name,
        project!,
        [
          {
            name: "ada-acme",
            organizationId: ACME,
            userId: ADA,
            roles: ["rol_admin00000000001", "rol_developer0000003"],
          },
          { name: "grace-acme", organizationId: ACME, userId: GRACE, roles: ["rol_viewer0000000004"] },
          { name: "alan-acme", organizationId: ACME, userId: ALAN, roles: ["rol_viewer0000000004"] },
          { name: "linus-acme", organizationId: ACME, userId: LINUS, roles: ["rol_support000000005"] },
          { name: "ken-globex", organizationId: GLOBEX, userId: KEN, roles: ["rol_admin00000000001"] },
        ],
        { parent: stackUrn },
      ),
    );
    writeFileSync(file("crafted.json"), JSON.stringify(crafted));
    await pulumi("stack", "import", "--file", file("crafted.json"));
    const before = await stateOf();
    expect(before.deployment.resources!.filter((r) => r.type === BRIDGED_TYPE)).to.have.length(5);

    // The commands of docs/guide.md.
    await pulumi("stack", "export", "--file", file("before.json"));
    const migration = await run(
      process.execPath,
      [
        path.join(PROJECT_ROOT, "dist/src/cli/main.js"),
        "migrate-from-auth0",
        file("before.json"),
        "--config-out",
        file("organizations.yaml"),
        "--state-out",
        file("after.json"),
      ],
      { cwd: workDir },
    );
    expect(migration.stderr).to.contain(
      "5 member(s) in 2 organization(s); 6 resource(s) taken out of the state",
    );
    const yaml = readFileSync(file("organizations.yaml"), "utf8");
    expect(yaml)
      .to.contain("  auth0-org-member-roles:organizations:")
      .and.contain(`"${LINUS}": ["rol_support000000005"]`);
    // The stack's config file ends with its `config:` block: the entries go under it.
    appendFileSync(file(`Pulumi.${stack.name}.yaml`), yaml.replace(/^config:\n/, ""));
    migrated = true;
    // Control: with the bridged resources still in the state, the engine needs their plugin to delete them.
    const refused = await stack.preview({ onOutput: suite.onOutput }).then(
      () => "previewed",
      (err: unknown) => String(err),
    );
    expect(refused).to.contain("could not load provider for resource").and.contain(BRIDGED_TYPE);
    await pulumi("stack", "import", "--file", file("after.json"));

    const tenantBefore = structuredClone(suite.emulator.tenant.toFixture().members);
    suite.emulator.resetCounters();
    const preview = await stack.preview({ onOutput: suite.onOutput });
    expect(preview.changeSummary).to.deep.equal({ create: 2, same: 1 });
    const up = await stack.up({ onOutput: suite.onOutput });
    expect(up.summary.resourceChanges).to.deep.equal({ create: 2, same: 1 });
    // Every POST and DELETE of the Management API (the token endpoint aside): member roles and memberships.
    const calls = Object.keys(suite.emulator.counts()).filter((key) => !key.includes(" token "));
    expect(calls.filter((key) => /^(POST|DELETE) /.test(key))).to.deep.equal([]);
    expect(calls.length, "the adoption reads the members").to.be.greaterThan(0);
    expect(suite.emulator.tenant.toFixture().members).to.deep.equal(tenantBefore);

    const after = await stateOf();
    const types = after.deployment.resources!.map((r) => r.type);
    expect(types.filter((t) => t.startsWith("auth0:") || t === "pulumi:providers:auth0")).to.deep.equal([]);
    const ours = after.deployment.resources!.filter((r) => r.type.endsWith(":OrgMemberRoles"));
    expect(ours.map((r) => r.outputs?.["organizationId"]).sort()).to.deep.equal([ACME, GLOBEX]);

    // And it stays put: a second up changes nothing and writes nothing.
    const again = await stack.up({ onOutput: suite.onOutput });
    expect(again.summary.resourceChanges).to.deep.equal({ same: 3 });
    expect(suite.emulator.writes()).to.equal(0);
  });
});
