/**
 * The README against the code: its examples compile and its config validates, its tables list every input,
 * output, setting and scope the code has, and its troubleshooting table every error message the code builds.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";
import { expiryRequired } from "../../policies/governance/expiry-required";
import { maxHolders } from "../../policies/governance/max-holders";
import { separationOfDuties } from "../../policies/governance/separation-of-duties";
import { oneOwnerPerMember } from "../../policies/one-owner-per-member";
import {
  auth0DocumentedRoleLimit,
  rolesPerMember,
  rolesPerMemberInStack,
} from "../../policies/roles-per-member";
import { PROJECT_ROOT } from "../../scripts/engine";
import { ENDPOINTS } from "../../src/api/endpoints";
import { POLICY_ROLE_CAP } from "../../src/api/limits";
import { APPLY_SCOPES, GROUP_APPLY_SCOPES } from "../../src/api/scopes";
import { SETTINGS } from "../../src/client/credentials";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_OPERATION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY_BUDGET,
} from "../../src/client/defaults";
import { PER_MEMBER_READ_THRESHOLD } from "../../src/provider/live-roles";
import { SETTING_ROWS } from "../../src/settings";
import { errorMessages } from "../helpers/error-messages";
import { resolveOrganizations } from "../helpers/resolve-organizations";

// js-yaml ships no types (see test/helpers/workflow.ts).
const { load } = require("js-yaml") as { load(text: string): unknown };

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const README = read("README.md");
/** The pages the README sends a user to, shipped in the package (package.json `files`). */
const TROUBLESHOOTING = read("docs/troubleshooting.md");
const CONFIGURATION = read("docs/configuration.md");
const POLICY_PACK = read("docs/policy-pack.md");
const SETTINGS_SECTION = "## `auth0:` and `orgMemberRoles:`: read by the provider";
const DECLARE_SECTION = "## `auth0-org-member-roles:`: read by `declareOrganizations`";

/** README under 12 KB (the bound), in bytes. */
const MAX_README_BYTES = 12 * 1024;

/**
 * Messages the code builds that no user input or answer can cause: a programming error, named by a fixed part.
 * Each is an invariant of the code, not something a user can fix.
 */
const NOT_FOR_USERS = [
  ": no value for {", // pathOf called without a path parameter (src/api/endpoints.ts)
  "Transport has no token source", // an authenticated request on a transport built without one
  "sleep of", // a timer longer than Node's maximum: every wait is bounded far below it
  "clock scale must be > 0, got", // the benchmarks' scaled clock
  "token endpoint answered without a body", // the token source's post callback returned nothing
  "whose group roles a preview reads", // groupRolesUnread: a note in the preview and the summary, not an error
  "answered the effective-roles endpoint with 404", // the same note, when groups are not enabled
];

interface Block {
  lang: string;
  body: string;
  line: number;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown))
    blocks.push({ lang: m[1] ?? "", body: m[2] ?? "", line: markdown.slice(0, m.index).split("\n").length });
  return blocks;
}

/** The body of the section under `heading` (to the next heading of the same or a higher level). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, `README has a section "${heading}"`).to.be.greaterThan(-1);
  const level = /^#+/.exec(heading)?.[0] ?? "##";
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, "m"));
  return end === -1 ? rest : rest.slice(0, end);
}

/** The rows of the first table in `text`, as cells. */
function tableRows(text: string): string[][] {
  const lines = text.split("\n").filter((l) => l.startsWith("|"));
  return lines.slice(2).map((l) =>
    l
      .slice(1, -1)
      .split(/ \| /)
      .map((c) => c.trim()),
  );
}

/** The tables in `text`, each as the list of its rows' first cells. */
function firstCells(text: string): string[] {
  return tableRows(text).map((cells) => cells[0] ?? "");
}

const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");

