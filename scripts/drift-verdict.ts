/**
 * `node dist/scripts/drift-verdict.js preview.json <exit code>`: prints `verdict=clean|drift|error` and
 * `changes=N` for `$GITHUB_OUTPUT` (see src/summary/drift.ts), and the reason on stderr for the job's log.
 *
 * @example
 * node dist/scripts/drift-verdict.js preview.json 7 >> "$GITHUB_OUTPUT"
 */
import { readFileSync } from "node:fs";
import { driftVerdict } from "../src/summary/drift";

function main([file, code]: string[]): void {
  const exitCode = Number(code);
  if (!file || code === undefined || code === "" || !Number.isInteger(exitCode))
    throw new Error("usage: node dist/scripts/drift-verdict.js <preview.json> <exit code of pulumi preview>");
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // A preview that printed nothing (killed, or failed before starting): the verdict says error.
  }
  const { verdict, changes, reason } = driftVerdict(text, exitCode);
  process.stdout.write(`verdict=${verdict}\nchanges=${changes}\n`);
  process.stderr.write(`[drift-verdict] ${verdict}: ${reason}\n`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}
