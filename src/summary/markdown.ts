/**
 * The pull-request summary as Markdown, bounded in size whatever the change. Pure.
 *
 * Past `maxMembers` member lines (or the byte budget), organizations keep their heading with counts and the
 * rest is left to the full summary, which is the same rendering without bounds.
 */
import { grantEndLines, grantEnds } from "./expiries";
import {
  type MemberChange,
  type MemberDrift,
  type OrganizationChanges,
  type PreviewChanges,
  type ResourceChanges,
  SECRET_ROLE,
  UNKNOWN_ROLE,
} from "./member-changes";
import type { DisplayNames } from "./names";
import type { Diagnostic, PolicyFinding, PolicyPackReport, PreviewRecord } from "./preview-json";

/** First line of every summary: the workflow finds its own comment by it, to update it. */
export const COMMENT_MARKER = "<!-- auth0-org-member-roles:pr-summary -->";
/** GitHub refuses issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface SummaryOptions {
  /** Member lines (changes and drift) shown before summarising. Default 50; `Infinity` shows all. */
  maxMembers?: number;
  /** Bound on the Markdown's UTF-8 size (so also on its characters). Default 60,000; `Infinity`: none. */
  maxBytes?: number;
  /** Roles named in one gained or lost list before "and N more". Default 20. */
  maxRolesPerList?: number;
  /** Where the full summary is, said when something is left out. */
  moreHint?: string;
  /** The time "ends within a week" counts from (ms); default now. */
  now?: number;
}

export interface RenderedSummary {
  markdown: string;
  /** Something was left out: members, organizations, roles in a list, policy results or messages. */
  truncated: boolean;
  shownMemberLines: number;
  totalMemberLines: number;
}

export const DEFAULT_MAX_MEMBERS = 50;
export const DEFAULT_MAX_BYTES = 60_000;
const DEFAULT_MAX_ROLES_PER_LIST = 20;
const MAX_POLICY_FINDINGS = 20;
const MAX_MESSAGES = 10;
const CLIP_TEXT = 600;
/** Room kept for the footer (and the hint in it) and for one "N more" line. */
const FOOTER_RESERVE = 1_200;
const MORE_LINE_RESERVE = 200;
/** The smallest budget that always holds the marker, title, headline and footer. */
export const MIN_BYTES = 4_000;

const encoder = new TextEncoder();
const utf8Length = (s: string) => encoder.encode(s).length;

