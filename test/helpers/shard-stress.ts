/**
 * Four shard stacks of one configuration run at once against one emulator with Auth0's Enterprise buckets,
 * over rounds of edits (issue 37): roles added and removed, members dropped and re-added, organizations moved
 * between shards by changing `count`, a shard destroyed and re-created, and edits met by 503s on most writes
 * (the failing runs are then run again, plainly, as a pipeline's next run would). After every round the tenant is
 * compared with an oracle of its own, written from the README's rules and not from the provider's code:
 *   - a declared member holds exactly the roles declared for it (authoritative mode, the default);
 *   - a member declared once and dropped since holds none (every role it held came from a declaration);
 *   - a member never declared (an "outsider") keeps the roles the seed gave it.
 * Moves and re-creations change no declaration in their round: adoption (a create) removes nothing, so an
 * edit riding on a move is a different rule, covered by the shards suite.
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { declareOrganizations } from "../../components/from-config";
import { randomSource } from "../../emulator/faults";
import type { Emulator } from "../../emulator/server";
import type { TenantFixture } from "../../emulator/tenant";

export interface StressShape {
  organizations: number;
  /** Members each organization may declare (plus one outsider that is never declared). */
  members: number;
  roles: number;
  /** Shard stacks; `count` moves between 2 and this. */
  stacks: number;
  seed: number;
}

export type RoundKind = "first apply" | "edit" | "count" | "recreate" | "faults";

