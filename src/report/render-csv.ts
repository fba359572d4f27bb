import type { ReportRow } from "./model";

const COLUMNS: Array<[keyof ReportRow, string]> = [
  ["organizationId", "organization_id"],
  ["organization", "organization"],
  ["member", "member"],
  ["email", "email"],
  ["roleId", "role_id"],
  ["role", "role"],
  ["source", "source"],
  ["until", "until"],
  ["flags", "flags"],
];

/**
 * A cell as RFC 4180 quotes it. A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at
 * its start: OWASP "CSV Injection") gets a leading `'`: a role name is the tenant's data, not the reviewer's.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV with a header line, CRLF line ends as RFC 4180 writes them. */
export function renderCsv(rows: readonly ReportRow[]): string {
  const lines = [COLUMNS.map(([, h]) => h).join(",")];
  for (const row of rows) lines.push(COLUMNS.map(([k]) => csvCell(row[k])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
