import { isUnknown } from "../pulumi/unknown";
import type { CheckFailure, DesiredState, MemberRoles } from "./desired";
import type { Resolution } from "./names";
import { minus } from "./role-sets";

/**
 * Grants that end (`{ role, until }`, passed as `until` beside `members`): `check` decides once a run, on the
 * run's clock, so `update` makes exactly the removal the preview showed (`expired`). Pure: given the time.
 */

/** Member user ID → role ID → the instant the grant ends (ISO 8601, UTC, as `Date.toISOString` writes it). */
export type Ends = Record<string, Record<string, string>>;

/** What `check` carries in the checked inputs: the ends still declared, and the grants that have ended. */
export interface ExpiryPlan {
  /** The members with every ended grant taken out: what `update` makes the tenant hold. */
  members: MemberRoles;
  /** Every declared end, canonical, ended or not (the PR summary lists them). */
  until: Ends;
  /** Member → the roles whose grant has ended, sorted; shown in the preview as `expired`. */
  expired: MemberRoles;
}

/** An ISO 8601 instant with a date, a time and a zone: `2026-12-31T18:00:00Z`, `2026-12-31T19:00+01:00`. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `text` in milliseconds if a complete ISO 8601 instant with a zone (a date alone or a local time would end
 * at a different moment on every runner) on a real day: "2026-02-30T00:00:00Z" gives undefined.
 */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  // Date.parse rolls 30 February over into March: the day must exist in its month.
  const lastDay = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > lastDay) return undefined;
  return ms;
}

const where = (userId: string, roleId: string) =>
  `until[${JSON.stringify(userId)}][${JSON.stringify(roleId)}]`;

/**
 * Which declared grants have ended at `now`, and `members` without them. An end `recorded` already holds
 * ends quietly at its time; a new or changed one must be a valid future instant on a declared role.
 */
export function planExpiry(
  members: MemberRoles,
  until: Ends,
  recorded: Ends | undefined,
  now: number,
): { ok: true; plan: ExpiryPlan } | { ok: false; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const canonical: Ends = {};
  const expired: MemberRoles = {};
  for (const userId of Object.keys(until).sort()) {
    const ends = until[userId] ?? {};
    const roles = members[userId];
    for (const roleId of Object.keys(ends).sort()) {
      const property = where(userId, roleId);
      const text = ends[roleId];
      const ms = parseInstant(text);
      if (ms === undefined) {
        failures.push({
          property,
          reason: `${property}: member ${userId}, role ${roleId}: ${JSON.stringify(text)} is not a date and time with a zone; write it as 2026-12-31T18:00:00Z.`,
        });
        continue;
      }
      if (roles === undefined || isUnknown(roles) || !roles.includes(roleId)) {
        if (roles !== undefined && isUnknown(roles)) continue;
        failures.push({
          property,
          reason: `${property}: member ${userId} is not declared with role ${roleId}, so it has no grant to end; declare the role as { role, until } in the member's list.`,
        });
        continue;
      }
      const end = new Date(ms).toISOString();
      const before = recorded?.[userId]?.[roleId];
      const declaredBefore = before !== undefined && parseInstant(before) === ms;
      if (ms <= now && !declaredBefore) {
        failures.push({
          property,
          reason: `${property}: member ${userId}, role ${roleId}: the grant would end at ${end}, which is in the past (now ${new Date(now).toISOString()}); give an end in the future, or drop the role.`,
        });
        continue;
      }
      canonical[userId] = { ...canonical[userId], [roleId]: end };
      if (ms <= now) expired[userId] = [...(expired[userId] ?? []), roleId];
    }
  }
  if (failures.length > 0) return { ok: false, failures };
  const left: MemberRoles = {};
  for (const [userId, roles] of Object.entries(members))
    left[userId] = expired[userId] && !isUnknown(roles) ? minus(roles, expired[userId]) : roles;
  return { ok: true, plan: { members: left, until: canonical, expired } };
}

/**
 * A role with an end listed more than once in a member's list (`["admin", { role: "admin", until }]`): the
 * program passes one end per role, so whether and when the grant ends would depend on the order. `members`
 * is the declaration by IDs before duplicates are dropped.
 */
export function repeatedEnds(members: unknown, until: Ends): CheckFailure[] {
  if (members === null || typeof members !== "object" || isUnknown(members)) return [];
  const failures: CheckFailure[] = [];
  for (const [userId, roles] of Object.entries(members as Record<string, unknown>)) {
    if (!Array.isArray(roles)) continue;
    const ends = until[userId] ?? {};
    for (const roleId of Object.keys(ends).sort()) {
      if (roles.filter((r) => r === roleId).length < 2) continue;
      const property = `members[${JSON.stringify(userId)}]`;
      failures.push({
        property,
        reason: `${property}: member ${userId}, role ${roleId}: the role is listed more than once and has an end, so whether and when the grant ends would depend on the order; list it once, as { role, until }.`,
      });
    }
  }
  return failures;
}

/** The grants of `until` ending after `now` and at most `withinMs` later, soonest first. */
export function endingSoon(
  until: Ends,
  now: number,
  withinMs: number,
): Array<{ userId: string; roleId: string; until: string }> {
  const out: Array<{ userId: string; roleId: string; until: string; ms: number }> = [];
  for (const [userId, ends] of Object.entries(until))
    for (const [roleId, text] of Object.entries(ends)) {
      const ms = parseInstant(text);
      if (ms !== undefined && ms > now && ms - now <= withinMs) out.push({ userId, roleId, until: text, ms });
    }
  return out
    .sort((a, b) => a.ms - b.ms || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .map(({ ms: _ms, ...rest }) => rest);
}

/** A week, the PR summary's "ending soon". */
export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The ends a declaration or a state carries: `until` (what ends when) and `expired` (what has ended). */
export type ExpiryProps = Pick<DesiredState, "until" | "expired">;

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);

/** The ends of checked inputs or stored props, each when it is a map. */
export function expiryProps(source: Record<string, unknown>): ExpiryProps {
  return {
    ...(isMap(source["until"]) ? { until: source["until"] as Ends } : {}),
    ...(isMap(source["expired"]) ? { expired: source["expired"] as MemberRoles } : {}),
  };
}

/** The program's `until` by IDs, its emails and role names resolved as `resolved` says. */
export function endsByIds(until: unknown, resolved: Resolution | undefined): Ends {
  if (!isMap(until)) return {};
  const out: Ends = {};
  for (const [userRef, ends] of Object.entries(until)) {
    if (!isMap(ends)) continue;
    const userId = resolved?.users[userRef] ?? userRef;
    for (const [roleRef, end] of Object.entries(ends))
      out[userId] = { ...out[userId], [resolved?.roles[roleRef] ?? roleRef]: end as string };
  }
  return out;
}

/** Whether two sets of ends differ: an update records new ones, with no write if nothing else changed. */
export function endsChanged(a: ExpiryProps, b: ExpiryProps): boolean {
  return stable([a.until ?? {}, a.expired ?? {}]) !== stable([b.until ?? {}, b.expired ?? {}]);
}

/** JSON with every object's keys sorted: the engine does not keep the order keys were written in. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isMap(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
