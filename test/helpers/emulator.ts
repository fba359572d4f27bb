import { DEFAULT_CLIENT, Emulator, type EmulatorOptions, emulatorSettings } from "../../emulator/server";
import type { TenantFixture } from "../../emulator/tenant";
import { resolveConnection } from "../../src/client/credentials";
import { type ClientOptions, ManagementClient } from "../../src/client/management-client";
import { type Clock, realClock } from "../../src/clock";

/** Starts an emulator on port 0 for a suite; `after` stops it so the test process exits by itself. */
export function startEmulator(fixture: TenantFixture, options: Partial<EmulatorOptions> = {}) {
  const ctx: { emulator: Emulator } = { emulator: undefined as unknown as Emulator };
  before(async () => {
    ctx.emulator = await Emulator.start({ fixture, ...options });
  });
  after(async () => {
    await ctx.emulator?.stop();
  });
  return ctx;
}

/** A client with the emulator's default client credentials; fast backoff for tests. */
export function clientFor(
  emulator: Emulator,
  options: ClientOptions = {},
  clock: Clock = realClock,
): ManagementClient {
  const settings = emulatorSettings(emulator.url);
  return ManagementClient.connect(
    resolveConnection((k) => settings[k], {}),
    { backoffBaseMs: 5, clock, ...options },
  );
}

export const SECRET = DEFAULT_CLIENT.clientSecret;
