/**
 * The package as a user gets it: `npm pack`, installed into a scratch TypeScript Pulumi project with its own
 * Pulumi.yaml and its own @pulumi/pulumi (test/fixtures/consumer), compiled by that project's TypeScript, run
 * by that project's Automation API script through the real engine against the emulator the package ships.
 *
 * The consumer's SDK version: CONSUMER_PULUMI_VERSION, else the lowest the peer range allows (so the floor
 * declared in package.json is the floor tested). The Node 22 leg (scripts/test-node22.sh) sets the newest.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { DEFAULT_CLIENT } from "../../emulator/server";
import { engineBinDir, engineEnv, PROJECT_ROOT } from "../../scripts/engine";
import { bridgedResources, urnOf } from "../helpers/bridged-state";

const run = promisify(execFile);
const PACKAGE = "pulumi-auth0-org-member-roles";
const ORG = "org_acme000000000001";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const GRACE = "auth0|69e9cd6013e3dca66bfbca40";
const ALAN = "google-oauth2|115015401343387192604"; // holds rol_viewer0000000004 in the seed, not declared
const KEN = "auth0|69e9cd6013e3dca66bfbca42"; // of globex in the seed
const GLOBEX = "org_globex0000000002";
const BIN = "auth0-org-member-roles";
const README = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

/** The README's fenced blocks of one language, with the line each starts on. */
function readmeBlocks(lang: string): Array<{ line: number; body: string }> {
  return [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .filter((m) => m[1] === lang)
    .map((m) => ({ line: README.slice(0, m.index).split("\n").length, body: m[2]! }));
}

/** The tsconfig `pulumi new typescript` writes today (module and resolution nodenext), checking only. */
const NODENEXT = {
  strict: true,
  target: "es2020",
  module: "nodenext",
  moduleResolution: "nodenext",
  experimentalDecorators: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};
/** The one it wrote before (commonjs, node resolution): the fixture's own tsconfig.json. */
const NODE10 = { ...NODENEXT, module: "commonjs", moduleResolution: "node" };

/** Every export path of the package, imported: their declarations must compile in the user's project. */
const EVERY_EXPORT = `import * as root from "${PACKAGE}";
import * as provider from "${PACKAGE}/provider";
import * as emulator from "${PACKAGE}/emulator";
export const all = [root, provider, emulator];
`;

/**
 * Writes the README's TypeScript blocks (those importing @pulumi/auth0 only when `withAuth0`) and a file
 * importing every export into `dir`, and a tsconfig per shape that checks them; returns the tsconfig names.
 */
function writeTypeChecks(dir: string, withAuth0: boolean): string[] {
  const files = ["every-export.ts"];
  writeFileSync(path.join(dir, "every-export.ts"), EVERY_EXPORT);
  for (const block of readmeBlocks("ts")) {
    if (!withAuth0 && block.body.includes('"@pulumi/auth0"')) continue;
    writeFileSync(path.join(dir, `readme-${block.line}.ts`), block.body);
    files.push(`readme-${block.line}.ts`);
  }
  return Object.entries({ nodenext: NODENEXT, node10: NODE10 }).map(([name, options]) => {
    const file = `tsconfig.check-${name}.json`;
    writeFileSync(
      path.join(dir, file),
      JSON.stringify({ compilerOptions: { ...options, noEmit: true }, files }, null, 2),
    );
    return file;
  });
}

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
  /^docs\/[^/]+\.md$/,
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
  async function inConsumer(file: string, args: string[], withEnv: NodeJS.ProcessEnv = env) {
    try {
      return await run(file, args, {
        cwd: consumer,
        env: withEnv,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      });
    } catch (err) {
      const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
      throw new Error(
        `${path.basename(file)} ${args.join(" ")} failed:\n${stdout.slice(-8000)}\n${stderr.slice(-8000)}`,
      );
    }
  }

  /** Node on `args` in the consumer, with `withEnv` (credentials in the environment, as a job holds them). */
  const inConsumerWith = (withEnv: NodeJS.ProcessEnv, args: string[]) =>
    inConsumer(process.execPath, args, withEnv);

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

  it("npm pack ships compiled JavaScript, declarations, the CLI, PulumiPolicy.yaml, the emulator's seed, README, docs and LICENSE, nothing else", async () => {
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
      "dist/src/cli/main.js",
      "dist/src/summary/index.js",
      "docs/configuration.md",
      "docs/troubleshooting.md",
      "dist/policies/index.js",
      "emulator/seeds/default.json",
      "policies/PulumiPolicy.yaml",
      "policies/package.json",
    ])
      expect(files).to.include(needed);
    const unwanted = files.filter((f) => /^dist\/(test|scripts|bench)\/|\.map$/.test(f));
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

  it("the README's TypeScript blocks and every export type-check under the nodenext and the commonjs/node tsconfigs of pulumi new typescript", async () => {
    const tsc = path.join(consumer, "node_modules/typescript/bin/tsc");
    const configs = writeTypeChecks(consumer, true);
    expect(configs).to.have.length(2);
    for (const config of configs) await inConsumer(process.execPath, [tsc, "-p", config]);
    // The quick start's program, compiled with the project's own settings, for the engine to run below.
    writeFileSync(
      path.join(consumer, "tsconfig.readme.json"),
      JSON.stringify({ extends: "./tsconfig.json", files: [`readme-${quickStart().line}.ts`] }),
    );
    await inConsumer(process.execPath, [tsc, "-p", "tsconfig.readme.json"]);
  });

  it("without @pulumi/auth0: the README's other blocks and every export type-check under both tsconfigs, and the CLI runs", async () => {
    const bare = path.join(tmp, "bare");
    mkdirSync(bare);
    writeFileSync(
      path.join(bare, "package.json"),
      JSON.stringify({
        name: "my-infra",
        version: "1.0.0",
        private: true,
        dependencies: { "@pulumi/pulumi": sdkVersion, [PACKAGE]: `file:${tarball}` },
        devDependencies: {
          "@types/node": ours.devDependencies["@types/node"],
          typescript: ours.devDependencies["typescript"],
        },
      }),
    );
    const inBare = (file: string, args: string[]) =>
      run(file, args, { cwd: bare, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }).catch((err) => {
        const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
        throw new Error(`${args.join(" ")} failed:\n${stdout.slice(-8000)}\n${stderr.slice(-8000)}`);
      });
    await inBare("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"]);
    const tsc = path.join(bare, "node_modules/typescript/bin/tsc");
    for (const config of writeTypeChecks(bare, false)) await inBare(process.execPath, [tsc, "-p", config]);
    const preview = gunzipSync(
      readFileSync(path.join(PROJECT_ROOT, "test/fixtures/previews/one-member-change.events.json.gz")),
    ).toString();
    const summary = await cli(bare, ["pr-summary", "-"], { input: preview });
    expect(summary.code, summary.stderr).to.equal(0);
    expect(summary.stdout).to.contain("gains `support`; loses `developer`");
    // The move from @pulumi/auth0 needs its type tokens: said so, exit 2, nothing written.
    const exported = path.join(tmp, "bare-export.json");
    writeFileSync(exported, JSON.stringify({ version: 3, deployment: { resources: [] } }));
    const migrate = await cli(bare, [
      "migrate-from-auth0",
      exported,
      "--state-out",
      path.join(tmp, "bare-after.json"),
    ]);
    expect(migrate.code).to.equal(2);
    expect(migrate.stderr).to.contain("npm install @pulumi/auth0");
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

  /** Runs the package's CLI from the project's node_modules/.bin, as a user does; never throws. */
  async function cli(dir: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
    const child = spawn(path.join(dir, "node_modules/.bin", BIN), args, {
      cwd: dir,
      env: options.env ?? env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdin.end(options.input ?? "");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stdout, stderr };
  }

  /** `auth0-org-member-roles emulator` from the project's bin, on a free port; its URL once it listens. */
  async function startEmulator(
    dir: string,
    args: string[] = [],
  ): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(path.join(dir, "node_modules/.bin", BIN), ["emulator", "--port", "0", ...args], {
      cwd: dir,
      env: process.env,
    });
    const url = await new Promise<string>((resolve, reject) => {
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
    return { child, url };
  }

  /** The emulator's credentials in the environment, as a pipeline's job holds them. */
  const credentialsIn = (url: string): NodeJS.ProcessEnv => ({
    ...env,
    AUTH0_DOMAIN: url,
    AUTH0_CLIENT_ID: DEFAULT_CLIENT.clientId,
    AUTH0_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  });

  it("the emulator starts from the package's bin", async () => {
    const started = await startEmulator(consumer);
    emulator = started.child;
    emulatorUrl = started.url;
    expect(await rolesOf(ALAN)).to.deep.equal(["rol_viewer0000000004"]);
  });

  it("every subcommand of the CLI answers --help from node_modules/.bin, with its exit codes", async () => {
    for (const name of ["doctor", "pr-summary", "export-org", "migrate-from-auth0", "drift", "emulator"]) {
      const help = await cli(consumer, [name, "--help"]);
      expect(help.code, name).to.equal(0);
      expect(help.stdout, name).to.contain(`Usage: ${BIN} ${name}`).and.contain("Exit codes:");
    }
  });

  it("doctor, from node_modules/.bin, reads the emulator application's scopes: every operation allowed, exit 0", async () => {
    const doctor = await cli(consumer, ["doctor", "--for", "preview,up,groups,membership,export"], {
      env: credentialsIn(emulatorUrl),
    });
    expect(doctor.code, doctor.stdout + doctor.stderr).to.equal(0);
    expect(doctor.stdout).to.not.contain(DEFAULT_CLIENT.clientSecret);
  });

  it("pr-summary summarises a preview recorded from the real engine, member by member", async () => {
    const preview = gunzipSync(
      readFileSync(path.join(PROJECT_ROOT, "test/fixtures/previews/one-member-change.events.json.gz")),
    ).toString();
    const summary = await cli(consumer, ["pr-summary", "-"], { input: preview });
    expect(summary.code, summary.stderr).to.equal(0);
    // The change the recording made (test/helpers/preview-scenarios.ts): Ada swaps developer for support.
    expect(summary.stdout).to.contain("`auth0|69e9cd6013e3dca66bfbca39`: gains `support`; loses `developer`");
    expect(summary.stderr).to.contain("1 of 1 member lines shown");
  });

  it("drift tells drift from a failed preview on a recorded one", async () => {
    const file = path.join(tmp, "drift.json");
    writeFileSync(
      file,
      gunzipSync(readFileSync(path.join(PROJECT_ROOT, "test/fixtures/previews/drift.events.json.gz"))),
    );
    const drift = await cli(consumer, ["drift", file, "7"]);
    expect(drift.code).to.equal(0);
    expect(drift.stdout).to.equal("verdict=drift\nchanges=1\n");
    expect((await cli(consumer, ["drift", file, "255"])).stdout).to.contain("verdict=error");
  });

  it("export-org exports a 1,000-member organization, showing how far it is on stderr", async () => {
    const big = "org_big0000000000001";
    const users = Array.from({ length: 1000 }, (_, i) => ({
      user_id: `auth0|${String(i).padStart(24, "0")}`,
      email: `user${i}@big.example`,
      name: `User ${i}`,
    }));
    const seed = path.join(tmp, "big-seed.json");
    writeFileSync(
      seed,
      JSON.stringify({
        organizations: [{ id: big, name: "big", display_name: "Big" }],
        users,
        roles: [{ id: "rol_viewer0000000004", name: "viewer", description: "", type: "tenant" }],
        // Every third member holds viewer.
        members: {
          [big]: Object.fromEntries(users.map((u, i) => [u.user_id, i % 3 ? [] : ["rol_viewer0000000004"]])),
        },
      }),
    );
    const bigEmulator = await startEmulator(consumer, ["--seed", seed]);
    try {
      const exported = await cli(consumer, ["export-org", big], { env: credentialsIn(bigEmulator.url) });
      expect(exported.code, exported.stderr).to.equal(0);
      const members = exported.stdout.split("\n").filter((l) => /^ {8}"auth0\|\d{24}": /.test(l));
      expect(members).to.have.length(1000);
      expect(members.filter((l) => l.endsWith('["viewer"]'))).to.have.length(334);
      expect(exported.stdout).to.contain(
        '  auth0-org-member-roles:roles:\n    "viewer": "rol_viewer0000000004"',
      );
      const progress = exported.stderr.split("\n").filter((l) => l.startsWith("[export-org]"));
      expect(progress[0]).to.equal(`[export-org] ${big}: 0 of 1,000 members read (0%)`);
      expect(progress).to.include(`[export-org] ${big}: 500 of 1,000 members read (50%)`);
      expect(progress.at(-1)).to.equal(`[export-org] ${big}: 1,000 of 1,000 members read (100%)`);
      expect(exported.stdout + exported.stderr).not.to.contain(DEFAULT_CLIENT.clientSecret);
    } finally {
      bigEmulator.child.kill("SIGTERM");
    }
  });

  it("migrate-from-auth0 moves @pulumi/auth0's OrganizationMemberRoles of a stack export into the package's config", async () => {
    const stackUrn = urnOf("dev", "consumer-org-roles", "pulumi:pulumi:Stack", "consumer-org-roles-dev");
    const before = path.join(tmp, "before.json");
    writeFileSync(
      before,
      JSON.stringify({
        version: 3,
        deployment: {
          manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.204.0" },
          resources: [
            { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" },
            ...bridgedResources(
              "dev",
              "consumer-org-roles",
              [{ name: "ada-acme", organizationId: ORG, userId: ADA, roles: ["rol_admin00000000001"] }],
              { parent: stackUrn },
            ),
          ],
        },
      }),
    );
    const after = path.join(tmp, "after.json");
    const migrated = await cli(consumer, ["migrate-from-auth0", before, "--state-out", after]);
    expect(migrated.code, migrated.stderr).to.equal(0);
    expect(migrated.stdout).to.contain("  auth0-org-member-roles:organizations:").and.contain(ORG);
    expect(migrated.stderr).to.contain("1 member(s) in 1 organization(s)");
    const state = JSON.parse(readFileSync(after, "utf8")) as {
      deployment: { resources: Array<{ type: string }> };
    };
    expect(state.deployment.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
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

  it("export-org --stack reads the credentials from the stack's config, as the provider does, and prints none", async () => {
    const exported = await cli(consumer, ["export-org", ORG, "--stack", "dev"]);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(exported.stdout).to.contain(`"${GRACE}": ["viewer"]`);
    expect(exported.stdout + exported.stderr).not.to.contain(DEFAULT_CLIENT.clientSecret);
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
  /** The README's program for its stack config: the TypeScript block calling declareOrganizations(). */
  function quickStart(): { line: number; body: string } {
    const [block] = readmeBlocks("ts").filter((b) => b.body.includes("declareOrganizations()"));
    expect(block, "the README has the stack-config program").to.not.equal(undefined);
    return block!;
  }

  it("the README's stack-config quick start, its YAML unchanged, runs through the real engine in a project of another name", async () => {
    const yaml = readmeBlocks("yaml").find((b) => b.body.includes("auth0-org-member-roles:organizations:"));
    writeFileSync(path.join(consumer, "Pulumi.quickstart.yaml"), yaml!.body);
    const program = `./readme-${quickStart().line}`;
    const args = ["--stack", "quickstart", "--program", program, "--credentials", "environment"];
    const deployed = async (step: string) => {
      const { stdout } = await inConsumerWith(credentialsIn(emulatorUrl), [
        "bin/deploy.js",
        step,
        emulatorUrl,
        ...args,
      ]);
      return JSON.parse(stdout.trim().split("\n").at(-1)!) as { summary: Record<string, number> };
    };
    await admin("counters/reset", "POST");
    expect((await deployed("preview")).summary).to.deep.equal({ create: 3 });
    expect(await writes()).to.equal(0);
    expect((await deployed("up")).summary).to.deep.equal({ create: 3 });
    // What the YAML declares, aliases and the email resolved; globex is additive, so it only adds.
    expect(await rolesOf(ADA)).to.deep.equal(["rol_admin00000000001", "rol_viewer0000000004"]);
    expect(await rolesOf(GRACE)).to.deep.equal(["rol_viewer0000000004"]);
    const tenant = await admin<{ members: Record<string, Record<string, string[]>> }>("tenant");
    expect(tenant.members[GLOBEX]?.[KEN]).to.include("rol_admin00000000001");
  });

  it("there, a misspelt key of the package's namespace fails the preview naming the key and the one meant, with nothing written", async () => {
    const yaml = readmeBlocks("yaml").find((b) => b.body.includes("auth0-org-member-roles:organizations:"));
    writeFileSync(
      path.join(consumer, "Pulumi.misspelt.yaml"),
      `${yaml!.body}  auth0-org-member-roles:shrad: { index: 0, count: 2 }\n`,
    );
    await admin("counters/reset", "POST");
    const args = [
      "--stack",
      "misspelt",
      "--program",
      `./readme-${quickStart().line}`,
      "--credentials",
      "environment",
    ];
    const failed = await inConsumerWith(credentialsIn(emulatorUrl), [
      "bin/deploy.js",
      "preview",
      emulatorUrl,
      ...args,
    ]).then(
      () => "previewed",
      (err: unknown) => String(err),
    );
    expect(failed)
      .to.contain("Unknown stack config auth0-org-member-roles:shrad")
      .and.contain("did you mean auth0-org-member-roles:shard?");
    expect(await writes()).to.equal(0);
  });

  it("the quick start's destroy removes what it assigned", async () => {
    const { stdout } = await inConsumerWith(credentialsIn(emulatorUrl), [
      "bin/deploy.js",
      "destroy",
      emulatorUrl,
      ...[
        "--stack",
        "quickstart",
        "--program",
        `./readme-${quickStart().line}`,
        "--credentials",
        "environment",
      ],
    ]);
    expect(
      (JSON.parse(stdout.trim().split("\n").at(-1)!) as { summary: Record<string, number> }).summary,
    ).to.deep.equal({ delete: 3 });
    expect(await rolesOf(ADA)).to.deep.equal([]);
  });
});
