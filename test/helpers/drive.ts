import { type Emulator, emulatorSettings } from "../../emulator/server";
import type { TenantFixture } from "../../emulator/tenant";
import type { Clock } from "../../src/clock";
import type { OrgMemberRolesOutputs } from "../../src/provider/implementation";
import { startEmulator } from "./emulator";

/** The implementation, loaded the way the serialised shell loads it: by package name. */
export const impl: typeof import("../../src/provider/implementation") = require("pulumi-auth0-org-member-roles/provider");

export async function configureFor(
  emulator: Emulator,
  extra: Record<string, string> = {},
  clock?: Clock,
): Promise<void> {
  await impl.configureWith(
    {
      ...emulatorSettings(emulator.url),
      "orgMemberRoles:concurrency": "8",
      ...extra,
    },
    clock ? { clock } : {},
  );
}

/** An emulator for a suite of provider tests: reset, and the provider configured for it, before each test. */
export function providerSuite(fixture: TenantFixture): () => Emulator {
  const ctx = startEmulator(fixture);
  beforeEach(async () => {
    ctx.emulator.reset();
    await configureFor(ctx.emulator);
  });
  return () => ctx.emulator;
}

export interface Stored {
  id: string;
  outputs: OrgMemberRolesOutputs;
}

/**
 * Calls the provider in the order the engine does for `pulumi up` (check, then create, or diff and update or
 * replace). The real engine runs these in test/e2e; this driver pins call counts per method.
 */
export async function up(stored: Stored | undefined, inputs: Record<string, unknown>): Promise<Stored> {
  impl.startRun();
  const checked = await impl.check((stored?.outputs ?? {}) as Record<string, unknown>, inputs);
  if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("\n"));
  const news = checked.inputs as Record<string, unknown>;
  if (!stored) {
    const created = await impl.create(news);
    return { id: created.id, outputs: created.outs as OrgMemberRolesOutputs };
  }
  const diff = await impl.diff(stored.id, stored.outputs, news as never);
  if (!diff.changes) return stored;
  if (diff.replaces?.length) {
    const created = await impl.create(news);
    await impl.delete(stored.id, stored.outputs);
    return { id: created.id, outputs: created.outs as OrgMemberRolesOutputs };
  }
  const updated = await impl.update(stored.id, stored.outputs, news);
  return { id: stored.id, outputs: updated.outs as OrgMemberRolesOutputs };
}

/** `pulumi destroy`: a run of its own, so no resource of an earlier run claims anything. */
export async function destroy(stored: Stored): Promise<void> {
  impl.startRun();
  await impl.delete(stored.id, stored.outputs);
}

/** `pulumi refresh`: read replaces the stored outputs. */
export async function refresh(stored: Stored): Promise<Stored> {
  impl.startRun();
  const result = await impl.read(stored.id, stored.outputs);
  return { id: result.id ?? "", outputs: result.props as OrgMemberRolesOutputs };
}
