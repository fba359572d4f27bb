/**
 * @pulumi/auth0 is an optional peer dependency: in a project that does not install it, the package's component
 * and policy pack still load and run. Checked in a child process whose node_modules lack it for real.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../scripts/engine";

const run = promisify(execFile);
const PACKAGE = "pulumi-auth0-org-member-roles";

/** node_modules like this repository's, without @pulumi/auth0, and this package as a copy of its build. */
function projectWithoutAuth0(root: string): string {
  const modules = path.join(root, "node_modules");
  const source = path.join(PROJECT_ROOT, "node_modules");
  mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry === PACKAGE || entry === "@pulumi") continue;
    symlinkSync(path.join(source, entry), path.join(modules, entry));
  }
  for (const scoped of readdirSync(path.join(source, "@pulumi")))
    if (scoped !== "auth0")
      symlinkSync(path.join(source, "@pulumi", scoped), path.join(modules, "@pulumi", scoped));
  const pkg = path.join(modules, PACKAGE);
  mkdirSync(pkg);
  cpSync(path.join(PROJECT_ROOT, "package.json"), path.join(pkg, "package.json"));
  cpSync(path.join(PROJECT_ROOT, "dist"), path.join(pkg, "dist"), { recursive: true });
  return pkg;
}

/** Runs in the project: a program of OrgMemberRoles under Pulumi's mocks, and the pack's rules loaded. */
const SCRIPT = `
const pkg = process.argv[1];
let auth0 = "installed";
try { require.resolve("@pulumi/auth0"); } catch (err) { auth0 = err.code; }
const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks({
  newResource: (args) => { registered.push({ type: args.type, inputs: args.inputs }); return { id: "id", state: args.inputs }; },
  call: (args) => args.inputs,
}).then(() => {
  const { OrgMemberRoles } = require("${PACKAGE}");
  const roles = new OrgMemberRoles("acme", {
    organizationId: "org_acme000000000001",
    members: { "auth0|69e9cd6013e3dca66bfbca39": ["rol_admin00000000001"] },
  });
  const classes = require(pkg + "/dist/policies/auth0-classes.js").memberRoleClasses;
  const rules = require(pkg + "/dist/policies/roles-per-member.js").rolesPerMember.validateResource;
  // Ours, 101 roles for one member: the rule still judges it.
  const many = Array.from({ length: 101 }, (_, i) => "rol_" + String(i).padStart(16, "0"));
  const violations = [];
  rules({
    type: "pulumi-nodejs:dynamic/auth0:OrgMemberRoles", name: "acme", urn: "urn:pulumi:dev::p::acme",
    props: { organizationId: "org_acme000000000001", members: { "auth0|69e9cd6013e3dca66bfbca39": many } },
    getConfig: () => ({}), isType: () => false, asType: () => undefined,
    notApplicable: () => { throw new Error("not applicable"); },
  }, (message) => violations.push(message));
  roles.id.apply(() => console.log(JSON.stringify({ auth0, registered, classes: classes ?? null, violations })));
});
`;

describe("without @pulumi/auth0 installed", function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "org-roles-no-auth0-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("the component registers OrgMemberRoles and the pack loads its rules for ours only", async () => {
    const pkg = projectWithoutAuth0(tmp);
    const { stdout } = await run(process.execPath, ["-e", SCRIPT, pkg], { cwd: tmp });
    const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      auth0: string;
      registered: Array<{ type: string; inputs: Record<string, unknown> }>;
      classes: unknown;
      violations: string[];
    };
    expect(out.auth0).to.equal("MODULE_NOT_FOUND");
    expect(out.registered.map((r) => r.type)).to.deep.equal(["pulumi-nodejs:dynamic/auth0:OrgMemberRoles"]);
    expect(out.registered[0]!.inputs["members"]).to.deep.equal({
      "auth0|69e9cd6013e3dca66bfbca39": ["rol_admin00000000001"],
    });
    expect(out.classes).to.equal(null);
    expect(out.violations).to.have.length(1);
    expect(out.violations[0]).to.contain("101 roles");
  });

  it("a TypeScript program importing the package type-checks with the tsconfig of `pulumi new typescript` (Pulumi's runtime type-checks declarations; a missing @pulumi/auth0 there was TS2307)", async () => {
    const root = path.join(tmp, "typed");
    mkdirSync(root);
    projectWithoutAuth0(root);
    writeFileSync(
      path.join(root, "index.ts"),
      `import { OrgMemberRoles, declareOrganizations } from "${PACKAGE}";
new OrgMemberRoles("acme", { organizationId: "org_acme000000000001", members: { "auth0|ada": ["admin"] } });
void declareOrganizations;
`,
    );
    // The compiler options \`pulumi new typescript\` writes (as test/fixtures/consumer/tsconfig.json).
    writeFileSync(
      path.join(root, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          outDir: "bin",
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          sourceMap: true,
          experimentalDecorators: true,
          pretty: false,
          noFallthroughCasesInSwitch: true,
          noImplicitReturns: true,
          forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
      }),
    );
    const tsc = path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"], { cwd: root }).then(
      () => "",
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result).to.equal("");
  });
});
