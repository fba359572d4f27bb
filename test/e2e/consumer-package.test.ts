/**
 * The package as a user gets it: `npm pack`, installed into a scratch TypeScript Pulumi project with its own
 * Pulumi.yaml and its own @pulumi/pulumi (test/fixtures/consumer), compiled by that project's TypeScript, run
 * by that project's Automation API script through the real engine against the emulator the package ships.
 *
 * The consumer's SDK version: CONSUMER_PULUMI_VERSION, else the lowest the peer range allows (so the floor
 * declared in package.json is the floor tested). The Node 22 leg (scripts/test-node22.sh) sets the newest.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { engineBinDir, engineEnv, PROJECT_ROOT } from "../../scripts/engine";

const run = promisify(execFile);
const PACKAGE = "pulumi-auth0-org-member-roles";
const ORG = "org_acme000000000001";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const GRACE = "auth0|69e9cd6013e3dca66bfbca40";
const ALAN = "google-oauth2|115015401343387192604"; // holds rol_viewer0000000004 in the seed, not declared

interface PackageJson {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const ours = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as PackageJson;

/** "^3.204.0" → "3.204.0": the lowest version a caret range admits. */
function lowestOf(range: string | undefined): string {
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range ?? "");
  if (!m) throw new Error(`peerDependencies range "${range}" is not ^x.y.z: say which version to test`);
  return m[1]!;
}

/** What `npm pack` may ship: compiled JavaScript and declarations of the public modules, the pack, the seed. */
const SHIPPED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/(components|src|emulator|policies)\/.+\.(js|d\.ts)$/,
  /^emulator\/seeds\/default\.json$/,
  /^policies\/(package\.json|PulumiPolicy\.yaml)$/,
];

/** The requests the tracer records: where the provider, the policy runner and the policy SDK are loaded from. */
const TRACED = [
  `${PACKAGE}/provider`,
  "@pulumi/pulumi/cmd/run-policy-pack",
  "@pulumi/policy",
  "@pulumi/auth0",
];

/**
 * Preloaded into every Node process the engine starts (NODE_OPTIONS): records, without changing anything, which
 * file each traced request resolves to, from which module, in which process.
 */
const TRACER = `const Module = require("node:module");
const { appendFileSync } = require("node:fs");
const traced = new Set(${JSON.stringify(TRACED)});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const file = resolve.call(this, request, parent, ...rest);
  if (traced.has(request)) {
    const load = { request, from: parent && parent.filename, main: process.argv[1], file };
    appendFileSync(process.env.ORG_ROLES_TRACE_LOG, JSON.stringify(load) + "\\n");
  }
  return file;
};
`;

interface Load {
  request: string;
  from: string | null;
  main: string;
  file: string;
}

