/**
 * The fault matrix: every injected fault crossed with every operation of the resource, against the emulator.
 * A run passes when the tenant ends exactly as declared, either at once or after the failure named what was
 * left and a second run converged. Used by the CI test (few trials) and `npm run reliability` (many).
 */
import type { FaultConfig } from "../emulator/faults";
import { Emulator, emulatorSettings } from "../emulator/server";
import { syntheticTenant } from "../emulator/tenant";
import type { OrgMemberRolesOutputs } from "../src/provider/implementation";
import { tally } from "./tally";

const impl: typeof import("../src/provider/implementation") = require("pulumi-auth0-org-member-roles/provider");

export interface FaultCase {
  name: string;
  faults: FaultConfig;
  /** Extra provider settings for this case (e.g. a short request timeout). */
  settings?: Record<string, string>;
}

/** Faults from the reliability issue; `seed` varies per trial so fractions hit different requests. */
export const FAULT_CASES: FaultCase[] = [
  {
    name: "20% of requests fail with 503 (before applying)",
    faults: { failRate: { fraction: 0.2, status: 503 } },
  },
  {
    name: "20% fail with 500 after applying",
    faults: { failRate: { fraction: 0.2, status: 500 }, failPhase: "after" },
  },
  { name: "10% of connections reset", faults: { resetRate: 0.1 } },
  { name: "429 storm, reset 2 s away", faults: { storm: { requests: 10, resetInSeconds: 2 } } },
  {
    name: "answers slower than the client's timeout",
    faults: { slowNext: { count: 4, ms: 1_200 } },
    settings: { "orgMemberRoles:requestTimeoutMs": "400" },
  },
  { name: "token expires mid-run", faults: { expireTokensAfter: 15 } },
  { name: "members listing lags writes by 60 s", faults: { listingLagMs: 60_000 } },
];

export const OPERATIONS = ["create", "update", "refresh", "delete"] as const;
export type EngineOperation = (typeof OPERATIONS)[number];

export interface RunResult {
  fault: string;
  operation: EngineOperation;
  convergedFirstTime: boolean;
  convergedOnRerun: boolean;
  /** Declared (member, role) pairs missing at the end. */
  lost: number;
  /** (member, role) pairs present that should not be. */
  extra: number;
  calls: number;
  /** The first run's error named every member left to do (when it failed). */
  errorNamedMembers: boolean;
  seconds?: number;
}

const MEMBERS = 40;
const role = (i: number) => `rol_${String(i % 12).padStart(16, "0")}`;

/** Runs one (fault, operation) trial on a fresh tenant. */
export async function runTrial(
  emulator: Emulator,
  fault: FaultCase,
  operation: EngineOperation,
  seed: number,
): Promise<RunResult> {
  const fixture = syntheticTenant({
    members: MEMBERS + 5,
    roles: 12,
    assigned: (i) => (i >= MEMBERS ? [11] : i % 3 === 0 ? [10] : []),
  });
  emulator.reset(fixture);
  const org = fixture.organizations[0]!.id;
  const users = fixture.users.slice(0, MEMBERS).map((u) => u.user_id);
  const before = users.map((u) => emulator.rolesOf(org, u)!);
  const first = Object.fromEntries(users.map((u, i) => [u, [role(i), role(i + 1)].sort()]));
  // The update gains and loses roles for most members and drops two members from the map.
  const second = Object.fromEntries(users.slice(2).map((u, i) => [u, [role(i + 1), role(i + 4)].sort()]));
  const settings = {
    ...emulatorSettings(emulator.url),
    "orgMemberRoles:retryBudget": "200",
    ...fault.settings,
  };
  await impl.configureWith(settings);
  const inputs = (members: Record<string, string[]>) => ({
    organizationId: org,
    members,
    mode: "authoritative",
  });

  // Arrange without faults.
  let state: OrgMemberRolesOutputs | undefined;
  if (operation !== "create") state = (await impl.create(inputs(first))).outs as OrgMemberRolesOutputs;
  if (operation === "refresh") emulator.setRolesOf(org, users[5]!, [role(9)]); // drift for the refresh to see

  const act = async (): Promise<void> => {
    switch (operation) {
      case "create":
        state = (await impl.create(inputs(first))).outs as OrgMemberRolesOutputs;
        return;
      case "update":
        state = (await impl.update("id", state!, inputs(second))).outs as OrgMemberRolesOutputs;
        return;
      case "refresh":
        state = (await impl.read("id", state!)).props as OrgMemberRolesOutputs;
        return;
      case "delete":
        await impl.delete("id", state!);
    }
  };

  emulator.resetCounters();
  emulator.setFaults({ ...structuredClone(fault.faults), seed });
  let firstError: unknown;
  try {
    await act();
  } catch (err) {
    firstError = err;
    // As the engine does: an error that carries properties (a partial apply) records them as the state.
    const partial = (err as { properties?: OrgMemberRolesOutputs }).properties;
    if (partial) state = partial;
  }
  const calls = emulator.apiCalls();
  emulator.setFaults({});
  let rerunError: unknown;
  if (firstError) {
    await impl.configureWith(settings);
    try {
      await act();
    } catch (err) {
      rerunError = err;
    }
  }

  // What the tenant must hold now, per member.
  const expected = users.map((u, i) => {
    switch (operation) {
      case "create":
        return [...new Set([...before[i]!, ...first[u]!])].sort(); // adoption: nothing removed
      case "update": {
        // Authoritative over what the state shows; roles adopted at create and never refreshed stay (no
        // preview showed them). Dropped members lose only the declared roles.
        const unseen = before[i]!.filter((r) => !first[u]!.includes(r));
        return [...new Set([...(second[u] ?? []), ...unseen])].sort();
      }
      case "refresh":
        return u === users[5] ? [role(9)] : [...new Set([...before[i]!, ...first[u]!])].sort();
      default:
        return before[i]!.filter((r) => !first[u]!.includes(r)); // delete
    }
  });
  // Members outside the declaration are never touched: they keep role 11.
  const untouched = Object.fromEntries(fixture.users.slice(MEMBERS).map((u) => [u.user_id, [role(11)]]));
  const { lost, extra } = tally(emulator, org, {
    ...Object.fromEntries(users.map((u, i) => [u, expected[i]!])),
    ...untouched,
  });
  // A refresh must also record what it saw: the drifted member's roles.
  const refreshSawDrift = operation !== "refresh" || state?.members[users[5]!]?.join() === role(9);
  const converged = lost === 0 && extra === 0 && refreshSawDrift && !rerunError;
  const message = firstError instanceof Error ? firstError.message : String(firstError ?? "");
  return {
    fault: fault.name,
    operation,
    convergedFirstTime: converged && !firstError,
    convergedOnRerun: converged && Boolean(firstError),
    lost,
    extra,
    calls,
    errorNamedMembers: !firstError || /auth0\|/.test(message) || /failed/.test(message),
  };
}

/** Runs the whole matrix `trials` times on one emulator. */
export async function runMatrix(trials: number, onResult?: (r: RunResult) => void): Promise<RunResult[]> {
  const emulator = await Emulator.start({ fixture: syntheticTenant({ members: 1, roles: 1 }) });
  const results: RunResult[] = [];
  try {
    for (let t = 0; t < trials; t++)
      for (const fault of FAULT_CASES)
        for (const operation of OPERATIONS) {
          const started = performance.now();
          const result = await runTrial(emulator, fault, operation, 1000 + t);
          result.seconds = (performance.now() - started) / 1000;
          results.push(result);
          onResult?.(result);
        }
  } finally {
    await emulator.stop();
  }
  return results;
}
