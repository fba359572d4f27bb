import { type PolicyResource, UnknownValueError } from "@pulumi/policy";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import type { MemberTotal } from "../assignments";

/**
 * What the governance rules read of the stack beside the assignments (assignments.ts): what role names
 * resolved to (so the config may name roles by name or ID), and when each grant ends. Never throws on
 * values unknown at preview.
 */
export interface StackFacts {
  /** Role name → role ID, from every resource's `resolved.roles`. */
  roleIds: Readonly<Record<string, string>>;
  /** False when some resource's `resolved` is not known yet (at preview): `roleIds` may then miss names. */
  namesKnown: boolean;
}

function known<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch (err) {
    if (err instanceof UnknownValueError || (err as Error)?.constructor?.name === "UnknownValueError")
      return undefined;
    throw err;
  }
}

/** Whether reading `key` of `r` meets a value not known until apply (not: absent). */
const isUnknownProp = (r: PolicyResource, key: string) => {
  const marker = {};
  return (
    known(() => {
      void r.props[key];
      return marker;
    }) !== marker
  );
};

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";

export function stackFacts(resources: readonly PolicyResource[]): StackFacts {
  const roleIds: Record<string, string> = {};
  let namesKnown = true;
  for (const r of resources) {
    if (r.type !== RESOURCE_TYPE_TOKEN) continue;
    const resolved = known(() => r.props["resolved"]);
    const roles = isMap(resolved) ? known(() => resolved["roles"]) : undefined;
    if (isMap(roles)) {
      for (const [name, id] of Object.entries(roles))
        if (typeof id === "string") roleIds[name] = id;
        else namesKnown = false;
    } else if (isUnknownProp(r, "resolved") || isUnknownProp(r, "members")) namesKnown = false;
  }
  return { roleIds, namesKnown };
}

/** The ends our resource declares: member → role ID → instant (empty when none, or unknown). */
export function endsOf(r: PolicyResource): Record<string, Record<string, string>> {
  const until = known(() => r.props["until"]);
  return isMap(until) ? (until as Record<string, Record<string, string>>) : {};
}

/** Whether a role of the config (an ID or a name) is `roleId`. */
export const isRole = (facts: StackFacts, ref: string, roleId: string) =>
  ref === roleId || facts.roleIds[ref] === roleId;

/**
 * How a message names a member: its user ID, or, when any resource declaring it keeps members secret, not
 * (the same `secret` flag of each assignment that the other rules' `shown` reads, assignments.ts).
 */
export function memberLabel(total: Pick<MemberTotal, "userId" | "assignments">): string {
  return total.assignments.some((a) => a.secret) ? "(a secret member)" : total.userId;
}