export interface RoundReport {
  round: number;
  kind: RoundKind;
  /** What the round did, for a failure message. */
  did: string;
  /** Expected roles missing from the tenant, and roles held but not expected, as `org user role`. */
  lost: string[];
  extra: string[];
  calls: number;
  rateLimited: number;
  failed: Array<{ stack: number; error: string }>;
  seconds: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
export const orgId = (o: number) => `org_stress${pad(o, 10)}`;
export const userId = (o: number, j: number) => `auth0|stress${pad(o, 4)}${pad(j, 2)}00000000`;
export const roleId = (r: number) => `rol_stress${pad(r, 10)}`;
const outsider = (o: number, shape: StressShape) => userId(o, shape.members);
const outsiderRoles = (shape: StressShape) => [roleId(0), roleId(shape.roles - 1)];

/** Every member exists in the seed with no role; each organization's outsider holds two roles. */
export function stressTenant(shape: StressShape): TenantFixture {
  const orgs = Array.from({ length: shape.organizations }, (_, o) => o);
  const everyone = (o: number) => Array.from({ length: shape.members + 1 }, (_, j) => userId(o, j));
  return {
    organizations: orgs.map((o) => ({ id: orgId(o), name: `stress-${o}`, display_name: `Stress ${o}` })),
    users: orgs.flatMap((o) =>
      everyone(o).map((u, j) => ({ user_id: u, email: `s${o}m${j}@example.com`, name: `S ${o} ${j}` })),
    ),
    roles: Array.from({ length: shape.roles }, (_, r) => ({ id: roleId(r), name: `stress-role-${r}` })),
    members: Object.fromEntries(
      orgs.map((o) => [
        orgId(o),
        Object.fromEntries(everyone(o).map((u) => [u, u === outsider(o, shape) ? outsiderRoles(shape) : []])),
      ]),
    ),
  };
}

/** The declaration every stack reads at each run: organization → member → roles. */
type Declared = Map<string, Map<string, string[]>>;

/** The independent model: what the tenant must hold for every member of every organization. */
function expectedTenant(shape: StressShape, declared: Declared): Map<string, Map<string, string[]>> {
  const expected = new Map<string, Map<string, string[]>>();
  for (let o = 0; o < shape.organizations; o++) {
    const members = new Map<string, string[]>();
    for (let j = 0; j < shape.members; j++)
      members.set(userId(o, j), [...(declared.get(orgId(o))?.get(userId(o, j)) ?? [])].sort());
    members.set(outsider(o, shape), [...outsiderRoles(shape)].sort());
    expected.set(orgId(o), members);
  }
  return expected;
}

/** Compares the tenant with the model: every difference, as `org user role`. */
export function compareTenant(
  emulator: Emulator,
  shape: StressShape,
  declared: Declared,
): { lost: string[]; extra: string[] } {
  const lost: string[] = [];
  const extra: string[] = [];
  for (const [org, members] of expectedTenant(shape, declared))
    for (const [user, roles] of members) {
      const held = new Set(emulator.rolesOf(org, user) ?? []);
      for (const r of roles) if (!held.has(r)) lost.push(`${org} ${user} ${r}`);
      for (const r of held) if (!roles.includes(r)) extra.push(`${org} ${user} ${r}`);
    }
  return { lost, extra };
}

/** The first declaration: every member declared with one to three roles. */
function firstDeclaration(shape: StressShape, random: () => number): Declared {
  const declared: Declared = new Map();
  for (let o = 0; o < shape.organizations; o++) {
    const members = new Map<string, string[]>();
    for (let j = 0; j < shape.members; j++) members.set(userId(o, j), someRoles(shape, random));
    declared.set(orgId(o), members);
  }
  return declared;
}

function someRoles(shape: StressShape, random: () => number): string[] {
  const n = 1 + Math.floor(random() * 3);
  const roles = new Set<string>();
  while (roles.size < Math.min(n, shape.roles)) roles.add(roleId(Math.floor(random() * shape.roles)));
  return [...roles];
}

/**
 * An edit round: about a third of the organizations change; in each, every member has a chance of a role
 * added, a role removed, being dropped, or (when dropped before) being declared again.
 */
function edit(shape: StressShape, declared: Declared, random: () => number): string {
  let added = 0;
  let removed = 0;
  let dropped = 0;
  let readded = 0;
  for (let o = 0; o < shape.organizations; o++) {
    if (random() >= 0.35) continue;
    const members = declared.get(orgId(o))!;
    for (let j = 0; j < shape.members; j++) {
      const u = userId(o, j);
      const roles = members.get(u);
      const dice = random();
      if (!roles) {
        if (dice < 0.5) {
          members.set(u, someRoles(shape, random));
          readded++;
        }
      } else if (dice < 0.3) {
        const free = Array.from({ length: shape.roles }, (_, r) => roleId(r)).filter(
          (r) => !roles.includes(r),
        );
        if (free.length > 0) {
          members.set(u, [...roles, free[Math.floor(random() * free.length)]!]);
          added++;
        }
      } else if (dice < 0.6 && roles.length > 0) {
        members.set(
          u,
          roles.filter((_, i) => i !== Math.floor(random() * roles.length)),
        );
        removed++;
      } else if (dice < 0.75) {
        members.delete(u);
        dropped++;
      }
    }
  }
  return `${added} roles added, ${removed} removed, ${dropped} members dropped, ${readded} declared again`;
}

const CYCLE: readonly RoundKind[] = ["edit", "count", "faults", "recreate"];

export interface StressHarness {
  emulator: Emulator;
  /** A new stack whose program is read at each run (see engineSuite.newStack). */
  newStack(program: PulumiFn): Promise<Stack>;
  onOutput?: (s: string) => void;
}

/**
 * Runs `rounds` rounds (the first applies everything with `count` = stacks) and reports each; `after` sees
 * every report as it comes (a test fails fast, a benchmark prints). Stacks run at once in every round.
 */
export async function runShardStress(
  harness: StressHarness,
  shape: StressShape,
  rounds: number,
  after: (report: RoundReport) => void,
): Promise<RoundReport[]> {
  // The emulator's deterministic generator: the same seed gives the same rounds on every machine.
  const random = randomSource(shape.seed);
  const declared = firstDeclaration(shape, random);
  const layout = { count: shape.stacks };
  const program =
    (index: number): PulumiFn =>
    async () => {
      const organizations = [...declared].map(([organizationId, members]) => ({
        organizationId,
        members: Object.fromEntries(members),
      }));
      declareOrganizations({ organizations, shard: { index, count: layout.count } }, "test");
    };
  const stacks: Stack[] = [];
  for (let i = 0; i < shape.stacks; i++) stacks.push(await harness.newStack(program(i)));
  /** Stacks that hold resources now (up since their last destroy). */
  const live = new Set<number>();
  const onOutput = harness.onOutput ?? (() => {});
  const reports: RoundReport[] = [];

  for (let round = 0; round < rounds; round++) {
    let kind: RoundKind;
    let did: string;
    let recreated: number | undefined;
    if (round === 0) {
      kind = "first apply";
      did = `count ${layout.count}, ${shape.organizations} organizations`;
    } else {
      // The kinds in turn, so 10 rounds see a layout change, a faulty round and a re-creation twice each.
      kind = CYCLE[(round - 1) % CYCLE.length]!;
      if (kind === "edit") did = edit(shape, declared, random);
      else if (kind === "faults") did = `${edit(shape, declared, random)}, under faults, then a plain up`;
      else if (kind === "count") {
        const options = Array.from({ length: shape.stacks - 1 }, (_, i) => i + 2).filter(
          (c) => c !== layout.count,
        );
        const before = layout.count;
        layout.count = options[Math.floor(random() * options.length)]!;
        did = `count ${before} → ${layout.count}`;
      } else {
        recreated = Math.floor(random() * layout.count);
        did = `shard ${recreated} of ${layout.count} destroyed and re-created`;
      }
    }
    // Counters start afresh for the round; the buckets do not (a pipeline's next run meets what the last left).
    harness.emulator.resetCounters();
    if (kind === "faults")
      harness.emulator.setFaults({
        // Nine writes in ten answer 503, additions or removals in turn, so most runs fail past their retries.
        failRate: { fraction: 0.9, status: 503 },
        failOnly: round % 2 === 0 ? "POST" : "DELETE",
        failPhase: round % 4 < 2 ? "before" : "after",
        seed: shape.seed + round,
      });
    const start = performance.now();
    const failed: RoundReport["failed"] = [];
    await Promise.all(
      stacks.map(async (stack, i) => {
        try {
          if (i >= layout.count) {
            // A shard past `count` retires: its destroy releases (its resources are retained).
            if (live.has(i)) await stack.destroy({ onOutput });
            live.delete(i);
            return;
          }
          if (i === recreated) await stack.destroy({ onOutput });
          await stack.up({ onOutput });
          live.add(i);
        } catch (e) {
          failed.push({ stack: i, error: (e instanceof Error ? e.message : String(e)).slice(-2000) });
        }
      }),
    );
    if (kind === "faults") {
      // The first ups met 503s on most writes (some applied before the 503): they may fail. The promise: the
      // next plain up converges, so only the second ups' failures count.
      const faulted = failed.splice(0).length;
      harness.emulator.setFaults({});
      await Promise.all(
        [...live].map(async (i) => {
          try {
            await stacks[i]!.up({ onOutput });
          } catch (e) {
            failed.push({ stack: i, error: (e instanceof Error ? e.message : String(e)).slice(-2000) });
          }
        }),
      );
      did += ` (${faulted} of ${live.size} faulty runs failed)`;
    }
    const seconds = (performance.now() - start) / 1000;
    const report: RoundReport = {
      round,
      kind,
      did,
      ...compareTenant(harness.emulator, shape, declared),
      calls: harness.emulator.apiCalls(),
      rateLimited: harness.emulator.count({ status: 429 }),
      failed,
      seconds,
    };
    reports.push(report);
    after(report);
  }
  return reports;
}
