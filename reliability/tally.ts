import type { Emulator } from "../emulator/server";

/**
 * Compares what the emulator's members hold with what they should: `lost` counts expected (member, role)
 * pairs missing, `extra` pairs present that should not be.
 *
 * @example
 * const { lost, extra } = tally(emulator, org, { "auth0|a": ["rol_..."] });
 */
export function tally(
  emulator: Emulator,
  org: string,
  expected: Record<string, string[]>,
): { lost: number; extra: number } {
  let lost = 0;
  let extra = 0;
  for (const [user, roles] of Object.entries(expected)) {
    const actual = new Set(emulator.rolesOf(org, user) ?? []);
    const want = new Set(roles);
    for (const r of want) if (!actual.has(r)) lost++;
    for (const r of actual) if (!want.has(r)) extra++;
  }
  return { lost, extra };
}
