/**
 * `npm run pr-summary -- preview.json`: the Markdown summary of a `pulumi preview --json` for a pull request
 * (see src/summary/). The preview's policy results are included when it ran with
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` (the plain `--json` digest leaves them out).
 *
 * Options:
 *   --out FILE          write the summary there (default: stdout)
 *   --full-out FILE     also write the summary with nothing left out (the workflow uploads it as an artifact)
 *   --max-members N     member lines before summarising (default 50; `all` for no limit)
 *   --max-bytes N       size bound, at most GitHub's 65,536-character comment limit (default 60000)
 *   --users FILE        Auth0 users (JSON array or one JSON object per line: user_id, email, name) for emails
 *   --roles FILE        Auth0 roles (JSON array: id, name) for role names the stack config does not alias
 *   --artifact NAME     the artifact holding the full summary, named in the footer (with the run's URL on GitHub)
 *
 * @example
 * PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --refresh --policy-pack policies > preview.json
 * npm run --silent pr-summary -- preview.json --out summary.md --full-out summary-full.md
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_MEMBERS,
  GITHUB_COMMENT_LIMIT,
  MIN_BYTES,
  PreviewJsonError,
  summarisePreview,
} from "../src/summary";

class UsageError extends Error {}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err);
    throw new UsageError(`${flag} ${file}: ${reason}. Give the path of an existing file.`);
  }
}

/** A JSON array, or one JSON object per line (what Auth0's user export job writes). */
function readRecords<T>(file: string, flag: string): T[] {
  const text = readText(file, flag).trim();
  try {
    const value = text.startsWith("[")
      ? JSON.parse(text)
      : text
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l));
    if (Array.isArray(value)) return value as T[];
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} ${file}: expected a JSON array of objects, or one JSON object per line.`);
}

function count(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} ${value}: must be a whole number from ${min} to ${max}.`);
  return n;
}

/** Where the full summary is: the artifact of this workflow run on GitHub, or a local command. */
function moreHint(artifact: string | undefined, file: string): string {
  const env = process.env;
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  if (artifact)
    return run
      ? `The full summary is the artifact \`${artifact}\` of [this workflow run](${run}).`
      : `The full summary is the workflow artifact \`${artifact}\`.`;
  return `For everything: \`npm run pr-summary -- ${file} --max-members all\`, or see \`--full-out\`.`;
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      "full-out": { type: "string" },
      "max-members": { type: "string", default: String(DEFAULT_MAX_MEMBERS) },
      "max-bytes": { type: "string", default: String(DEFAULT_MAX_BYTES) },
      users: { type: "string" },
      roles: { type: "string" },
      artifact: { type: "string" },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      "usage: npm run pr-summary -- <preview.json | -> [--out FILE] [--full-out FILE] ...",
    );
  const file = positionals[0]!;
  const maxMembers =
    values["max-members"] === "all"
      ? Number.POSITIVE_INFINITY
      : count(values["max-members"], "--max-members", 0, 1_000_000);
  const maxBytes = count(values["max-bytes"], "--max-bytes", MIN_BYTES, GITHUB_COMMENT_LIMIT);
  const { summary, full } = summarisePreview(readText(file, "the preview"), {
    maxMembers,
    maxBytes,
    moreHint: moreHint(values.artifact, file),
    ...(values.users ? { users: readRecords(values.users, "--users") } : {}),
    ...(values.roles ? { roles: readRecords(values.roles, "--roles") } : {}),
  });
  if (values.out) writeFileSync(values.out, summary.markdown);
  else process.stdout.write(summary.markdown);
  if (values["full-out"]) writeFileSync(values["full-out"], full());
  process.stderr.write(
    `[pr-summary] ${summary.shownMemberLines} of ${summary.totalMemberLines} member lines shown, ` +
      `${Buffer.byteLength(summary.markdown)} bytes${summary.truncated ? " (summarised)" : ""}\n`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    const known = err instanceof UsageError || err instanceof PreviewJsonError || err instanceof RangeError;
    console.error(`[pr-summary] ${known ? (err as Error).message : String(err)}`);
    process.exit(known ? 2 : 1);
  }
}
