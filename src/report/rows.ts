import { roleFlags, sourceText } from "./build";
import type { AccessReport, OrganizationEntry, ReportRow } from "./model";

/** The flat form: one row per member and role, with member-wide flags repeated on each. Pure. */
export function rowsOf(org: OrganizationEntry, now: number): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const m of org.members)
    for (const r of m.roles)
      rows.push({
        organizationId: org.id,
        organization: org.name,
        member: m.member,
        email: m.email,
        roleId: r.id,
        role: r.name,
        source: r.sources.map(sourceText).join("; "),
        until: r.until ?? "",
        flags: [...m.flags, ...roleFlags(r, now)].join(" "),
      });
  return rows;
}

/** How many member-role grants come from each source, and how many carry each flag, in one organization. */
export interface OrganizationCounts {
  members: number;
  grants: number;
  declared: number;
  drift: number;
  direct: number;
  group: number;
  flags: Record<string, number>;
  /** Role name → members holding it, most held first. */
  holders: Array<{ role: string; members: number }>;
}

export function countsOf(org: OrganizationEntry, now: number): OrganizationCounts {
  const c: OrganizationCounts = {
    members: org.members.length,
    grants: 0,
    declared: 0,
    drift: 0,
    direct: 0,
    group: 0,
    flags: {},
    holders: [],
  };
  const holders = new Map<string, number>();
  for (const m of org.members) {
    for (const f of m.flags) c.flags[f] = (c.flags[f] ?? 0) + 1;
    for (const r of m.roles) {
      c.grants++;
      for (const s of new Set(r.sources.map((x) => x.kind))) c[s]++;
      for (const f of roleFlags(r, now)) c.flags[f] = (c.flags[f] ?? 0) + 1;
      holders.set(r.name, (holders.get(r.name) ?? 0) + 1);
    }
  }
  c.holders = [...holders]
    .map(([role, members]) => ({ role, members }))
    .sort((a, b) => b.members - a.members || (a.role < b.role ? -1 : 1));
  return c;
}

/** Every row of the report. */
export const allRows = (report: AccessReport, now: number) =>
  report.organizations.flatMap((o) => rowsOf(o, now));