describe("as a library: the npm tarball in a TypeScript Pulumi project with its own SDK, through the real engine", function () {
  this.timeout(600_000);
  const sdkVersion = process.env.CONSUMER_PULUMI_VERSION ?? lowestOf(ours.peerDependencies["@pulumi/pulumi"]);
  let tmp: string;
  let consumer: string;
  let tarball: string;
  let emulator: ChildProcess | undefined;
  let emulatorUrl: string;
  let env: NodeJS.ProcessEnv;
  let traceLog: string;

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), "org-roles-consumer-")));
    consumer = path.join(tmp, "consumer");
    cpSync(path.join(PROJECT_ROOT, "test/fixtures/consumer"), consumer, { recursive: true });
    traceLog = path.join(tmp, "loads.jsonl");
    writeFileSync(path.join(tmp, "trace-loads.js"), TRACER);
    env = {
      ...process.env,
      ...engineEnv({ stateDir: path.join(tmp, "state"), home: path.join(tmp, "home") }),
      NODE_OPTIONS: `--require ${path.join(tmp, "trace-loads.js")}`,
      ORG_ROLES_TRACE_LOG: traceLog,
    };
  });

  after(async () => {
    emulator?.kill("SIGTERM");
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs a command in the consumer project; a failure carries the command's own output (tsc prints to stdout). */
  async function inConsumer(file: string, args: string[]) {
    try {
      return await run(file, args, { cwd: consumer, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    } catch (err) {
      const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
      throw new Error(
        `${path.basename(file)} ${args.join(" ")} failed:\n${stdout.slice(-8000)}\n${stderr.slice(-8000)}`,
      );
    }
  }

  async function admin<T>(route: string, method = "GET"): Promise<T> {
    const res = await fetch(`${emulatorUrl}/__emulator/${route}`, { method });
    return (await res.json()) as T;
  }
  const rolesOf = async (user: string) =>
    (await admin<{ members: Record<string, Record<string, string[]>> }>("tenant")).members[ORG]?.[user];
  const writes = async () =>
    Object.entries(await admin<Record<string, number>>("counters"))
      .filter(([key]) => /^(POST|DELETE) member-roles /.test(key))
      .reduce((n, [, count]) => n + count, 0);

  const loadsOf = (request: string): Load[] =>
    readFileSync(traceLog, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Load)
      .filter((load) => load.request === request);

  /** One step of the consumer's deploy script; its JSON line. */
  async function deploy(step: "preview" | "up" | "destroy", options: { policyPack?: boolean } = {}) {
    const args = ["bin/deploy.js", step, emulatorUrl, ...(options.policyPack ? ["--policy-pack"] : [])];
    const { stdout } = await inConsumer(process.execPath, args);
    const last = stdout.trim().split("\n").at(-1) ?? "";
    return JSON.parse(last) as { summary: Record<string, number>; stdout: string; policyPacks: string[] };
  }

  it("npm pack ships compiled JavaScript, declarations, PulumiPolicy.yaml, the emulator's seed, README and LICENSE, nothing else", async () => {
    // --ignore-scripts: the suite's own build (pretest) just compiled dist; prepack would compile it again.
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], {
      cwd: PROJECT_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(tmp, packed!.filename);
    const files = packed!.files.map((f) => f.path);
    expect(files.filter((f) => !SHIPPED.some((re) => re.test(f)))).to.deep.equal([]);
    for (const needed of [
      "LICENSE",
      "README.md",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/src/provider/implementation.js",
      "dist/emulator/index.d.ts",
      "dist/emulator/cli.js",
      "dist/policies/index.js",
      "emulator/seeds/default.json",
      "policies/PulumiPolicy.yaml",
      "policies/package.json",
    ])
      expect(files).to.include(needed);
    // The PR summariser (src/summary) serves this repository's pipeline, not the package's users.
    const unwanted = files.filter((f) => /^dist\/(test|src\/summary)\/|\.map$/.test(f));
    expect(unwanted).to.deep.equal([]);
  });

  it(`installs beside the project's own @pulumi/pulumi ${sdkVersion}: one copy of the SDK, and its TypeScript compiles`, async () => {
    writeFileSync(
      path.join(consumer, "package.json"),
      `${JSON.stringify(
        {
          name: "consumer-org-roles",
          version: "1.0.0",
          private: true,
          dependencies: {
            "@pulumi/pulumi": sdkVersion,
            "@pulumi/policy": ours.devDependencies["@pulumi/policy"],
            "@pulumi/auth0": ours.devDependencies["@pulumi/auth0"],
            [PACKAGE]: `file:${tarball}`,
          },
          devDependencies: {
            "@types/node": ours.devDependencies["@types/node"],
            typescript: ours.devDependencies["typescript"],
          },
        },
        null,
        2,
      )}\n`,
    );
    await inConsumer("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"]);
    const { stdout } = await inConsumer("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"]);
    expect(stdout.trim().split("\n")).to.deep.equal([path.join(consumer, "node_modules/@pulumi/pulumi")]);
    const installed = JSON.parse(
      readFileSync(path.join(consumer, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ) as PackageJson;
    expect(installed.version).to.equal(sdkVersion);
    // @pulumi/auth0 (its npm package; its plugin is not served here) beside it, on the same one SDK.
    const auth0 = await inConsumer("npm", ["ls", "@pulumi/auth0"]);
    expect(auth0.stdout).to.contain(`@pulumi/auth0@${ours.devDependencies["@pulumi/auth0"]}`);
    // The project's own compiler, with the tsconfig `pulumi new typescript` writes (no skipLibCheck), compiles a
    // program importing the package's root and its ./emulator export, and one mixing it with @pulumi/auth0
    // (which also holds a @ts-expect-error the package's types must raise).
    await inConsumer(process.execPath, [path.join(consumer, "node_modules/typescript/bin/tsc"), "-p", "."]);
  });

  it("a program of @pulumi/auth0 resources and OrgMemberRoles, under Pulumi's mocks: the resources' IDs reach ours", async () => {
    const { stdout } = await inConsumer(process.execPath, ["bin/with-auth0.js"]);
    const registered = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<
      string,
      { type: string; inputs: Record<string, unknown> }
    >;
    expect(registered["acme-roles"]!.type).to.equal("pulumi-nodejs:dynamic/auth0:OrgMemberRoles");
    expect(registered["acme-roles"]!.inputs).to.deep.include({
      organizationId: "org_acme000000000001",
      members: { [ADA]: ["rol_admin00000000001", "rol_viewer0000000004"] },
      joiningMembers: [ADA],
    });
    expect(registered["ada-joins-acme"]!.inputs).to.deep.equal({ organizationId: ORG, userId: ADA });
  });

  it("the emulator starts from the package's bin", async () => {
    const bin = path.join(consumer, "node_modules/.bin/auth0-org-member-roles-emulator");
    const child = spawn(bin, ["--port", "0"], { cwd: consumer, env: process.env });
    emulator = child;
    emulatorUrl = await new Promise<string>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => reject(new Error(`no URL from the emulator in 30 s: ${seen}`)), 30_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /listening on (http:\/\/\S+)/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
      });
      child.on("exit", (code) => reject(new Error(`the emulator exited (${code}): ${seen}`)));
    });
    expect(await rolesOf(ALAN)).to.deep.equal(["rol_viewer0000000004"]);
  });

  it("preview shows two creates and writes nothing", async () => {
    const preview = await deploy("preview");
    expect(preview.summary).to.deep.equal({ create: 2 });
    expect(await writes()).to.equal(0);
  });

  it("the policy pack runs from the consumer's node_modules, with the consumer's @pulumi/policy and SDK", async () => {
    const preview = await deploy("preview", { policyPack: true });
    const pack = path.join(consumer, "node_modules", PACKAGE, "policies");
    expect(preview.policyPacks).to.deep.equal([pack]);
    expect(preview.summary).to.deep.equal({ create: 2 });
    // The engine's "Policies:" section names each pack that ran (it shortens the path to fit the terminal).
    expect(preview.stdout).to.match(
      new RegExp(`auth0-org-member-roles@v${ours.version} \\(local: .*/policies\\)`),
    );
    expect(await writes()).to.equal(0);
    const modules = path.join(consumer, "node_modules");
    const runners = loadsOf("@pulumi/pulumi/cmd/run-policy-pack");
    expect(runners.length).to.be.greaterThan(0);
    for (const load of runners)
      expect(load.file.startsWith(path.join(modules, "@pulumi/pulumi/cmd/"))).to.equal(true);
    const policySdk = loadsOf("@pulumi/policy").filter((l) =>
      l.from?.startsWith(path.join(modules, PACKAGE)),
    );
    expect(policySdk.length).to.be.greaterThan(0);
    for (const load of policySdk)
      expect(load.file.startsWith(path.join(modules, "@pulumi/policy/"))).to.equal(true);
    // The pack matches @pulumi/auth0's resources by its classes, loaded from the consumer's copy.
    const auth0 = loadsOf("@pulumi/auth0").filter((l) =>
      l.from?.startsWith(path.join(modules, PACKAGE, "dist/policies")),
    );
    expect(auth0.length).to.be.greaterThan(0);
    for (const load of auth0)
      expect(load.file.startsWith(path.join(modules, "@pulumi/auth0/"))).to.equal(true);
  });

  it("up assigns the declared roles; members not declared keep theirs", async () => {
    const up = await deploy("up");
    expect(up.summary).to.deep.equal({ create: 2 });
    expect(await rolesOf(ADA)).to.deep.equal(["rol_admin00000000001", "rol_developer0000003"]);
    expect(await rolesOf(GRACE)).to.deep.equal(["rol_viewer0000000004"]);
    expect(await rolesOf(ALAN)).to.deep.equal(["rol_viewer0000000004"]);
  });

  it("a second up with no change changes nothing and writes nothing", async () => {
    await admin("counters/reset", "POST");
    const again = await deploy("up");
    expect(again.summary).to.deep.equal({ same: 2 });
    expect(await writes()).to.equal(0);
  });

  it("the provider stored in the consumer's state loads the implementation from the consumer's node_modules, on its SDK", async () => {
    const exported = await inConsumer(path.join(engineBinDir(), "pulumi"), [
      "stack",
      "export",
      "--stack",
      "dev",
    ]);
    const state = JSON.parse(exported.stdout) as {
      deployment: { resources: Array<{ inputs?: { __provider?: string } }> };
    };
    const providers = state.deployment.resources.flatMap((r) => r.inputs?.__provider ?? []);
    expect(providers).to.have.length(1);
    expect(providers[0]).to.contain(`require("${PACKAGE}/provider")`);
    expect(providers[0]).not.to.contain(tmp);
    expect(providers[0]).not.to.contain(PROJECT_ROOT);

    const loads = loadsOf(`${PACKAGE}/provider`);
    const sdk = path.join(consumer, "node_modules/@pulumi/pulumi");
    const implementation = path.join(
      consumer,
      "node_modules",
      PACKAGE,
      "dist/src/provider/implementation.js",
    );
    // Every load, in the dynamic provider's process, which the consumer's own SDK serves.
    expect(loads.length).to.be.greaterThan(0);
    for (const load of loads) {
      expect(load.main).to.equal(path.join(sdk, "cmd/dynamic-provider/index.js"));
      expect(load.file).to.equal(implementation);
    }
  });

  it("destroy removes the roles it assigned and nothing else", async () => {
    const destroy = await deploy("destroy");
    expect(destroy.summary).to.deep.equal({ delete: 2 });
    expect(await rolesOf(ADA)).to.deep.equal([]);
    expect(await rolesOf(GRACE)).to.deep.equal([]);
    expect(await rolesOf(ALAN)).to.deep.equal(["rol_viewer0000000004"]);
  });
});
