import type { DesiredState, MemberRoles } from "./desired";

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
    .map((k) => [k, [...(m[k] ?? [])].sort()]);
}

/**
 * Old outputs against new (checked) inputs. Pure. Another organization means a replacement: the roles live
 * in a different organization.
 *
 * @example
 * diffState({ organizationId: "org_a", members: {}, mode: "authoritative" }, { ...same, organizationId: "org_b" });
 * // { changes: true, replaces: ["organizationId"], ... }
 */
export function diffState(
  olds: Pick<DesiredState, "organizationId" | "members" | "mode">,
  news: DesiredState,
): DiffOutcome {
  const replaces = olds.organizationId !== news.organizationId ? ["organizationId"] : [];
  const changes =
    replaces.length > 0 ||
    (olds.mode ?? "authoritative") !== news.mode ||
    !sameMembers(olds.members, news.members);
  return {
    changes,
    replaces,
    stables: replaces.length ? [] : ["organizationId"],
    deleteBeforeReplace: false,
  };
}