/** Inline code that survives any content (backticks, pipes, `@`): no Markdown, no mention, no link. */
export function code(s: string): string {
  const flat = s.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Free text as Markdown that renders as written: escapes markup, and `@` so it never mentions anyone. */
export function plain(s: string): string {
  return s
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*_[\]{}<>()#+!|~]/g, (c) => `\\${c}`)
    .replace(/@/g, "@\u200b")
    .trim();
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

class Budget {
  readonly lines: string[] = [];
  private used = 0;
  constructor(private readonly limit: number) {}
  fits(line: string, reserve: number): boolean {
    return this.used + utf8Length(line) + 1 + reserve <= this.limit;
  }
  /** Adds the line if it fits with `reserve` bytes to spare. */
  tryAdd(line: string, reserve = FOOTER_RESERVE + MORE_LINE_RESERVE): boolean {
    if (!this.fits(line, reserve)) return false;
    this.lines.push(line);
    this.used += utf8Length(line) + 1;
    return true;
  }
  add(line: string): void {
    this.lines.push(line);
    this.used += utf8Length(line) + 1;
  }
}

interface Context {
  names: DisplayNames;
  maxRoles: number;
  clipAt: number;
  /** Set when a list was cut short inside a line. */
  clipped: boolean;
}

function roleLabel(id: string, names: DisplayNames): string {
  if (id === SECRET_ROLE) return "(secret)";
  if (id === UNKNOWN_ROLE) return "(known after apply)";
  return code(clip(names.roleName(id) ?? id, 100));
}

function roles(ids: string[], ctx: Context): string {
  const labels = ids.map((id) => roleLabel(id, ctx.names)).sort();
  if (labels.length <= ctx.maxRoles) return labels.join(", ");
  ctx.clipped = true;
  return `${labels.slice(0, ctx.maxRoles).join(", ")} and ${labels.length - ctx.maxRoles} more`;
}

function userLabel(userId: string, ctx: Context): string {
  const info = ctx.names.user(userId);
  const id = code(clip(userId, 300));
  if (info?.email) return `${id} ${code(clip(info.email, 254))}`;
  if (info?.name) return `${id} (${plain(clip(info.name, 100))})`;
  return id;
}

function changeLine(m: MemberChange, r: ResourceChanges, ctx: Context): string {
  const who = r.groups ? `group ${code(clip(m.userId, 300))}` : userLabel(m.userId, ctx);
  if (m.secret) return `${who}: roles are secret, not shown`;
  if (m.kind === "added")
    return [
      `${who}: added${m.gains.length ? `, gets ${roles(m.gains, ctx)}` : " with no roles"}`,
      ...groupParts(m, ctx),
    ].join("; ");
  if (m.kind === "removed") {
    if (r.retainOnDelete && r.op.startsWith("delete"))
      return `${who}: removed${m.loses.length ? `, keeps ${roles(m.loses, ctx)} (retainOnDelete)` : ""}`;
    const kept = m.groups?.stillHeld ?? [];
    const loses = m.loses.filter((r) => !kept.includes(r));
    const removed = `${who}: removed${loses.length ? `, loses ${roles(loses, ctx)}` : kept.length ? "" : " (held no roles)"}`;
    return [removed, ...groupParts(m, ctx)].join("; ");
  }
  const kept = m.groups?.stillHeld ?? [];
  const loses = m.loses.filter((r) => !kept.includes(r));
  const parts = [];
  if (m.gains.length) parts.push(`gains ${roles(m.gains, ctx)}`);
  if (loses.length) parts.push(`loses ${roles(loses, ctx)}`);
  return `${who}: ${[...parts, ...groupParts(m, ctx)].join("; ")}`;
}

/** What the member holds through a group: never a loss of this resource (src/summary/group-roles.ts). */
function groupParts(m: MemberChange, ctx: Context): string[] {
  const g = m.groups;
  if (!g) return [];
  const parts = [];
  if (g.stillHeld.length)
    parts.push(`its direct ${roles(g.stillHeld, ctx)} goes, still held through a group`);
  if (g.redundant.length) parts.push(`${roles(g.redundant, ctx)} redundant: a group grants it too`);
  if (g.held.length) parts.push(`also holds through a group ${roles(g.held, ctx)}`);
  if (g.groupLoses?.length)
    parts.push(
      `held through a group at preview: ${roles(g.groupLoses, ctx)}, which a group loses in this change`,
    );
  return parts;
}

function driftLine(d: MemberDrift, ctx: Context): string {
  const who = userLabel(d.userId, ctx);
  if (d.secret) return `${who}: roles are secret and changed outside Pulumi, not shown`;
  const parts = [];
  if (d.left) parts.push("no longer a member of the organization");
  if (d.assigned.length) parts.push(`assigned outside Pulumi: ${roles(d.assigned, ctx)}`);
  if (d.removed.length) parts.push(`${d.left ? "held" : "removed outside Pulumi"}: ${roles(d.removed, ctx)}`);
  return `${who}: ${parts.join("; ")}`;
}

/** A resource whose changing members' group roles were not read: a role shown lost may stay through a group. */
function groupsUnreadNote(r: ResourceChanges): string | undefined {
  if (!r.groupRolesUnread) return undefined;
  return `_${code(clip(r.name, 100))}: roles held through groups were not read (${clip(r.groupRolesUnread, 200)}); a role shown as lost may still be held through a group._`;
}

function resourceNote(r: ResourceChanges): string | undefined {
  const name = code(clip(r.name, 100));
  if (r.hidden === "secret") return `_${name}: its members are secret, not shown._`;
  if (r.hidden === "unknown") return `_${name}: its members are known only after apply._`;
  switch (r.op) {
    case "create":
      return `_New resource ${name}: roles members already hold are adopted; nothing is removed._`;
    case "create-replacement":
      return `_${name} is replaced into this organization (its organizationId changed)._`;
    case "delete":
      if (r.retainOnDelete)
        return r.groups
          ? `_${name} leaves the stack with retainOnDelete: its groups keep their roles._`
          : `_${name} leaves the stack with retainOnDelete: its members keep their roles._`;
      return r.groups
        ? `_${name} is deleted: its groups lose the roles it declared._`
        : `_${name} is deleted: its members lose the direct roles it declared (group roles are not read for a delete; those stay)._`;
    case "delete-replaced":
      return `_${name} moves to another organization: its members here lose the roles it declared._`;
    default:
      return r.mode ? `_${name}: mode ${code(r.mode.from)} → ${code(r.mode.to)}._` : undefined;
  }
}

function resourceNames(org: OrganizationChanges): string {
  const names = [...new Set(org.resources.map((r) => r.name))];
  const shown = names.slice(0, 5).map((n) => code(clip(n, 100)));
  return names.length > 5 ? `${shown.join(", ")} and ${names.length - 5} more` : shown.join(", ");
}

function countsText(org: OrganizationChanges): string {
  const { changed, added, removed, drifted } = org.counts;
  const parts = [
    changed ? `${plural(changed, "member")} changed` : "",
    added ? `${added.toLocaleString("en-US")} added` : "",
    removed ? `${removed.toLocaleString("en-US")} removed` : "",
    drifted ? `${drifted.toLocaleString("en-US")} drifted` : "",
    org.counts.groups ? `${plural(org.counts.groups, "group")} changed` : "",
  ].filter(Boolean);
  if (parts.length) return parts.join(", ");
  return org.resources.some((r) => r.hidden) ? "members not shown" : "no member changes";
}

function headline(record: PreviewRecord, changes: PreviewChanges): string[] {
  const orgs = changes.organizations;
  const total = (k: keyof OrganizationChanges["counts"]) => orgs.reduce((n, o) => n + o.counts[k], 0);
  const status = record.failed
    ? "**The preview failed**: see the policy results and messages below."
    : "**The preview succeeded.**";
  const lines = [status];
  if (orgs.length === 0) lines.push("No organization member roles change.");
  else {
    const parts = [
      `${plural(total("changed"), "member")} changed`,
      `${total("added").toLocaleString("en-US")} added`,
      `${total("removed").toLocaleString("en-US")} removed`,
    ];
    const drifted = total("drifted");
    // Counted members exclude those of secret (or not yet known) maps: say those changes exist, so a
    // reviewer never reads "0 members changed" on a change that grants a role.
    const hidden = orgs.reduce((n, o) => n + o.resources.filter((r) => r.hidden).length, 0);
    lines.push(
      `${plural(orgs.length, "organization")}: ${parts.join(", ")}` +
        (hidden
          ? `, and ${plural(hidden, "resource")} whose members are not shown (secret, or known only after apply)`
          : "") +
        (drifted ? `; the refresh found ${plural(drifted, "member")} changed outside Pulumi.` : "."),
    );
  }
  for (const o of changes.others)
    lines.push(
      `Also ${plural(o.count, "resource")} of type ${code(clip(o.type, 200))}: ${code(clip(o.op, 50))} (not summarised here).`,
    );
  return lines;
}

const LEVEL_ORDER = ["mandatory", "remediate", "advisory"];
const levelRank = (level: string) => {
  const i = LEVEL_ORDER.indexOf(level);
  return i < 0 ? LEVEL_ORDER.length : i;
};

function findingText(f: PolicyFinding, clipAt: number): string {
  const text = f.message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
  return plain(clip(text, clipAt));
}

function policyLines(record: PreviewRecord, clipAt: number, budget: Budget): boolean {
  budget.tryAdd("### Policy pack");
  if (!record.policy.reported) {
    budget.tryAdd(
      record.format === "digest"
        ? "_Policy results are not in this JSON: `pulumi preview --json` leaves them out. " +
            "Run it with `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` (engine events) to include them._"
        : "_No policy pack ran in this preview._",
    );
    return false;
  }
  let omitted = false;
  const seen = new Set<string>();
  const findings = record.policy.findings
    .filter((f) => {
      const key = `${f.pack}\u0000${f.policy}\u0000${f.level}\u0000${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(
      (a, b) =>
        a.pack.localeCompare(b.pack) ||
        levelRank(a.level) - levelRank(b.level) ||
        a.policy.localeCompare(b.policy) ||
        a.message.localeCompare(b.message),
    );
  const packs = new Map<string, PolicyPackReport>(record.policy.packs.map((p) => [p.name, p]));
  for (const f of findings)
    if (!packs.has(f.pack))
      packs.set(f.pack, { name: f.pack, version: f.packVersion, passed: [], failed: [] });
  if (packs.size === 0) budget.tryAdd("_The policy pack loaded but reported no results._");
  for (const pack of [...packs.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const mine = findings.filter((f) => f.pack === pack.name);
    const byLevel = (level: string) => mine.filter((f) => f.level === level).length;
    const mandatory = byLevel("mandatory");
    const advisory = byLevel("advisory");
    const counts = [
      mandatory ? plural(mandatory, "mandatory violation") : "",
      advisory ? plural(advisory, "advisory warning") : "",
    ].filter(Boolean);
    const passed = pack.passed.length ? ` Passed: ${pack.passed.map(code).join(", ")}.` : "";
    budget.tryAdd(
      `**${code(pack.name)}${pack.version ? ` ${plain(pack.version)}` : ""}**: ${counts.length ? counts.join(", ") : "no violations"}.${passed}`,
    );
    if (mine.length) budget.tryAdd("");
    let shown = 0;
    for (const f of mine) {
      const line = `- **${plain(f.level)}** ${code(f.policy)}: ${findingText(f, clipAt)}`;
      if (shown >= MAX_POLICY_FINDINGS || !budget.tryAdd(line)) {
        omitted = true;
        continue;
      }
      shown++;
    }
    if (shown < mine.length)
      budget.tryAdd(`- … and ${mine.length - shown} more results, in the full summary.`);
  }
  return omitted;
}

/**
 * Engine messages are printed as they come, so anything shaped like key material is cut out first: a PEM
 * block, or a long unbroken base64 run (a key pasted into the wrong setting once reached an error message).
 */
export function withoutKeyMaterial(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, "[key material removed]")
    .replace(/[A-Za-z0-9+/=]{60,}/g, "[long encoded value removed]");
}

function messageLines(
  diagnostics: Diagnostic[],
  clipAt: number,
  maxMessages: number,
  budget: Budget,
): boolean {
  const seen = new Set<string>();
  const shown = diagnostics
    .filter((d) => d.severity === "error" || d.severity === "warning")
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1))
    .filter((d) => {
      const key = `${d.severity}\u0000${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (shown.length === 0) return false;
  budget.tryAdd("");
  budget.tryAdd("### Messages");
  let omitted = 0;
  shown.forEach((d, i) => {
    const line = `- **${d.severity}**: ${plain(clip(withoutKeyMaterial(d.message.trim()), clipAt))}`;
    if (i >= maxMessages || !budget.tryAdd(line)) omitted++;
  });
  if (omitted) budget.tryAdd(`- … and ${omitted} more, in the full summary.`);
  return omitted > 0;
}

/**
 * Renders the summary. Deterministic: the same preview gives the same bytes.
 *
 * @example
 * const record = parsePreviewJson(text);
 * const { markdown } = renderSummary(record, previewChanges(record), directoryOf({}), { maxMembers: 50 });
 */
export function renderSummary(
  record: PreviewRecord,
  changes: PreviewChanges,
  names: DisplayNames,
  options: SummaryOptions = {},
): RenderedSummary {
  const maxMembers = options.maxMembers ?? DEFAULT_MAX_MEMBERS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxBytes >= MIN_BYTES))
    throw new RangeError(
      `maxBytes is ${maxBytes}: it must be at least ${MIN_BYTES} (room for the headline and footer).`,
    );
  if (!(maxMembers >= 0)) throw new RangeError(`maxMembers is ${maxMembers}: it must be 0 or more.`);
  const bounded = Number.isFinite(maxBytes);
  const ctx: Context = {
    names,
    maxRoles: options.maxRolesPerList ?? (bounded ? DEFAULT_MAX_ROLES_PER_LIST : Number.POSITIVE_INFINITY),
    clipAt: bounded ? CLIP_TEXT : Number.POSITIVE_INFINITY,
    clipped: false,
  };
  const budget = new Budget(maxBytes);
  budget.add(COMMENT_MARKER);
  budget.add("## Auth0 organization member roles: preview");
  budget.add("");
  for (const line of headline(record, changes)) budget.tryAdd(line);
  budget.tryAdd("");
  let truncated = policyLines(record, ctx.clipAt, budget);
  truncated =
    messageLines(record.diagnostics, ctx.clipAt, bounded ? MAX_MESSAGES : Number.POSITIVE_INFINITY, budget) ||
    truncated;

  const entries = (org: OrganizationChanges) =>
    org.resources.reduce((n, r) => n + r.members.length + r.drift.length, 0);
  const total = changes.organizations.reduce((n, o) => n + entries(o), 0);
  let shown = 0;
  let orgsOmitted = 0;
  if (changes.organizations.length) {
    budget.tryAdd("");
    budget.tryAdd("### Organizations");
  }
  for (const org of changes.organizations) {
    const many = org.resources.length > 1;
    budget.tryAdd("");
    if (
      !budget.tryAdd(
        `#### ${resourceNames(org)} · ${code(clip(org.organizationId, 200))}: ${countsText(org)}`,
      )
    ) {
      orgsOmitted++;
      continue;
    }
    for (const r of org.resources) {
      const note = resourceNote(r);
      if (note && !budget.tryAdd(note)) truncated = true;
      const unread = groupsUnreadNote(r);
      if (unread && !budget.tryAdd(unread)) truncated = true;
    }
    let omittedHere = 0;
    const section = (title: string, lines: string[]) => {
      if (lines.length === 0) return;
      // The blank line ends the list above: a line right after a list item would continue that item.
      if (shown >= maxMembers || !budget.tryAdd(`\n${title}\n`)) {
        omittedHere += lines.length;
        return;
      }
      for (const line of lines) {
        if (shown < maxMembers && budget.tryAdd(line)) shown++;
        else omittedHere++;
      }
    };
    const suffix = (r: ResourceChanges) => (many ? ` (in ${code(r.name)})` : "");
    section(
      "Changes:",
      org.resources.flatMap((r) => r.members.map((m) => `- ${changeLine(m, r, ctx)}${suffix(r)}`)),
    );
    section(
      "Drift the refresh found (the tenant differs from the state):",
      org.resources.flatMap((r) => r.drift.map((d) => `- ${driftLine(d, ctx)}${suffix(r)}`)),
    );
    if (omittedHere)
      budget.tryAdd(
        `- … and ${plural(omittedHere, "more member line")} for this organization.`,
        FOOTER_RESERVE,
      );
  }

  const format = {
    member: (id: string) => userLabel(id, ctx),
    role: (id: string) => roleLabel(id, names),
    code,
  };
  for (const line of grantEndLines(grantEnds(record, options.now ?? Date.now()), format))
    if (!budget.tryAdd(line)) truncated = true;

  if (truncated || ctx.clipped || shown < total || orgsOmitted > 0) {
    const organizations = changes.organizations.length;
    const what = [
      shown < total ? `${shown.toLocaleString("en-US")} of ${plural(total, "member line")} shown` : "",
      orgsOmitted
        ? `${plural(organizations - orgsOmitted, "organization")} of ${organizations.toLocaleString("en-US")} shown`
        : "",
      ctx.clipped ? `role lists cut at ${ctx.maxRoles}` : "",
      truncated ? "some policy results or messages left out" : "",
    ].filter(Boolean);
    // 250 UTF-16 units are at most 750 UTF-8 bytes: the footer stays within its reserve.
    const hint = clip(options.moreHint ?? "The full summary has everything.", 250);
    budget.add("");
    budget.add("---");
    budget.add(`_Summarised: ${what.join("; ")}. ${hint}_`);
    truncated = true;
  }
  return {
    markdown: `${budget.lines.join("\n")}\n`,
    truncated,
    shownMemberLines: shown,
    totalMemberLines: total,
  };
}
