/**
 * The local Auth0 Management API emulator: start it, seed it, inject faults, read its counters.
 *
 * @example
 * import { Emulator, loadFixture, DEFAULT_SEED_PATH } from "pulumi-auth0-org-member-roles/emulator";
 * const emulator = await Emulator.start({ fixture: loadFixture(DEFAULT_SEED_PATH) });
 * console.log(emulator.url);
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseFixture } from "./fixture";
import type { TenantFixture } from "./tenant";

export type { AssertionCredential, EmulatorClient } from "./auth";
export { RATE_LIMIT_PROFILES, type RateLimitProfile } from "./buckets";
export { CONTRACT, CONTRACT_SCOPES, type Operation, type OperationName } from "./contract";
export type { FaultConfig } from "./faults";
export {
  ASSERTION_CLIENT_ID,
  assertionClient,
  DEFAULT_CLIENT,
  Emulator,
  type EmulatorOptions,
  emulatorAssertionSettings,
  emulatorSettings,
} from "./server";
export { syntheticTenant, Tenant, type TenantFixture } from "./tenant";

/** The default seed: a small realistic tenant (two organizations, six users, six roles). */
export const DEFAULT_SEED_PATH = path.resolve(__dirname, "../../emulator/seeds/default.json");

export function loadFixture(file: string): TenantFixture {
  return parseFixture(JSON.parse(readFileSync(file, "utf8")));
}
