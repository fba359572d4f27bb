/**
 * Runs the real Pulumi engine on this project through the Automation API. The program is the project's own
 * `index.ts`, served by the SDK's in-process language runtime (no pulumi-language-nodejs needed, see
 * scripts/setup-engine.sh); the CLI, the dynamic-provider plugin and the policy analyzer are real.
 *
 * @example
 * const stack = await openStack({ workDir: projectRoot, stackName: "dev", stateDir: ".pulumi-state" });
 * await stack.up({ onOutput: (s) => process.stdout.write(s) });
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, Stack } from "@pulumi/pulumi/automation";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** The bin directory setup-engine.sh prepared (pulumi and its plugins). */
export function engineBinDir(root: string = PROJECT_ROOT): string {
  const marker = path.join(root, ".pulumi-engine");
  if (!existsSync(marker))
    throw new Error(
      "The Pulumi engine is not set up: run `bash scripts/setup-engine.sh` (or `npm run setup`) first.",
    );
  const bin = readFileSync(marker, "utf8").trim();
  if (!existsSync(path.join(bin, "pulumi")))
    throw new Error(`${bin}/pulumi is missing: run \`bash scripts/setup-engine.sh\` again.`);
  return bin;
}

export interface OpenStackOptions {
  workDir: string;
  stackName: string;
  /** Local file backend directory (created). */
  stateDir: string;
  passphrase?: string;
  /** PULUMI_HOME; default: `<stateDir>/.home`. */
  home?: string;
  program?: PulumiFn;
  env?: Record<string, string>;
}

/** The environment the CLI runs in: local file backend, passphrase secrets, no update checks or downloads. */
export function engineEnv(
  options: Omit<OpenStackOptions, "workDir" | "stackName" | "program">,
): Record<string, string> {
  const bin = engineBinDir();
  mkdirSync(options.stateDir, { recursive: true });
  const home = options.home ?? path.join(options.stateDir, ".home");
  mkdirSync(home, { recursive: true });
  return {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${options.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "local-emulator-passphrase",
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...options.env,
  };
}

/**
 * Gives each in-process run's gRPC clients to the engine a connection pool of their own. The SDK's inline
 * language runtime never closes a run's clients (its `disconnect` closes only those of a separate
 * language-host process; @pulumi/pulumi 3.248.0 and 3.276.0, runtime/settings.js `disconnectSync`), and
 * grpc-js shares connections by address across the process (its global subchannel pool). A leaked client
 * keeps retrying its dead engine's port; when the OS gives that port to a later engine, the later run's new
 * client meets the failed connection and its calls fail at once with `14 UNAVAILABLE: No connection
 * established`, which the SDK drops without failing the program for a resource registration (the engine then
 * plans that resource's delete) and reports for the stack's own. Tested in test/integration/engine-connections.
 * Only this process's clients to its engines change: what the engine and the provider do is untouched.
 */
export function isolateEngineConnections(): void {
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    grpcClientOptions?: Record<string, unknown>;
  };
  if (settings.grpcClientOptions) settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}

/** A stack of the project in `workDir`, created if needed, with a file backend and passphrase secrets. */
export async function openStack(options: OpenStackOptions): Promise<Stack> {
  isolateEngineConnections();
  const bin = engineBinDir();
  const envVars = engineEnv(options);
  // The Automation API spawns the CLI with the workspace's envVars, but looks the binary up itself.
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin), skipVersionCheck: false });
  const program = options.program ?? (require(path.join(PROJECT_ROOT, "dist/index.js")) as PulumiFn);
  const ws = await LocalWorkspace.create({ workDir: options.workDir, program, envVars, pulumiCommand });
  return Stack.createOrSelect(options.stackName, ws);
}

/**
 * Writes `settings` into the stack's config; keys naming a secret, a token or a private key are stored as
 * secrets.
 *
 * @example
 * await configureStack(stack, emulatorSettings(emulator.url));
 */
export async function configureStack(stack: Stack, settings: Record<string, string>): Promise<void> {
  await stack.setAllConfig(
    Object.fromEntries(
      Object.entries(settings).map(([key, value]) => [
        key,
        { value, secret: /secret|token|privatekey/i.test(key) },
      ]),
    ),
  );
}

/**
 * A scratch Pulumi project in `root` whose node_modules resolve like a checkout of this repository (each
 * package linked). With `copyPackage`, this package is a real copy at the new path instead of a link, as
 * on another pipeline runner: the provider in the state must load from there.
 */
export function scratchProject(root: string, options: { name: string; copyPackage?: boolean }): string {
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, "Pulumi.yaml"), `name: ${options.name}\nruntime: nodejs\n`);
  const modules = path.join(root, "node_modules");
  mkdirSync(modules);
  const source = path.join(PROJECT_ROOT, "node_modules");
  for (const entry of readdirSync(source)) {
    if (entry === "pulumi-auth0-org-member-roles" && options.copyPackage) continue;
    symlinkSync(path.join(source, entry), path.join(modules, entry));
  }
  if (options.copyPackage) {
    const pkg = path.join(modules, "pulumi-auth0-org-member-roles");
    mkdirSync(pkg);
    cpSync(path.join(PROJECT_ROOT, "package.json"), path.join(pkg, "package.json"));
    cpSync(path.join(PROJECT_ROOT, "dist"), path.join(pkg, "dist"), { recursive: true });
  }
  return root;
}
