/**
 * One `pulumi up` in its own process, for crash trials: the parent kills this process group (node, the
 * pulumi CLI, the provider plugin) with SIGKILL at a random moment. Settings come from the environment.
 */
import { OrgMemberRoles } from "../components/org-member-roles";
import { emulatorSettings } from "../emulator/server";
import { configureStack, openStack } from "../scripts/engine";
import { desiredFor } from "./crash-plan";

async function main(): Promise<void> {
  const env = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set`);
    return v;
  };
  const members = desiredFor(Number(env("CRASH_VARIANT")), Number(env("CRASH_MEMBERS")));
  const stack = await openStack({
    workDir: env("CRASH_WORKDIR"),
    stackName: "crash",
    stateDir: env("CRASH_STATE_DIR"),
    home: env("CRASH_HOME"),
    program: async () => {
      new OrgMemberRoles("org", { organizationId: env("CRASH_ORG"), members });
    },
  });
  await configureStack(stack, emulatorSettings(env("CRASH_EMULATOR_URL")));
  const mode = process.env.CRASH_MODE ?? "up";
  if (mode === "recover") {
    // The recovery a user runs after a killed `up` (README, "Failures and recovery").
    await stack.cancel().catch(() => undefined);
    await stack.refresh({ clearPendingCreates: true });
  }
  const result = await stack.up();
  console.log(`up: ${result.summary.result}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
