import { expect } from "chai";
import type { Emulator } from "../../emulator/server";
import { type Declared, memberKey, type RunResult, type SimulatedEngine } from "../helpers/engine-model";
import { ORG } from "../helpers/fixtures";
import { storedClaims } from "./stored-claims";

export function deletesSince(emulator: Emulator, from: number): Array<{ user: string; roles: string[] }> {
  return emulator.requests
    .slice(from)
    .filter((q) => q.method === "DELETE" && q.route === "member-roles")
    .map((q) => ({
      user: decodeURIComponent(q.path.split("/")[6] ?? ""),
      roles: (q.body as { roles?: string[] } | undefined)?.roles ?? [],
    }));
}

/** Every DELETE since `from` was shown by the preview. */
export function expectShown(emulator: Emulator, from: number, result: RunResult, what: string): void {
  for (const del of deletesSince(emulator, from))
    for (const x of del.roles)
      expect(
        result.shownRemovals.get(memberKey(ORG, del.user))?.has(x) ?? false,
        `${what}: DELETE ${x} from ${del.user} was not in the preview`,
      ).to.equal(true);
}

/** What the state of every resource says each member of `members` holds equals the tenant. */
export function stateVsTenant(engine: SimulatedEngine, emulator: Emulator): string[] {
  const problems: string[] = [];
  for (const [name, entry] of engine.resources) {
    const state = storedClaims(entry.outputs);
    for (const [id, held] of Object.entries(state.holds)) {
      const live = emulator.rolesOf(ORG, id) ?? [];
      if (state.mode === "authoritative") {
        if (JSON.stringify(held) !== JSON.stringify(live))
          problems.push(`${name}: ${id} state ${JSON.stringify(held)} tenant ${JSON.stringify(live)}`);
      } else
        for (const x of held)
          if (!live.includes(x))
            problems.push(`${name}: ${id} state claims ${x}; tenant ${JSON.stringify(live)}`);
    }
  }
  return problems;
}

/** The declaration holds in the tenant. */
export function converged(program: Declared[], emulator: Emulator): string[] {
  const problems: string[] = [];
  for (const d of program)
    for (const [id, roles] of Object.entries(d.members)) {
      const live = emulator.rolesOf(ORG, id) ?? [];
      if (d.mode === "authoritative") {
        if (JSON.stringify(live) !== JSON.stringify([...roles].sort()))
          problems.push(`${d.name}: ${id} declared ${JSON.stringify(roles)} tenant ${JSON.stringify(live)}`);
      } else for (const x of roles) if (!live.includes(x)) problems.push(`${d.name}: ${id} lacks ${x}`);
    }
  return problems;
}

export const clone = (p: Declared[]) => p.map((d) => structuredClone(d));