/** The names a table's first column gives, as `name` or `config.name`/`organizations[].name`. */
const namesIn = (cells: readonly string[]) =>
  cells.flatMap((c) => codeSpans(c)).map((n) => n.replace(/^(config\.|organizations\[\]\.)/, ""));

describe("README and the docs it links: what a user reads, checked against the code", () => {
  describe("troubleshooting", () => {
    const table = tableRows(section(TROUBLESHOOTING, "## Failures and recovery"));
    const quoted = table.flatMap((cells) => codeSpans(cells.join(" | ")));
    const quotedMessages = table.flatMap((cells) => codeSpans(cells[0] ?? ""));
    const messages = errorMessages(PROJECT_ROOT).filter(
      (m) => !NOT_FOR_USERS.some((n) => m.pieces.some((p) => p.includes(n))),
    );
    const covers = (fragment: string, pieces: readonly string[]) =>
      fragment.length >= 12 && pieces.some((p) => p.includes(fragment));

    it("the scan of the code finds the messages it must (a check of the scan itself)", () => {
      const all = errorMessages(PROJECT_ROOT).flatMap((m) => m.pieces);
      for (const known of [
        "is not a member of organization", // validate.ts, a reason
        "The credentials lack the scope", // errors.ts, returned by hintForClassification
        "Invalid stack config:", // organizations-config.ts, new Error
        "must be letters, digits, '.', '_' or '-'", // organizations-config.ts, a zod regex message
        "is encrypted with a passphrase, which neither this project nor @pulumi/auth0 can use", // an argument of fail
        "is in milliseconds, not seconds; read as such", // rate-limit.ts, a note joined into a wait message
      ])
        expect(
          all.some((p) => p.includes(known)),
          known,
        ).to.equal(true);
      expect(
        all.some((p) => p === "PAGING_LOOP"),
        "codes are not messages",
      ).to.equal(false);
    });

    it("lists every error message the provider and the components can emit for bad input or a refused request", () => {
      const missing = messages
        .filter((m) => !quoted.some((q) => covers(q, m.pieces)))
        .map((m) => `${m.file}:${m.line} ${JSON.stringify(m.pieces)}`);
      expect(missing, "messages with no fragment in the troubleshooting table").to.deep.equal([]);
    });

    it("quotes in its message column only text the code really emits", () => {
      const invented = quotedMessages.filter((q) => !messages.some((m) => covers(q, m.pieces)));
      expect(invented, "fragments no message contains (at least 12 characters each)").to.deep.equal([]);
    });
  });

  describe("inputs and outputs", () => {
    /** Property names of a type or class exported by a file of the project. */
    function propertiesOf(file: string, name: string, kind: "type" | "instance"): string[] {
      const program = ts.createProgram([path.join(PROJECT_ROOT, file)], {
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: true,
        noEmit: true,
      });
      const checker = program.getTypeChecker();
      const source = program.getSourceFile(path.join(PROJECT_ROOT, file));
      const symbol = checker
        .getExportsOfModule(checker.getSymbolAtLocation(source!)!)
        .find((s) => s.name === name);
      expect(symbol, `${file} exports ${name}`).to.not.equal(undefined);
      const declared =
        kind === "instance"
          ? checker.getDeclaredTypeOfSymbol(symbol!)
          : checker.getDeclaredTypeOfSymbol(symbol!);
      const types = declared.isUnion() ? declared.types : [declared];
      return [...new Set(types.flatMap((t) => checker.getPropertiesOfType(t).map((p) => p.name)))].sort();
    }

    const own = (names: string[], inherited: readonly string[]) =>
      names.filter((n) => !inherited.includes(n));

    it("OrgMemberRoles: every input of OrgMemberRolesArgs has a row", () => {
      const inputs = propertiesOf("components/org-member-roles.ts", "OrgMemberRolesArgs", "type");
      const rows = namesIn(firstCells(section(README, "### `OrgMemberRoles(name, args, opts?)`")));
      expect(inputs).to.include.members(["organization", "organizationId", "members", "memberships"]);
      expect(rows).to.include.members(inputs);
    });

    it("OrgMemberRoles: every output the class declares and the provider stores has a row", () => {
      const resource = own(propertiesOf("components/org-member-roles.ts", "OrgMemberRoles", "instance"), [
        "urn",
        "getProvider",
        "__pulumiResource",
      ]).filter((n) => !n.startsWith("__"));
      const stored = propertiesOf("src/model/stored-state.ts", "OrgMemberRolesOutputs", "type");
      const outputs = section(README, "### `OrgMemberRoles(name, args, opts?)`").split("Outputs:")[1] ?? "";
      expect(resource).to.include.members(["id", "members", "tenantDiffers", "declaredDiffers", "resolved"]);
      expect(namesIn(firstCells(outputs))).to.include.members([...new Set([...resource, ...stored])]);
    });

    it("declareOrganizations: every key of OrganizationsConfig and of an organization entry has a row", () => {
      const config = propertiesOf("components/organizations-config.ts", "OrganizationsConfig", "type");
      const rows = namesIn(firstCells(section(CONFIGURATION, DECLARE_SECTION)));
      const entry = [
        "name",
        "organizationId",
        "mode",
        "members",
        "groups",
        "addMissingMembers",
        "protect",
        "retainOnDelete",
      ];
      expect(config).to.deep.equal(["organizations", "roles", "shard"]);
      expect(rows).to.include.members([...config, ...entry, "namespace", "opts"]);
      // The entry's keys as the validation knows them: an unknown key fails, naming these.
      expect(() =>
        resolveOrganizations(
          { organizations: [{ organizationId: "org_0123456789abcdef", members: {}, x: 1 }] },
          "ns",
        ),
      ).to.throw(entry.join(", "));
    });

    it("every setting the client and the provider read has a row in the settings table", () => {
      const rows = namesIn(firstCells(section(CONFIGURATION, SETTINGS_SECTION)));
      const keys = [
        ...Object.values(SETTINGS).map(([key]) => key),
        ...Object.values(SETTING_ROWS).map((r) => r.key),
      ];
      expect(rows).to.include.members(keys);
    });

    it("gives each setting the default the code uses", () => {
      const defaults = new Map(
        tableRows(section(CONFIGURATION, SETTINGS_SECTION)).map((cells) => [
          codeSpans(cells[0] ?? "")[0],
          cells[1],
        ]),
      );
      expect(defaults.get("orgMemberRoles:concurrency")).to.equal(String(DEFAULT_CONCURRENCY));
      expect(defaults.get("orgMemberRoles:retryBudget")).to.equal(String(DEFAULT_RETRY_BUDGET));
      expect(defaults.get("orgMemberRoles:requestTimeoutMs")).to.equal(String(DEFAULT_REQUEST_TIMEOUT_MS));
      expect(defaults.get("orgMemberRoles:maxWaitSeconds")).to.equal(String(DEFAULT_MAX_WAIT_MS / 1000));
      expect(defaults.get("orgMemberRoles:operationTimeoutSeconds")).to.equal(
        String(DEFAULT_OPERATION_TIMEOUT_MS / 1000),
      );
      expect(defaults.get("orgMemberRoles:roleCap")).to.equal(String(POLICY_ROLE_CAP));
      expect(defaults.get("orgMemberRoles:previewValidation")).to.equal("`true`");
    });

    it("says a refresh reads members one by one up to the threshold the code has", () => {
      const words = ["zero", "one", "two", "three", "four", "five"];
      expect(section(TROUBLESHOOTING, "## Limits")).to.contain(
        `past ${words[PER_MEMBER_READ_THRESHOLD]} members, 100 members a call`,
      );
    });

    it("the environment variable of each setting is its key in upper snake case, as the README says", () => {
      const snake = (key: string) =>
        key
          .replace(/^orgMemberRoles:/, "org_member_roles_")
          .replace(/^auth0:/, "auth0_")
          .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
          .toUpperCase();
      for (const [key, env] of Object.values(SETTINGS)) expect(env, key).to.equal(snake(key));
      for (const r of Object.values(SETTING_ROWS)) expect(r.env, r.key).to.equal(snake(r.key));
    });

    it("names every scope an operation needs, and the one export-org reads", () => {
      const scopes = section(README, "## Scopes");
      for (const scope of [...APPLY_SCOPES, ...GROUP_APPLY_SCOPES, ENDPOINTS.getOrganization.scope])
        expect(scopes).to.contain(`\`${scope}\``);
    });
  });

  describe("examples", () => {
    const blocks = codeBlocks(README);

    it("every TypeScript block type-checks against the package, with the repository's compiler options", () => {
      const programs = blocks.filter((b) => b.lang === "ts");
      expect(programs.length).to.be.greaterThan(1);
      const config = ts.readConfigFile(path.join(PROJECT_ROOT, "tsconfig.json"), ts.sys.readFile);
      const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, PROJECT_ROOT);
      const files = new Map(
        programs.map((b) => [path.join(PROJECT_ROOT, `readme-example-${b.line}.ts`), b.body]),
      );
      const host = ts.createCompilerHost({ ...options, noEmit: true });
      const fileExists = host.fileExists.bind(host);
      const readFile = host.readFile.bind(host);
      const getSourceFile = host.getSourceFile.bind(host);
      host.fileExists = (f) => files.has(f) || fileExists(f);
      host.readFile = (f) => files.get(f) ?? readFile(f);
      host.getSourceFile = (f, v, onError, create) => {
        const text = files.get(f);
        return text === undefined
          ? getSourceFile(f, v, onError, create)
          : ts.createSourceFile(f, text, v, true);
      };
      const program = ts.createProgram([...files.keys()], { ...options, noEmit: true }, host);
      const problems = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      expect(problems).to.deep.equal([]);
    });

    it("every stack config block passes declareOrganizations' validation", () => {
      const configs = blocks.filter((b) => b.lang === "yaml" && b.body.includes("organizations:"));
      expect(configs.length).to.be.greaterThan(0);
      for (const b of configs) {
        const { config } = load(b.body) as { config: Record<string, unknown> };
        const namespace = "auth0-org-member-roles";
        const organizations = resolveOrganizations(
          { roles: config[`${namespace}:roles`], organizations: config[`${namespace}:organizations`] },
          namespace,
        );
        expect(organizations.map((o) => o.name)).to.deep.equal(["acme", "globex"]);
        expect(organizations[0]?.members["auth0|69e9cd6013e3dca66bfbca39"]).to.deep.equal([
          "rol_admin00000000001",
          "rol_viewer0000000004",
        ]);
      }
    });

    it("the policy pack's config blocks name only the pack's policies, with values their schemas accept", () => {
      const packs = codeBlocks(POLICY_PACK).filter((b) => b.lang === "json");
      // Limits, and the governance rules.
      expect(packs.length).to.equal(2);
      const config = Object.assign({}, ...packs.map((b) => JSON.parse(b.body))) as Record<string, unknown>;
      expect(Object.keys(config)).to.include.members([
        "expiry-required",
        "separation-of-duties",
        "max-holders",
      ]);
      const byName = new Map(
        [
          rolesPerMember,
          rolesPerMemberInStack,
          auth0DocumentedRoleLimit,
          oneOwnerPerMember,
          expiryRequired,
          separationOfDuties,
          maxHolders,
        ].map((p) => [p.name, p]),
      );
      for (const [name, value] of Object.entries(config)) {
        expect([...byName.keys()], name).to.include(name);
        if (typeof value === "string") expect(["disabled", "advisory", "mandatory"]).to.include(value);
        // `enforcementLevel` is the engine's key of every policy's entry.
        else
          expect([
            "enforcementLevel",
            ...Object.keys(byName.get(name)?.configSchema?.properties ?? {}),
          ]).to.include.members(Object.keys(value as object));
      }
    });
  });

  it("every link of the README and of the docs it ships resolves inside the package: the file is shipped, the heading exists", () => {
    /** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
    const anchorsOf = (file: string) =>
      read(file)
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => slug(l.replace(/^#+ /, "")));
    const { files } = JSON.parse(read("package.json")) as { files: string[] };
    // What npm always ships, and the markdown of `files` (globs of one directory level, as written there).
    const shippedMarkdown = files.filter((f) => f.endsWith(".md"));
    const shipped = (file: string) =>
      ["README.md", "LICENSE", "package.json"].includes(file) ||
      shippedMarkdown.some((glob) =>
        new RegExp(`^${glob.replace(/\./g, "\\.").replace(/\*/g, "[^/]*")}$`).test(file),
      );
    const docs = ["README.md", ...readdirSync(path.join(PROJECT_ROOT, "docs")).map((f) => `docs/${f}`)];
    let checked = 0;
    for (const from of docs) {
      expect(shipped(from), `${from} is in the package`).to.equal(true);
      for (const [, target, anchor] of read(from).matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        if (/^[a-z]+:/.test(target ?? "")) continue; // an absolute URL
        const file = target ? path.posix.normalize(path.posix.join(path.posix.dirname(from), target)) : from;
        expect(shipped(file), `${from} links ${file}, which the package does not ship`).to.equal(true);
        if (anchor) expect(anchorsOf(file), `${from} links ${file}#${anchor}`).to.include(anchor);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(20);
  });

  it("the user pages name no source file of the repository: where a behaviour lives goes to docs/ARCHITECTURE.md", () => {
    // A user reads what they write, run and see; `src/...`, `components/...`, `emulator/...` and `test/...` paths
    // are for contributors ("Behaviour notes for contributors" in docs/ARCHITECTURE.md). A package subpath such
    // as `pulumi-auth0-org-member-roles/emulator` is not one (preceded by a slash).
    const userPages = [
      "README.md",
      "docs/guide.md",
      "docs/configuration.md",
      "docs/ownership.md",
      "docs/troubleshooting.md",
      "docs/policy-pack.md",
      "docs/report.md",
    ];
    const sourcePath = /(?<![\w./-])(?:src|components|emulator|test)\/[\w./*-]*/g;
    const named = userPages.flatMap((file) =>
      read(file)
        .split("\n")
        .flatMap((line, i) => [...line.matchAll(sourcePath)].map((m) => `${file}:${i + 1}: ${m[0]}`)),
    );
    expect(named).to.deep.equal([]);
    // The check itself finds what it must, and leaves a package subpath alone.
    expect("see `src/provider/boundary.ts`".match(sourcePath)).to.deep.equal(["src/provider/boundary.ts"]);
    expect("`pulumi-auth0-org-member-roles/emulator`".match(sourcePath)).to.equal(null);
  });

  it(`stays under ${MAX_README_BYTES} bytes, and the first code block a user meets installs the package`, () => {
    expect(Buffer.byteLength(README)).to.be.at.most(MAX_README_BYTES);
    const [first] = codeBlocks(README);
    expect(first?.lang).to.equal("bash");
    expect(first?.body).to.match(/^npm install .*pulumi-auth0-org-member-roles-[\d.]+\.tgz$/m);
  });

  it("CONTRIBUTING.md opens with the two commands of a fresh checkout: the main job, then the tests", () => {
    const first = codeBlocks(read("CONTRIBUTING.md")).find((b) => b.lang === "bash");
    expect(first?.body.split("\n").map((l) => l.split("#")[0]?.trim())).to.deep.equal([
      "npm ci && npm start",
      "npm ci && npm test",
      "",
    ]);
  });
});
