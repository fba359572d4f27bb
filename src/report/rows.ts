import { roleFlags, sourceText } from "./build";
import type { AccessReport, OrganizationEntry, ReportRow } from "./model";

/**
 * The flat form: one row per member and role, with member-wide flags repeated on each, a separation-of-duties
 * flag naming its pair (`separation-of-duties:A+B`, one per pair). Pure.
 */
export function rowsOf(org: OrganizationEntry, now: number): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const m of org.members) {
    const memberFlags = m.flags.flatMap((f) =>
      f === "separation-of-duties" && m.pairs?.length ? m.pairs.map(([a, b]) => `${f}:${a}+${b}`) : [f],
    );
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
        flags: [...memberFlags, ...roleFlags(r, now)].join(" "),
      });
  }
  return rows;
}

/** Member shown on a note row of the flat forms: what was not read or told apart in the organization. */
export const NOTE_MEMBER = "(note)";

/** The organization's notes as rows (member `(note)`, the note in `source`): the CSV carries them too. */
export function noteRowsOf(org: OrganizationEntry): ReportRow[] {
  return org.notes.map((note) => ({
    organizationId: org.id,
    organization: org.name,
    member: NOTE_MEMBER,
    email: "",
    roleId: "",
    role: "",
    source: note,
    until: "",
    flags: "incomplete",
  }));
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

/** The CSV's rows: each organization's notes first (what it lacks), then its grants. */
export const csvRows = (report: AccessReport, now: number) =>
  report.organizations.flatMap((o) => [...noteRowsOf(o), ...rowsOf(o, now)]);
