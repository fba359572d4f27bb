import type { AccessReport } from "./model";
import { countsOf, rowsOf } from "./rows";

/** Rows per organization a Markdown report shows: GitHub cuts a comment at 65,536 characters. */
export const MARKDOWN_ROWS_PER_ORGANIZATION = 200;

/** A table cell: pipes, backslashes and line breaks escaped, and `<` so no tenant text is read as HTML. */
const cell = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/[\r\n]+/g, " ") || " ";

/**
 * The report for a pull request: per organization the counts by source and flag, then the flagged grants
 * first, up to {@link MARKDOWN_ROWS_PER_ORGANIZATION} rows (the CSV or HTML form has them all).
 */
export function renderMarkdown(report: AccessReport, now: number): string {
  const out = [
    `# Access review`,
    "",
    `Generated ${report.generatedAt}${report.stack ? ` from ${cell(report.stack)}` : ""}.`,
    "",
  ];
  for (const org of report.organizations) {
    const c = countsOf(org, now);
    out.push(`## ${cell(org.name)} (\`${org.id}\`)`, "");
    out.push(
      `${c.members} members, ${c.grants} role grants: ${c.declared} declared, ${c.drift} drift (direct, not declared), ${c.direct} direct (no stack to tell), ${c.group} through groups.`,
    );
    const flags = Object.entries(c.flags).map(([f, n]) => `${f}: ${n}`);
    out.push("", flags.length ? `Flags: ${flags.join(", ")}.` : "No flags.");
    for (const n of org.notes) out.push("", `> ${cell(n)}`);
    const rows = rowsOf(org, now).sort((a, b) => Number(b.flags !== "") - Number(a.flags !== ""));
    out.push("", "| Member | Email | Role | Source | Until | Flags |", "|---|---|---|---|---|---|");
    for (const r of rows.slice(0, MARKDOWN_ROWS_PER_ORGANIZATION))
      out.push(
        `| ${cell(r.member)} | ${cell(r.email)} | ${cell(r.role)} | ${cell(r.source)} | ${cell(r.until)} | ${cell(r.flags)} |`,
      );
    if (rows.length > MARKDOWN_ROWS_PER_ORGANIZATION)
      out.push("", `_${rows.length - MARKDOWN_ROWS_PER_ORGANIZATION} more rows: see the CSV or HTML form._`);
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
