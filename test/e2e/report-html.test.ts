/**
 * The access report's HTML page in a real browser: `auth0-org-member-roles report --format html` against the
 * emulator's 1,000-member organization (test/helpers/report-fixture.ts), opened from its file in headless
 * Chromium (installed by `npm run setup`). It renders with no error, sorting and the filter work through the
 * DOM, and a screenshot is left in test-output/report-html/ for people to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { expect } from "chai";
import { emulatorSettings } from "../../emulator/server";
import type { CliIo } from "../../src/cli/command";
import { runCli } from "../../src/cli/dispatch";
import { SETTINGS } from "../../src/client/credentials";
import { startEmulator } from "../helpers/emulator";
import { user } from "../helpers/fixtures";
import { HeadlessPage } from "../helpers/headless-chromium";
import { EXPECTED, reportStackExport, reportTenant, SOD_PAIR } from "../helpers/report-fixture";

const OUTPUT = path.resolve(process.env["TEST_OUTPUT_DIR"] ?? "test-output", "report-html");

describe("access report: the HTML page in headless Chromium", function () {
  this.timeout(120_000);
  const ctx = startEmulator(reportTenant());
  const dir = mkdtempSync(path.join(os.tmpdir(), "report-html-"));
  const html = path.join(dir, "access-review.html");
  let page: HeadlessPage;

  before(async () => {
    const exportFile = path.join(dir, "stack.json");
    writeFileSync(exportFile, JSON.stringify(reportStackExport(Date.now())));
    const settings = emulatorSettings(ctx.emulator.url);
    const env = Object.fromEntries(
      Object.values(SETTINGS).flatMap(([key, variable]) =>
        settings[key] ? [[variable, settings[key]]] : [],
      ),
    );
    const stderr = new PassThrough();
    let said = "";
    stderr.on("data", (c: Buffer) => {
      said += c.toString();
    });
    const io: CliIo = {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      env,
      secrets: [],
      interrupted: () => Promise.resolve(),
    };
    const code = await runCli(
      [
        "report",
        "--stack-export",
        exportFile,
        "--format",
        "html",
        "--out",
        html,
        "--separation-of-duties",
        SOD_PAIR.join(","),
      ],
      io,
    );
    expect(code, said).to.equal(0);
    expect(said).to.match(/\[report\] org_\w+: 1,000 of 1,000 members read \(100%\)/);
    page = await HeadlessPage.open();
    await page.goto(html);
  });

  after(async () => {
    await page?.close();
  });

  const visible = () =>
    page.evaluate<number>(
      `[...document.querySelectorAll("table.grants tbody tr")].filter((r) => !r.hidden).length`,
    );
  const column = (i: number) =>
    page.evaluate<string[]>(
      `[...document.querySelectorAll("table.grants tbody tr")].filter((r) => !r.hidden).map((r) => r.cells[${i}].textContent)`,
    );
  const filter = (text: string) =>
    page.evaluate(
      `(() => { const f = document.querySelector("input.filter"); f.value = ${JSON.stringify(text)}; f.dispatchEvent(new Event("input")); })()`,
    );
  const clickHeader = (label: string) =>
    page.evaluate(
      `[...document.querySelectorAll("table.grants th")].find((th) => th.textContent === ${JSON.stringify(label)}).querySelector("button").click()`,
    );

  it("renders every grant with no console error and nothing secret", async () => {
    expect(page.errors).to.deep.equal([]);
    expect(await visible()).to.equal(EXPECTED.grants);
    const text = readFileSync(html, "utf8");
    expect(text).not.to.include(user(960));
    expect(text).to.include("(secret member #1)");
  });

  it("the chart draws holders per role, the most held first (role-1: 600 members)", async () => {
    const bars = await page.evaluate<string[]>(
      `[...document.querySelectorAll("svg.chart g.bar")].map((g) => g.textContent)`,
    );
    expect(bars).to.have.length(20);
    expect(bars[0]).to.equal("role-1600");
  });

  it("sorts by a column, then in reverse on a second click", async () => {
    await clickHeader("Role");
    let roles = await column(2);
    // The secret map's 50 grants (role 4 of members 950-999) show "(secret role)", which sorts first.
    expect(roles.slice(0, EXPECTED.secretMembers)).to.deep.equal(
      Array(EXPECTED.secretMembers).fill("(secret role)"),
    );
    expect(roles[EXPECTED.secretMembers]).to.equal("role-1");
    expect(roles.at(-1)).to.equal("role-60");
    expect(
      await page.evaluate(`document.querySelector('th[data-key="role"]').getAttribute("aria-sort")`),
    ).to.equal("ascending");
    await clickHeader("Role");
    roles = await column(2);
    expect(roles[0]).to.equal("role-60");
    expect(roles.at(-1)).to.equal("(secret role)");
    expect(roles.at(-EXPECTED.secretMembers - 1)).to.equal("role-1");
    expect(page.errors).to.deep.equal([]);
  });

  it("the filter keeps the rows holding every word: drift, a group, a flag", async () => {
    await filter("drift");
    expect(await visible()).to.equal(EXPECTED.drift);
    expect(await page.evaluate(`document.querySelector(".shown").textContent`)).to.equal(
      `${EXPECTED.drift} of ${EXPECTED.grants} rows`,
    );
    await filter("engineering");
    expect(await visible()).to.equal(EXPECTED.group);
    await filter("ends-within-7-days");
    expect(await visible()).to.equal(EXPECTED.ending);
    // The pair's flag is member-wide, named on each of member 1's rows: role 1 and the pair's two roles.
    await filter("separation-of-duties role-5");
    expect(await visible()).to.equal(1 + SOD_PAIR.length);
    mkdirSync(OUTPUT, { recursive: true });
    await filter("");
    writeFileSync(path.join(OUTPUT, "access-review.png"), await page.screenshot());
    expect(await visible()).to.equal(EXPECTED.grants);
    expect(page.errors).to.deep.equal([]);
  });
});
