import { writeFileSync } from "node:fs";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_MEMBERS,
  GITHUB_COMMENT_LIMIT,
  MIN_BYTES,
  PreviewJsonError,
  summarisePreview,
} from "../summary";
import { commandOf, EXIT, UsageError } from "./command";
import { readRecords, readText, wholeNumber } from "./files";

const help = `Usage: auth0-org-member-roles pr-summary <preview.json | -> [options]

The Markdown summary of a \`pulumi preview --json\` for a pull request: each changed member's roles gained
and lost, group-held roles, grants that end, policy results. Policy results are included when the preview ran
with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true (the plain --json digest leaves them out).

  PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --refresh > preview.json
  auth0-org-member-roles pr-summary preview.json --out summary.md --full-out summary-full.md

Options:
  --out FILE          write the summary there (default: stdout)
  --full-out FILE     also write the summary with nothing left out
  --max-members N     member lines before summarising (default ${DEFAULT_MAX_MEMBERS}; \`all\` for no limit)
  --max-bytes N       size bound, at most GitHub's ${GITHUB_COMMENT_LIMIT}-character comment limit (default ${DEFAULT_MAX_BYTES})
  --users FILE        Auth0 users (JSON array or one JSON object per line: user_id, email, name) for emails
  --roles FILE        Auth0 roles (JSON array: id, name) for role names the stack config does not alias
  --artifact NAME     the artifact holding the full summary, named in the footer (with the run's URL on GitHub)
  --audit-log URL     where the audit trail of the last \`up\` is (orgMemberRoles:auditLog), linked in the footer
  -h, --help          this help

Reads no credentials and calls no API. A line on stderr says how many member lines were shown.

Exit codes: 0 written; 2 a wrong command line, a missing file, or input that is no preview JSON.
`;

/** Where the full summary is: the artifact of this workflow run on GitHub, or a local command. */
function moreHint(artifact: string | undefined, file: string, env: NodeJS.ProcessEnv): string {
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  if (artifact)
    return run
      ? `The full summary is the artifact \`${artifact}\` of [this workflow run](${run}).`
      : `The full summary is the workflow artifact \`${artifact}\`.`;
  return `For everything: \`auth0-org-member-roles pr-summary ${file} --max-members all\`, or see \`--full-out\`.`;
}

export const command = commandOf(
  {
    help,
    positionals: true,
    options: {
      out: { type: "string" },
      "full-out": { type: "string" },
      "max-members": { type: "string", default: String(DEFAULT_MAX_MEMBERS) },
      "max-bytes": { type: "string", default: String(DEFAULT_MAX_BYTES) },
      users: { type: "string" },
      roles: { type: "string" },
      artifact: { type: "string" },
      "audit-log": { type: "string" },
    },
  },
  async ({ values, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError("give one preview file (`-` for standard input)");
    const file = positionals[0]!;
    const maxMembers =
      values["max-members"] === "all"
        ? Number.POSITIVE_INFINITY
        : wholeNumber(values["max-members"], "--max-members", 0, 1_000_000);
    const audit = values["audit-log"];
    // Written into a Markdown link: a space, a parenthesis or an angle bracket would end or break it.
    if (audit !== undefined && !/^[^\s()<>]+$/.test(audit))
      throw new UsageError(
        `--audit-log ${audit}: give a URL or path without spaces, parentheses or angle brackets (percent-encode them)`,
      );
    const auditLine = audit
      ? `\nEvery role write of the last \`up\`, one JSON line each: [audit trail](${audit}).\n`
      : "";
    // The link's bytes come out of the size bound, so the whole comment still fits.
    const maxBytes = wholeNumber(values["max-bytes"], "--max-bytes", MIN_BYTES, GITHUB_COMMENT_LIMIT);
    const summaryBytes = Math.max(MIN_BYTES, maxBytes - Buffer.byteLength(auditLine));
    const preview = readText(file, "the preview");
    let result: ReturnType<typeof summarisePreview>;
    try {
      result = summarisePreview(preview, {
        maxMembers,
        maxBytes: summaryBytes,
        moreHint: moreHint(values.artifact, file, io.env),
        ...(values.users ? { users: readRecords(values.users, "--users") } : {}),
        ...(values.roles ? { roles: readRecords(values.roles, "--roles") } : {}),
      });
    } catch (err) {
      // Input that is no preview is the caller's to fix, like a missing file.
      if (err instanceof PreviewJsonError || err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    const { summary, full } = result;
    const markdown = `${summary.markdown}${auditLine}`;
    if (values.out) writeFileSync(values.out, markdown);
    else io.stdout.write(markdown);
    if (values["full-out"]) writeFileSync(values["full-out"], full());
    io.stderr.write(
      `[pr-summary] ${summary.shownMemberLines} of ${summary.totalMemberLines} member lines shown, ` +
        `${Buffer.byteLength(markdown)} bytes${summary.truncated ? " (summarised)" : ""}\n`,
    );
    return EXIT.ok;
  },
);
