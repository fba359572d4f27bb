import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { Emulator, type EmulatorOptions, emulatorSettings } from "../../emulator/server";
import type { TenantFixture } from "../../emulator/tenant";
import { configureStack, openStack, scratchProject } from "../../scripts/engine";

/**
 * What a real-engine suite needs: an emulator started before it and stopped after, a scratch directory, and
 * new stacks on one file backend whose program is read each time the engine runs it.
 */
export function engineSuite(
  label: string,
  fixture: () => TenantFixture,
  options: Omit<EmulatorOptions, "fixture"> = {},
) {
  const output: string[] = [];
  const suite = {
    emulator: undefined as unknown as Emulator,
    tmp: "",
    stacks: 0,
    onOutput: (s: string) => void output.push(s),
    /** The engine output since the last call. */
    take: () => output.splice(0).join(""),
    /** A new stack of a scratch project; `program` is called on every run, so it may read changing variables. */
    async newStack(program: PulumiFn): Promise<Stack> {
      const name = `${label}${++suite.stacks}`;
      const stack = await openStack({
        workDir: scratchProject(path.join(suite.tmp, name), { name: label }),
        stackName: name,
        stateDir: path.join(suite.tmp, "state"),
        home: path.join(suite.tmp, "home"),
        program,
      });
      await configureStack(stack, emulatorSettings(suite.emulator.url));
      return stack;
    },
  };
  before(async () => {
    suite.emulator = await Emulator.start({ ...options, fixture: fixture() });
    suite.tmp = mkdtempSync(path.join(os.tmpdir(), `org-roles-${label}-`));
  });
  after(async () => {
    await suite.emulator?.stop();
    if (suite.tmp) rmSync(suite.tmp, { recursive: true, force: true });
  });
  return suite;
}
