import type { CheckFailure, DesiredState } from "../model/desired";
import { type Ends, planExpiry, repeatedEnds } from "../model/expiry";
import type { Resolution } from "../model/names";
import { isUnknown } from "../pulumi/unknown";
import type { RunContext } from "./context";

/** The props of expiring grants: `until` (what ends when) and `expired` (what has ended), each when not empty. */
export interface ExpiryProps {
  until?: Ends;
  expired?: Record<string, string[]>;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);

/** `until` by IDs: the references as written, with emails and role names as `resolved` resolved them. */
function endsByIds(until: unknown, resolved: Resolution | undefined): Ends {
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

/**
 * The run's one decision about ends (check): which grants have ended on the run's clock, taken out of
 * `members` and listed in `expired`; the inputs `update` then applies carry that decision as it was shown.
 * Grants of `recorded` (the inputs the state holds) end quietly; new ends must lie ahead. An end on a role
 * another resource of the run declares for the member fails: it could not remove what that one keeps.
 */
export function checkExpiry(
  ctx: RunContext,
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
  desired: DesiredState,
): { desired: DesiredState; props: ExpiryProps } | { failures: CheckFailure[] } {
  const until = endsByIds(inputs["until"], desired.resolved);
  if (isUnknown(desired.holders)) return { desired, props: {} };
  const repeated = repeatedEnds(inputs["members"], until);
  if (repeated.length > 0) return { failures: repeated };
  const sameOrg = olds["organizationId"] === desired.organizationId;
  const recorded = sameOrg && isMap(olds["until"]) ? (olds["until"] as Ends) : undefined;
  const outcome = planExpiry(desired.holders, until, recorded, ctx.clock.now());
  if (!outcome.ok) return { failures: outcome.failures };
  // Expired grants are out of `members`: they keep nothing from another resource.
  const conflicts = ctx.claims.grantConflicts(
    desired.organizationId,
    outcome.plan.members,
    outcome.plan.until,
    JSON.stringify(inputs),
  );
  if (conflicts.length > 0) return { failures: conflicts };
  const { until: ends, expired } = outcome.plan;
  return {
    desired: { ...desired, holders: outcome.plan.members },
    props: {
      ...(Object.keys(ends).length > 0 ? { until: ends } : {}),
      ...(Object.keys(expired).length > 0 ? { expired } : {}),
    },
  };
}

/** The expiry props of checked inputs or stored props, mirrored into the outputs (and a refresh's inputs). */
export function expiryProps(source: Record<string, unknown>): ExpiryProps {
  return {
    ...(isMap(source["until"]) ? { until: source["until"] as Ends } : {}),
    ...(isMap(source["expired"]) ? { expired: source["expired"] as Record<string, string[]> } : {}),
  };
}

/** Whether the ends recorded differ from the checked ones: an update records them, with no write if nothing else changed. */
export function endsChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const a = expiryProps(olds);
  const b = expiryProps(news);
  return stable([a.until ?? {}, a.expired ?? {}]) !== stable([b.until ?? {}, b.expired ?? {}]);
}

/** JSON with every object's keys sorted: the engine does not keep the order keys were written in. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isMap(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
