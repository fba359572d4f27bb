import { accessSync, constants, type Stats, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { OPTIONAL_REPORT_SCOPES, REPORT_SCOPES } from "../api/scopes";
import { ManagementClient } from "../client/management-client";
import type { StackExport } from "../export/migrate-state";
import { Settings } from "../provider/settings";
import { declaredOrganizations } from "../report/declared";
import type { AccessReport } from "../report/model";
import { renderCsv } from "../report/render-csv";
import { renderHtml } from "../report/render-html";
import { MARKDOWN_MAX_BYTES, renderMarkdown } from "../report/render-markdown";
import { accessReport, UnknownRoleError } from "../report/report";
import { csvRows } from "../report/rows";
import { commandOf, EXIT, UsageError } from "./command";
import { CREDENTIALS_HELP, readConnection } from "./connection";
import { readText, wholeNumber } from "./files";
import { tenthsReporter } from "./progress";

const FORMATS = ["csv", "json", "markdown", "html"] as const;
type Format = (typeof FORMATS)[number];

/** Calls one report may make unless --max-calls says otherwise: 10,000 members with group roles, and room. */
export const DEFAULT_MAX_CALLS = 25_000;

const help = `Usage: auth0-org-member-roles report [--stack-export FILE] [--format csv|json|markdown|html] [--out FILE]
                                 [--separation-of-duties ROLE,ROLE]... [--show-secrets] [organization ID]...

An access review of organizations: per member, each role it holds with its source (direct and declared by
which resource; direct and declared by none: drift; through which group), the grant's declared end, and
flags: over-role-limit (past the 50 roles Auth0 documents per member), separation-of-duties (both roles of
a pair), ends-within-7-days, past-end. Read-only.

  pulumi stack export --show-secrets --file stack.json
  auth0-org-member-roles report --stack-export stack.json --format html --out access-review.html

The organizations: those the stack export's OrgMemberRoles and OrgGroupRoles declare, and any named.
Members a secret map declares are shown as (secret member #n) unless --show-secrets.

Cost per organization (docs/report.md): 1 call for the organization, 1 per 100 members (past 1,000 members,
2 more), 1 for its groups and 1 per group; where a group holds a role, 1 per 100 members of each such
group and 1 effective-roles read per organization member in one (every member without read:group_members).
Progress goes to stderr.
Scopes (\`doctor --for report\` checks them): ${REPORT_SCOPES.join(", ")};
and, read when granted (a read whose scope is missing is skipped and noted in the report):
${OPTIONAL_REPORT_SCOPES.join(", ")}.

Options:
  --stack-export FILE               what \`pulumi stack export --show-secrets\` wrote (- for stdin)
  --format FORMAT                   csv, json, markdown (default) or html (one page, nothing external)
  --out FILE                        write the report there (default: stdout)
  --separation-of-duties A,B        two roles (IDs or names) no member should hold together; repeatable. A role
                                    the tenant does not have is refused (exit 2; read:roles lists them, else a
                                    role held nowhere in an organization is noted there)
  --show-secrets                    print members of secret maps as they are
  --max-calls N                     stop, named, past N calls in all (default ${DEFAULT_MAX_CALLS})
  --max-bytes N                     markdown: the whole document within N bytes, rows cut and counted past it
                                    (default ${MARKDOWN_MAX_BYTES}: under GitHub's 65,536-character comment limit)
  --timeout-seconds N               stop, named, past N seconds (default: ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS,
                                    else 3 h)
  --stack NAME                      read credentials from this stack's config first, as the provider does
  -h, --help                        this help

${CREDENTIALS_HELP}

Exit codes: 0 written; 1 the tenant refused or failed, or a bound was reached (the message says which), or
an organization does not exist (the report of the others is written, the missing one noted in it and named
on stderr);
2 a wrong command line, missing credentials, a file that is no stack export.
`;

/** The stack export's text as JSON, refused by name when it is not one. */
function readStackExport(file: string): StackExport {
  let exported: unknown;
  try {
    exported = JSON.parse(readText(file, "--stack-export"));
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new UsageError(`--stack-export ${file} is not JSON: give what \`pulumi stack export\` wrote`);
    throw err;
  }
  const deployment = (exported as { deployment?: { resources?: unknown } } | null)?.deployment;
  if (deployment === null || typeof deployment !== "object" || !Array.isArray(deployment.resources ?? []))
    throw new UsageError(
      `--stack-export ${file} has no deployment with a list of resources: give what \`pulumi stack export\` wrote`,
    );
  return exported as StackExport;
}

/**
 * Refuses an --out that could not be written, before any call: a wrong path found after the reads would
 * waste them. Not opened here: an existing file keeps its content until the report is written.
 */
function checkOut(out: string): void {
  const refuse = (why: string) =>
    new UsageError(`--out ${out}: ${why}: give a file path in a directory that exists and can be written`);
  let stat: Stats | undefined;
  try {
    stat = statSync(out);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw refuse("is a directory");
  try {
    if (stat) accessSync(out, constants.W_OK);
    else accessSync(path.dirname(path.resolve(out)), constants.W_OK | constants.X_OK);
  } catch (err) {
    throw refuse(
      stat
        ? `cannot be written (${(err as NodeJS.ErrnoException).code})`
        : `its directory does not exist or cannot be written (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

function pairOf(text: string): [string, string] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0] === parts[1])
    throw new UsageError(`--separation-of-duties ${text}: give two different roles, ID or name, as A,B`);
  return [parts[0], parts[1]];
}

/** The report in `format`. */
export function render(
  report: AccessReport,
  format: Format,
  now: number,
  maxBytes = MARKDOWN_MAX_BYTES,
): string {
  switch (format) {
    case "csv":
      return renderCsv(csvRows(report, now));
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "markdown":
      return renderMarkdown(report, now, maxBytes);
    case "html":
      return renderHtml(report, now);
  }
}

export const command = commandOf(
  {
    help,
    positionals: true,
    options: {
      "stack-export": { type: "string" },
      format: { type: "string", default: "markdown" },
      out: { type: "string" },
      "separation-of-duties": { type: "string", multiple: true, default: [] },
      "show-secrets": { type: "boolean", default: false },
      "max-calls": { type: "string" },
      "max-bytes": { type: "string" },
      "timeout-seconds": { type: "string" },
      stack: { type: "string" },
    },
  },
  async ({ values, positionals }, io) => {
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format ${values.format}: give one of ${FORMATS.join(", ")}`);
    for (const id of positionals)
      if (!/^org_[A-Za-z0-9]+$/.test(id))
        throw new UsageError(
          `${id} is not an organization ID: give IDs as org_... (the Dashboard shows them)`,
        );
    const separationOfDuties = values["separation-of-duties"].map(pairOf);
    const maxBytes = values["max-bytes"]
      ? wholeNumber(values["max-bytes"], "--max-bytes", 2000, 100_000_000)
      : MARKDOWN_MAX_BYTES;
    const maxCalls = values["max-calls"]
      ? wholeNumber(values["max-calls"], "--max-calls", 1, 10_000_000)
      : DEFAULT_MAX_CALLS;
    const timeout = values["timeout-seconds"]
      ? wholeNumber(values["timeout-seconds"], "--timeout-seconds", 1, 7 * 24 * 3600)
      : undefined;
    const stackFile = values["stack-export"];
    let declared: ReturnType<typeof declaredOrganizations> | undefined;
    if (stackFile !== undefined) {
      try {
        declared = declaredOrganizations(readStackExport(stackFile));
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`--stack-export ${stackFile}: ${(err as Error).message}`);
      }
    }
    const ids = [...new Set([...(declared?.keys() ?? []), ...positionals])];
    if (ids.length === 0)
      throw new UsageError(
        stackFile
          ? `--stack-export ${stackFile} declares no OrgMemberRoles or OrgGroupRoles: name organization IDs (org_...)`
          : "give --stack-export FILE or at least one organization ID (org_...)",
      );

    if (values.out !== undefined) checkOut(values.out);
    const { connection, stackSecrets } = readConnection(io.env, values.stack);
    io.secrets.push(...stackSecrets);
    // The deadline: --timeout-seconds, else ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS, else the client's 3 h;
    // its message names the one that set it and says what rerunning a read-only report means.
    let operationTimeoutMs = timeout === undefined ? undefined : timeout * 1000;
    let operationSetting = "--timeout-seconds";
    if (operationTimeoutMs === undefined) {
      try {
        operationTimeoutMs = new Settings(() => undefined, io.env).clientOptions().operationTimeoutMs;
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (operationTimeoutMs !== undefined)
        operationSetting = "--timeout-seconds (here from ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS)";
    }
    const client = ManagementClient.connect(connection, {
      ...(operationTimeoutMs !== undefined ? { operationTimeoutMs } : {}),
      operationSetting,
      operationAdvice: "Nothing was written (the report only reads); run it again",
    });
    const progress = tenthsReporter((line) => io.stderr.write(line), "report");
    const now = Date.now();
    try {
      const report = await accessReport(client, ids, declared, {
        now,
        separationOfDuties,
        showSecrets: values["show-secrets"],
        concurrency: 8,
        maxCalls,
        onProgress: (org, what, done, total) =>
          progress(what === "members" ? org : `${org} effective roles`, done, total),
        ...(stackFile ? { stack: stackFile } : {}),
      });
      // What a report lacks is said on stderr whatever the format, besides the report's own notes.
      for (const org of report.organizations)
        for (const note of org.notes) io.stderr.write(`[report] warning: ${org.id}: ${note}\n`);
      const text = render(report, format, now, maxBytes);
      if (values.out) writeFileSync(values.out, text);
      else io.stdout.write(text);
      const { requests } = client.transport.stats;
      io.stderr.write(
        `[report] ${report.organizations.length} organization(s), ${requests} calls${values.out ? `, written to ${values.out}` : ""}\n`,
      );
      // Written, but not whole: an organization that does not exist is named, and the exit says so.
      const missing = report.organizations.filter((o) => o.missing).map((o) => o.id);
      if (missing.length > 0) {
        io.stderr.write(
          `[report] ${missing.join(", ")}: not found in the tenant (404); the report covers the others, exit 1\n`,
        );
        return EXIT.failed;
      }
      return EXIT.ok;
    } catch (err) {
      if (err instanceof UnknownRoleError) throw new UsageError(err.message);
      throw err;
    } finally {
      await client.close();
    }
  },
);
