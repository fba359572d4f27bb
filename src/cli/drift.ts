import { readFileSync } from "node:fs";
import { driftVerdict, EXIT_CHANGES_PROPOSED } from "../summary/drift";
import { commandOf, EXIT, UsageError } from "./command";

const help = `Usage: auth0-org-member-roles drift <preview.json> <exit code of pulumi preview>

Tells drift from a failed preview: reads the JSON of \`pulumi preview --refresh --expect-no-changes --json\` and
the exit code it returned (${EXIT_CHANGES_PROPOSED}: changes proposed, 0: none, anything else: it failed), and prints
\`verdict=clean|drift|error\` and \`changes=N\` as lines for $GITHUB_OUTPUT; the reason goes to stderr.

  pulumi preview --refresh --expect-no-changes --json > preview.json; code=$?
  auth0-org-member-roles drift preview.json "$code" >> "$GITHUB_OUTPUT"

A missing or empty preview file is the verdict \`error\` (the preview failed before printing anything).
Reads no credentials and calls no API.

Options:
  -h, --help   this help

Exit codes: 0 a verdict was printed (whichever it is); 2 a wrong command line.
`;

export const command = commandOf({ help, positionals: true, options: {} }, async ({ positionals }, io) => {
  const [file, code] = positionals;
  const exitCode = Number(code);
  if (positionals.length !== 2 || !file || code === "" || !Number.isInteger(exitCode))
    throw new UsageError("give the preview's JSON file and the exit code of `pulumi preview`");
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // A preview that printed nothing (killed, or failed before starting): the verdict says error.
  }
  const { verdict, changes, reason } = driftVerdict(text, exitCode);
  io.stdout.write(`verdict=${verdict}\nchanges=${changes}\n`);
  io.stderr.write(`[drift] ${verdict}: ${reason}\n`);
  return EXIT.ok;
});
