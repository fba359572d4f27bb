import * as pulumi from "@pulumi/pulumi";
import type { Ends } from "../src/model/expiry";
import { memberMapProblems } from "../src/model/input-shapes";
import { isLater, PROGRAM_VALUES } from "./args-shape";
import {
  type ExpiringGrant,
  type MemberEntry,
  type MembersInput,
  type RoleRef,
  roleIdOf,
  userIdOf,
} from "./auth0-inputs";

const isGrant = (ref: unknown): ref is ExpiringGrant =>
  ref !== null && typeof ref === "object" && !pulumi.CustomResource.isInstance(ref) && "until" in ref;

const roleOf = (ref: RoleRef | ExpiringGrant): RoleRef => (isGrant(ref) ? ref.role : ref);

function hasGrant(members: MembersInput): boolean {
  const lists = Array.isArray(members)
    ? members.map((e: MemberEntry) => e.roles)
    : Object.values(members as Record<string, unknown>);
  return lists.some((roles) => Array.isArray(roles) && roles.some(isGrant));
}

/** Role IDs (or names, resolved by the provider) and the ends of one member's list. */
function splitList(roles: ReadonlyArray<RoleRef | ExpiringGrant>) {
  const ends = roles.filter(isGrant).map((g) => pulumi.all([roleIdOf(g.role), g.until]));
  return { roles: roles.map((r) => roleIdOf(roleOf(r))), ends: pulumi.all(ends), count: ends.length };
}

/** The provider's `until` input: one output, or member → that member's ends (each resolving on its own). */
type UntilInput = pulumi.Output<Ends | undefined> | Record<string, pulumi.Output<Record<string, string>>>;

/**
 * The ends as an input whose members resolve separately, when every member with an end is named by a plain
 * string: a grant whose role is an output not known at preview (a role this run creates) then makes that
 * member's ends unknown, not every member's, so check still decides at preview which of the others' grants
 * have ended (the removal the up makes is the one the preview shows). Else one output, as before.
 */
function untilInput(
  split: ReadonlyArray<{
    user: pulumi.Input<string>;
    ends: pulumi.Output<Array<[string, string]>>;
    count: number;
  }>,
): UntilInput {
  const ending = split.filter((s) => s.count > 0);
  if (ending.every((s) => typeof s.user === "string"))
    return Object.fromEntries(
      ending.map((s) => [s.user as string, s.ends.apply((e) => Object.fromEntries(e))]),
    );
  return pulumi.all(split.map((s) => pulumi.all([s.user, s.ends]))).apply(endsOf);
}

const endsOf = (pairs: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]>) => {
  const out: Ends = {};
  for (const [user, ends] of pairs) if (ends.length > 0) out[user] = Object.fromEntries(ends);
  return Object.keys(out).length > 0 ? out : undefined;
};

/**
 * `members` without the ends, and the ends as the provider's `until` input (member → role → instant, by
 * the references as written; the provider resolves names). Members with no end at all pass through as
 * given (their secrecy and form unchanged), with no `until`. A secret map's ends are a secret too.
 */
export function splitGrants(members: MembersInput): {
  members: MembersInput;
  until?: UntilInput;
} {
  if (isLater(members)) {
    const map = pulumi.output(members as pulumi.Input<Record<string, unknown[]>>);
    // What the Output holds is known only here, where throwing would fail the program from inside the engine's
    // serialisation: a misshapen value passes as it is, and the provider's check names each of its problems.
    const sound = (m: unknown): m is Record<string, unknown[]> =>
      memberMapProblems(m, [], PROGRAM_VALUES).length === 0;
    return {
      members: map.apply((m) =>
        !sound(m)
          ? m
          : Object.fromEntries(
              Object.entries(m).map(([u, roles]) => [u, roles.map((r) => roleOf(r as RoleRef))]),
            ),
      ) as MembersInput,
      until: map.apply((m) =>
        !sound(m)
          ? undefined
          : endsOf(
              Object.entries(m).map(([u, roles]) => [
                u,
                (roles as unknown[]).filter(isGrant).map((g) => [String(g.role), String(g.until)] as const),
              ]),
            ),
      ),
    };
  }
  if (!hasGrant(members)) return { members };
  if (Array.isArray(members)) {
    const split = members.map((e) => ({ user: e.user, ...splitList(e.roles) }));
    return {
      members: split.map((s) => ({ user: s.user, roles: s.roles })),
      until: untilInput(split.map((s) => ({ ...s, user: userIdOf(s.user) }))),
    };
  }
  const entries = Object.entries(members as Record<string, Array<RoleRef | ExpiringGrant>>);
  const split = entries.map(([user, roles]) => ({ user, ...splitList(roles) }));
  return {
    members: Object.fromEntries(split.map((s) => [s.user, s.roles])) as MembersInput,
    until: untilInput(split),
  };
}
