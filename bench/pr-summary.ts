/**
 * `npm run bench:pr-summary`: what a reviewer gets for a pull request, side by side: the lines and bytes of
 * `pulumi preview --diff` and of the pr-summary of `pulumi preview --json`, for a one-member change (and for
 * a change of every member) in one organization of 10, 2,000 and 10,000 members, on the real engine and the
 * project's own program (test/helpers/large-organization.ts). Writes its section of bench/RESULTS.md
 * (between its markers; the rest of the file is left as it is). Environment: PR_SUMMARY_SIZES=10,2000,10000.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator } from "../emulator/server";
import { previewJson } from "../scripts/preview-json";
import { GITHUB_COMMENT_LIMIT, summarisePreview } from "../src/summary";
import {
  everyMemberGainsARole,
  largeTenant,
  memberId,
  openLargeOrganization,
} from "../test/helpers/large-organization";
import { machine, writeResultsSection } from "./harness";

const SIZES = (process.env.PR_SUMMARY_SIZES ?? "10,2000,10000").split(",").map(Number);

interface Row {
  members: number;
  change: string;
  diffLines: number;
  diffBytes: number;
  jsonBytes: number;
  summaryLines: number;
  summaryBytes: number;
  summaryChars: number;
  shown: number;
  total: number;
}

const lines = (text: string) => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const n = (x: number) => x.toLocaleString("en-US");
const kb = (x: number) => `${(x / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} KB`;

async function measure(size: number): Promise<Row[]> {
  const work = mkdtempSync(path.join(os.tmpdir(), `bench-pr-summary-${size}-`));
  const emulator = await Emulator.start({ fixture: largeTenant(size) });
  try {
    const org = await openLargeOrganization(work, emulator, size);
    await org.up();
    const baseline = org.baseline();
    const changes: Array<[string, Record<string, string[]>]> = [
      // Member 0 holds role-0, role-1, role-2: it gains role-5 and loses role-2.
      ["one member", { ...baseline, [memberId(0)]: ["role-0", "role-1", "role-5"] }],
      ["every member", everyMemberGainsARole(baseline)],
    ];
    const rows: Row[] = [];
    for (const [change, declared] of changes) {
      org.declare(declared);
      const diff = await org.stack.preview({ diff: true });
      const json = await previewJson(org.stack, { diff: true }, "events");
      if (json.failed) throw new Error(`pulumi preview --json failed: ${json.error?.message}`);
      const { summary } = summarisePreview(json.text, {
        moreHint: "The full summary is the workflow artifact `member-roles-summary`.",
      });
      rows.push({
        members: size,
        change,
        diffLines: lines(diff.stdout),
        diffBytes: bytes(diff.stdout),
        jsonBytes: bytes(json.text),
        summaryLines: lines(summary.markdown),
        summaryBytes: bytes(summary.markdown),
        summaryChars: summary.markdown.length,
        shown: summary.shownMemberLines,
        total: summary.totalMemberLines,
      });
      console.log(`[bench:pr-summary] ${JSON.stringify(rows.at(-1))}`);
    }
    return rows;
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function section(rows: Row[], seconds: number): string {
  const table = rows.map(
    (r) =>
      `| ${n(r.members)} | ${r.change} | ${n(r.diffLines)} | ${n(r.diffBytes)} (${kb(r.diffBytes)}) | ${n(r.summaryLines)} | ${n(r.summaryBytes)} (${kb(r.summaryBytes)}) | ${n(r.shown)} of ${n(r.total)} | ${kb(r.jsonBytes)} |`,
  );
  const over = rows
    .filter((r) => r.diffBytes > GITHUB_COMMENT_LIMIT)
    .map((r) => `${n(r.members)} (${r.change})`);
  return [
    "## Pull-request summary: `pulumi preview --diff` against `npm run pr-summary`",
    "",
    `Command: \`npm run bench:pr-summary\` (PR_SUMMARY_SIZES=${SIZES.join(",")}).`,
    `Date: ${new Date().toISOString()}. Machine: ${machine()}. Run took ${seconds.toFixed(0)} s.`,
    "",
    "One organization declared in stack config through the project's program, role names aliased (`role-0`…), every",
    'member holding three roles. "one member": member 0 gains `role-5` and loses `role-2`; "every member": each',
    "gains a fourth role it did not hold. Both previews run with `--diff` and nothing else; the summary is",
    "`npm run pr-summary` of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --diff`, default",
    `limits (50 member lines, 60,000 bytes; GitHub refuses comments over ${n(GITHUB_COMMENT_LIMIT)} characters).`,
    "",
    "| members | change | `preview --diff` lines | `preview --diff` bytes | summary lines | summary bytes | member lines shown | preview JSON |",
    "|---|---|---|---|---|---|---|---|",
    ...table,
    "",
    over.length
      ? `The raw diff is over GitHub's comment limit at ${over.join(", ")}. The largest summary measured is ${n(Math.max(...rows.map((r) => r.summaryChars)))} characters.`
      : "The raw diff stayed under GitHub's comment limit in every case measured.",
    "The diff shows every member whatever changes (a Node dynamic provider cannot return a detailed diff), and",
    "shows the members map twice: in the resource's inputs and in the program's stack output `organizations`.",
  ].join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  for (const size of SIZES) rows.push(...(await measure(size)));
  const text = section(rows, (Date.now() - started) / 1000);
  writeResultsSection("pr-summary", text);
  console.log(text);
}

main().catch((err) => {
  console.error(`[bench:pr-summary] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
