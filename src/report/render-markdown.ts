import type { AccessReport } from "./model";
import { countsOf, rowsOf } from "./rows";

/** Rows per organization a Markdown report shows: GitHub cuts a comment at 65,536 characters. */
export const MARKDOWN_ROWS_PER_ORGANIZATION = 200;

/**
 * Tenant text (names, emails, notes naming groups) as a code span: nothing in it renders, not an image, a
 * link, an autolinked URL, an @mention or HTML (GitHub links none of these inside code). The fence is longer
 * than any run of backticks in the text; a pipe is escaped (GFM splits table cells before inline parsing),
 * line breaks become spaces. Empty text is a space.
 */
export const code = (s: string): string => {
  const text = s.replace(/[\r\n]+/g, " ");
  if (text === "") return " ";
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || /^ .* $/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`.replace(/\|/g, "\\|");
};

/** The whole document's default bound, in UTF-8 bytes: under GitHub's 65,536-character comment limit. */
export const MARKDOWN_MAX_BYTES = 60_000;

const bytes = (s: string) => Buffer.byteLength(s, "utf8") + 1; // the line and its newline

/**
 * The report for a pull request: per organization the counts by source and flag, then the flagged grants
 * first, up to {@link MARKDOWN_ROWS_PER_ORGANIZATION} rows (the CSV or HTML form has them all). The whole
 * document stays within `maxBytes` (UTF-8; GitHub cuts a comment at 65,536 characters): every organization's
 * counts and notes are kept, rows are cut where the bound is reached, and the end says how many were cut and
 * how to get them all.
 */
export function renderMarkdown(report: AccessReport, now: number, maxBytes = MARKDOWN_MAX_BYTES): string {
  const head = [
    `# Access review`,
    "",
    `Generated ${report.generatedAt}${report.stack ? ` from ${code(report.stack)}` : ""}.`,
    "",
  ];
  const sections = report.organizations.map((org) => {
    const c = countsOf(org, now);
    const summary = [`## ${code(org.name)} (${code(org.id)})`, ""];
    summary.push(
      `${c.members} members, ${c.grants} role grants: ${c.declared} declared, ${c.drift} drift (direct, not declared), ${c.direct} direct (no stack given, or one that does not manage the organization), ${c.group} through groups.`,
    );
    const flags = Object.entries(c.flags).map(([f, n]) => `${f}: ${n}`);
    summary.push("", flags.length ? `Flags: ${flags.join(", ")}.` : "No flags.");
    for (const n of org.notes) summary.push("", `> ${code(n)}`);
    summary.push("", "| Member | Email | Role | Source | Until | Flags |", "|---|---|---|---|---|---|");
    const rows = rowsOf(org, now).sort((a, b) => Number(b.flags !== "") - Number(a.flags !== ""));
    return { summary, rows };
  });
  // Room for the ends of the sections and the closing line that says what was cut.
  const reserve = 400 + 120 * sections.length;
  let room =
    maxBytes -
    reserve -
    head.reduce((n, l) => n + bytes(l), 0) -
    sections.reduce((n, sec) => n + sec.summary.reduce((m, l) => m + bytes(l), 0), 0);
  let cut = 0;
  const out = [...head];
  for (const { summary, rows } of sections) {
    out.push(...summary);
    let shown = 0;
    for (const r of rows.slice(0, MARKDOWN_ROWS_PER_ORGANIZATION)) {
      const line = `| ${code(r.member)} | ${code(r.email)} | ${code(r.role)} | ${code(r.source)} | ${code(r.until)} | ${code(r.flags)} |`;
      if (bytes(line) > room) break;
      room -= bytes(line);
      out.push(line);
      shown++;
    }
    const capped = Math.min(rows.length, MARKDOWN_ROWS_PER_ORGANIZATION) - shown;
    cut += capped;
    if (rows.length > shown)
      out.push(
        "",
        `_${rows.length - shown} more rows${capped ? ` (${capped} of them past --max-bytes)` : ""}: see the CSV or HTML form._`,
      );
    out.push("");
  }
  if (cut > 0)
    out.push(
      `_This document is cut at --max-bytes ${maxBytes}: ${cut} rows left out. \`--format csv\` or \`--format html\` has every row; a larger --max-bytes shows more here (GitHub cuts a comment at 65,536 characters)._`,
      "",
    );
  let text = `${out.join("\n")}\n`;
  // Counts and notes alone past the bound (very many organizations): cut the text itself, said at its end.
  if (Buffer.byteLength(text) > maxBytes) {
    const tail = `\n\n_Cut at --max-bytes ${maxBytes}: the rest is in \`--format csv\` or \`--format html\`._\n`;
    text = `${Buffer.from(text)
      .subarray(0, Math.max(0, maxBytes - Buffer.byteLength(tail)))
      .toString("utf8")
      .replace(/\uFFFD$/, "")}${tail}`;
  }
  return text;
}
