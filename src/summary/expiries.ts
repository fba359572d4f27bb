import { type Ends, endingSoon, parseInstant, WEEK_MS } from "../model/expiry";
import { RESOURCE_TYPE_TOKEN } from "../pulumi/tokens";
import { isUnknown } from "../pulumi/unknown";
import { resourceName } from "./member-changes";
import { isSecretValue, type PreviewRecord } from "./preview-json";

/** One grant with an end, as the preview's new inputs declare it. */
export interface GrantEnd {
  resource: string;
  organizationId: string;
  userId: string;
  roleId: string;
  until: string;
  /** Ended: this run removes it (the preview lists it under `expired`). */
  expired: boolean;
  /** Ends after now and within a week: a later `up` will remove it, without another review. */
  soon: boolean;
}

/** What the summary says of ends: every grant's end, and the resources whose ends are secret (not shown). */
export interface GrantEnds {
  ends: GrantEnd[];
  secretIn: string[];
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);

/**
 * Every end the preview's resources declare (their new inputs, as check computed them: `until` and
 * `expired`), sorted by organization, end, member. `now` is the summary's clock (a parameter for tests).
 * A secret map's ends stay secret: only the resource is named.
 */
export function grantEnds(record: PreviewRecord, now: number): GrantEnds {
  const ends: GrantEnd[] = [];
  const secretIn = new Set<string>();
  for (const step of record.steps) {
    if (step.type !== RESOURCE_TYPE_TOKEN || step.op.startsWith("delete") || !step.new) continue;
    const inputs = step.new.inputs;
    const resource = resourceName(step.urn);
    if (isSecretValue(inputs["until"]) || isSecretValue(inputs["expired"])) {
      secretIn.add(resource);
      continue;
    }
    if (!isMap(inputs["until"])) continue;
    const until = inputs["until"] as Ends;
    const expired = isMap(inputs["expired"]) ? (inputs["expired"] as Record<string, unknown>) : {};
    const organizationId = typeof inputs["organizationId"] === "string" ? inputs["organizationId"] : "";
    const soon = new Set(endingSoon(until, now, WEEK_MS).map((e) => `${e.userId}\n${e.roleId}`));
    for (const [userId, byRole] of Object.entries(until)) {
      // One member's ends may be a secret on their own (a secret `until` in a plain map): not shown either.
      if (isSecretValue(byRole)) {
        secretIn.add(resource);
        continue;
      }
      for (const [roleId, end] of Object.entries(byRole ?? {})) {
        const gone = expired[userId];
        ends.push({
          resource,
          organizationId,
          userId,
          roleId,
          until: end,
          expired: Array.isArray(gone) && gone.includes(roleId),
          soon: soon.has(`${userId}\n${roleId}`),
        });
      }
    }
  }
  const at = (e: GrantEnd) => parseInstant(e.until) ?? 0;
  ends.sort(
    (a, b) =>
      (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0) ||
      at(a) - at(b) ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  return { ends, secretIn: [...secretIn].sort() };
}

/**
 * The summary's section on ends, lines of Markdown (none when no grant has an end): the ones ending within
 * a week first, then every end. `member` and `role` format IDs as the rest of the summary does.
 */
export function grantEndLines(
  found: GrantEnds,
  format: { member: (id: string) => string; role: (id: string) => string; code: (s: string) => string },
): string[] {
  if (found.ends.length === 0 && found.secretIn.length === 0) return [];
  const line = (e: GrantEnd) =>
    `- ${format.code(e.resource)} · ${format.code(e.organizationId)}: ${format.member(e.userId)} holds ${format.role(e.roleId)} until ${format.code(e.until)}${e.expired ? ": **expired**, removed by this run" : e.soon ? ": **ends within a week**" : ""}`;
  const soon = found.ends.filter((e) => e.soon);
  const lines = ["", "### Grants with an end"];
  if (soon.length > 0)
    lines.push(
      "",
      `${soon.length} end within a week: the first \`up\` after their end removes them (its own preview shows it), with no further review.`,
    );
  lines.push("", ...found.ends.map(line));
  for (const r of found.secretIn)
    lines.push(`- ${format.code(r)}: its members are secret; their ends are not shown`);
  return lines;
}
