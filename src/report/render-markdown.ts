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

/**
 * The report for a pull request: per organization the counts by source and flag, then the flagged grants
 * first, up to {@link MARKDOWN_ROWS_PER_ORGANIZATION} rows (the CSV or HTML form has them all).
 */
export function renderMarkdown(report: AccessReport, now: number): string {
  const out = [
    `# Access review`,
    "",
    `Generated ${report.generatedAt}${report.stack ? ` from ${code(report.stack)}` : ""}.`,
    "",
  ];
  for (const org of report.organizations) {
    const c = countsOf(org, now);
    out.push(`## ${code(org.name)} (${code(org.id)})`, "");
    out.push(
      `${c.members} members, ${c.grants} role grants: ${c.declared} declared, ${c.drift} drift (direct, not declared), ${c.direct} direct (no stack to tell), ${c.group} through groups.`,
    );
    const flags = Object.entries(c.flags).map(([f, n]) => `${f}: ${n}`);
    out.push("", flags.length ? `Flags: ${flags.join(", ")}.` : "No flags.");
    for (const n of org.notes) out.push("", `> ${code(n)}`);
    const rows = rowsOf(org, now).sort((a, b) => Number(b.flags !== "") - Number(a.flags !== ""));
    out.push("", "| Member | Email | Role | Source | Until | Flags |", "|---|---|---|---|---|---|");
    for (const r of rows.slice(0, MARKDOWN_ROWS_PER_ORGANIZATION))
      out.push(
        `| ${code(r.member)} | ${code(r.email)} | ${code(r.role)} | ${code(r.source)} | ${code(r.until)} | ${code(r.flags)} |`,
      );
    if (rows.length > MARKDOWN_ROWS_PER_ORGANIZATION)
      out.push("", `_${rows.length - MARKDOWN_ROWS_PER_ORGANIZATION} more rows: see the CSV or HTML form._`);
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
