import type { DesiredState, MemberRoles } from "./desired";
import { planUpdate, type RecordedState, uncertainMembers } from "./plan";

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}

function sameMembers(a: MemberRoles | undefined, b: MemberRoles | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(m: MemberRoles | undefined): Array<[string, string[]]> | unknown {
  if (m === null || typeof m !== "object") return m;
  return Object.keys(m)
    .sort()
    .map((k) => [k, Array.isArray(m[k]) ? [...m[k]].sort() : m[k]]);
}

const isKnownMap = (m: unknown): m is MemberRoles =>
  m !== null && typeof m === "object" && Object.values(m).every(Array.isArray);

/**
 * Old outputs against new (checked) inputs. Pure. Another organization means a replacement: the roles live
 * in a different organization. An update is due when the declaration differs from the recorded `members`, or
 * when the tenant is known to lack a declared role (an addition a failed apply left to do), or a failed write
 * left it unknown what a member holds.
 *
 * @example
 * diffState({ organizationId: "org_a", members: {}, mode: "authoritative", declared: {}, tenantDiffers: {} }, { ...same, organizationId: "org_b" });
 * // { changes: true, replaces: ["organizationId"], ... }
 */
export function diffState(olds: RecordedState, news: DesiredState): DiffOutcome {
  const replaces = olds.organizationId !== news.organizationId ? ["organizationId"] : [];
  const changes =
    replaces.length > 0 ||
    (olds.mode ?? "authoritative") !== news.mode ||
    !sameMembers(olds.holders, news.holders) ||
    (isKnownMap(news.holders) && planUpdate(olds, news.holders, news.mode).length > 0) ||
    // A failed write left a member's roles uncertain: the update reads it again (no write unless needed).
    uncertainMembers(olds).length > 0;
  return {
    changes,
    replaces,
    stables: replaces.length ? [] : ["organizationId"],
    deleteBeforeReplace: false,
  };
}
