import type { AccessReport, ReportRow } from "./model";
import { countsOf, type OrganizationCounts, rowsOf } from "./rows";

/** Roles the chart of holders shows per organization, most held first. */
export const CHART_ROLES = 20;

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const COLUMNS: Array<[keyof ReportRow, string]> = [
  ["member", "Member"],
  ["email", "Email"],
  ["role", "Role"],
  ["roleId", "Role ID"],
  ["source", "Source"],
  ["until", "Until"],
  ["flags", "Flags"],
];

/** Holders per role as horizontal bars, drawn here as SVG: the page needs nothing from outside. */
function chart(counts: OrganizationCounts): string {
  const shown = counts.holders.slice(0, CHART_ROLES);
  if (shown.length === 0) return "<p>No role is held.</p>";
  const max = Math.max(...shown.map((h) => h.members));
  const bar = 18;
  const bars = shown
    .map((h, i) => {
      const width = Math.max(1, Math.round((300 * h.members) / max));
      const y = i * (bar + 4);
      return `<g class="bar"><text x="0" y="${y + 13}">${escapeHtml(h.role.slice(0, 40))}</text><rect x="260" y="${y}" width="${width}" height="${bar}"></rect><text x="${266 + width}" y="${y + 13}">${h.members}</text></g>`;
    })
    .join("");
  const more =
    counts.holders.length > CHART_ROLES
      ? `<p>${counts.holders.length - CHART_ROLES} more roles not drawn.</p>`
      : "";
  return `<svg class="chart" role="img" aria-label="Holders per role" width="640" height="${shown.length * (bar + 4)}">${bars}</svg>${more}`;
}

function table(org: AccessReport["organizations"][number], now: number, index: number): string {
  const counts = countsOf(org, now);
  const rows = rowsOf(org, now);
  const head = COLUMNS.map(
    ([k, label], i) =>
      `<th data-column="${i}" data-key="${k}" aria-sort="none"><button type="button">${label}</button></th>`,
  ).join("");
  const body = rows
    .map(
      (r) =>
        `<tr${r.flags ? ' class="flagged"' : ""}>${COLUMNS.map(([k]) => `<td>${escapeHtml(r[k])}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const flags =
    Object.entries(counts.flags)
      .map(([f, n]) => `${escapeHtml(f)}: ${n}`)
      .join(", ") || "none";
  const notes = org.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("");
  return `<section class="organization" id="org-${index}">
<h2>${escapeHtml(org.name)} <code>${escapeHtml(org.id)}</code></h2>
<p class="counts">${counts.members} members, ${counts.grants} role grants: ${counts.declared} declared, ${counts.drift} drift, ${counts.direct} direct (no stack to tell), ${counts.group} through groups. Flags: ${flags}.</p>
${notes}
<h3>Holders per role</h3>
${chart(counts)}
<h3>Grants</h3>
<label>Filter <input type="search" class="filter" placeholder="member, role, source, flag..."></label>
<span class="shown">${rows.length} of ${rows.length} rows</span>
<table class="grants"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
</section>`;
}

/** Sorting by a column (click its header, again to reverse) and filtering by text: plain DOM, no library. */
const SCRIPT = `
for (const section of document.querySelectorAll("section.organization")) {
  const table = section.querySelector("table.grants");
  const tbody = table.tBodies[0];
  const rows = Array.from(tbody.rows);
  const shown = section.querySelector(".shown");
  const filter = section.querySelector("input.filter");
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let n = 0;
    for (const row of rows) {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every((w) => text.includes(w));
      if (!row.hidden) n++;
    }
    shown.textContent = n + " of " + rows.length + " rows";
  });
  for (const th of table.tHead.rows[0].cells) {
    th.querySelector("button").addEventListener("click", () => {
      const column = Number(th.dataset.column);
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of table.tHead.rows[0].cells) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
      const sorted = Array.from(tbody.rows).sort((a, b) => {
        const order = collator.compare(a.cells[column].textContent, b.cells[column].textContent);
        return ascending ? order : -order;
      });
      tbody.append(...sorted);
    });
  }
}
`;

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: bold; background: none; border: 0; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
tr.flagged { background: #fff4e5; }
.chart rect { fill: #4a78b5; }
.chart text { font-size: 12px; }
.note { color: #8a4b00; }
input.filter { width: 24em; }
`;

/**
 * The report as one HTML page that opens from a file with nothing else: styles, chart and script inline, no
 * request to anywhere. Every value from the tenant or the stack is escaped.
 */
export function renderHtml(report: AccessReport, now: number): string {
  const sections = report.organizations.map((o, i) => table(o, now, i)).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Access review</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Access review</h1>
<p>Generated ${escapeHtml(report.generatedAt)}${report.stack ? ` from ${escapeHtml(report.stack)}` : ""}. Sort by a column with its header; the filter keeps rows holding every word typed.</p>
${sections}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
