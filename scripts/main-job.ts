/**
 * `npm start`: the main job. Starts the emulator with its default seed on 127.0.0.1:4010 (state kept in
 * .emulator-state.json), then runs `pulumi up --yes` on the `dev` stack (file backend in .pulumi-state/,
 * passphrase secrets) and prints the result. A second run shows no changes.
 * Pass `--preview` for `pulumi preview --diff`, `--refresh` to refresh first, `--destroy` to tear down,
 * `--policy-pack` to run the policy pack, `--fresh` to reset the emulator to its seed.
 */
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { RATE_LIMIT_PROFILES } from "../emulator/buckets";
import { DEFAULT_SEED_PATH, loadFixture } from "../emulator/index";
import { Emulator } from "../emulator/server";
import { openStack, PROJECT_ROOT } from "./engine";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preview: { type: "boolean", default: false },
      refresh: { type: "boolean", default: false },
      destroy: { type: "boolean", default: false },
      "policy-pack": { type: "boolean", default: false },
      fresh: { type: "boolean", default: false },
      port: { type: "string", default: process.env.EMULATOR_PORT ?? "4010" },
    },
  });
  const stateFile = path.join(PROJECT_ROOT, ".emulator-state.json");
  if (values.fresh) rmSync(stateFile, { force: true });
  const fixture = loadFixture(existsSync(stateFile) ? stateFile : DEFAULT_SEED_PATH);
  const emulator = await Emulator.start({
    fixture,
    port: Number(values.port),
    stateFile,
    rateLimits: RATE_LIMIT_PROFILES.enterprise,
  });
  console.log(
    `[main] Auth0 Management API emulator on ${emulator.url} (enterprise rate limits, state in .emulator-state.json)`,
  );
  try {
    const stack = await openStack({
      workDir: PROJECT_ROOT,
      stackName: "dev",
      stateDir: path.join(PROJECT_ROOT, ".pulumi-state"),
      ...(process.env.PULUMI_CONFIG_PASSPHRASE ? { passphrase: process.env.PULUMI_CONFIG_PASSPHRASE } : {}),
    });
    const onOutput = (s: string) => process.stdout.write(s);
    const policyPacks = values["policy-pack"] ? [path.join(PROJECT_ROOT, "policies")] : [];
    if (values.destroy) {
      await stack.destroy({ onOutput, refresh: values.refresh });
    } else if (values.preview) {
      await stack.preview({ onOutput, diff: true, refresh: values.refresh, policyPacks });
    } else {
      const result = await stack.up({ onOutput, refresh: values.refresh, policyPacks });
      console.log(`[main] ${result.summary.result}: ${JSON.stringify(result.summary.resourceChanges ?? {})}`);
    }
  } finally {
    const calls = emulator.counts();
    await emulator.stop();
    console.log(`[main] API calls the emulator answered: ${JSON.stringify(calls)}`);
  }
}

main().catch((err) => {
  console.error(`[main] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
