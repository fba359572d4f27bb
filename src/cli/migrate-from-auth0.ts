import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { configFromLive, renderConfigYaml } from "../export/config";
import type { StackExport } from "../export/migrate-state";
import { CONFIG_NAMESPACE } from "../pulumi/config-namespace";
import { commandOf, EXIT, UsageError } from "./command";
import { readText } from "./files";

const help = `Usage: auth0-org-member-roles migrate-from-auth0 <stack export> --state-out FILE
                                             [--config-out FILE | --typescript-out FILE]

Reads a stack's \`pulumi stack export\`, writes the OrgMemberRoles declaration of what its @pulumi/auth0
OrganizationMemberRoles resources hold (stack config under \`${CONFIG_NAMESPACE}:\`, or TypeScript), and the state
without them, to import with \`pulumi stack import\`. Touches neither the stack nor the tenant: the commands
it prints do the rest, and the next \`up\` adopts the members with no write. Needs @pulumi/auth0 installed
(its type tokens tell its resources apart). Reads no credentials and calls no API.

  pulumi refresh && pulumi stack export --show-secrets --file before.json
  auth0-org-member-roles migrate-from-auth0 before.json --config-out organizations.yaml --state-out after.json

Options:
  --state-out FILE       the state without the @pulumi/auth0 member-role resources (required)
  --config-out FILE      the stack config entries (default: stdout)
  --typescript-out FILE  TypeScript declaring OrgMemberRoles instead of stack config
  -h, --help             this help

Exit codes: 0 written; 1 nothing to migrate, or a state the move cannot carry (the message says why);
2 a wrong command line, a missing file, or @pulumi/auth0 not installed.
`;

/** The planner, which loads @pulumi/auth0: missing, it is the user's to install, said as such. */
function loadPlanner(): typeof import("../export/migrate-state") {
  try {
    return require("../export/migrate-state");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String(err).includes("@pulumi/auth0"))
      throw new UsageError(
        "needs @pulumi/auth0 in this project (its type tokens tell its resources apart): npm install @pulumi/auth0",
      );
    throw err;
  }
}

export const command = commandOf(
  {
    help,
    positionals: true,
    options: {
      "state-out": { type: "string" },
      "config-out": { type: "string" },
      "typescript-out": { type: "string" },
    },
  },
  async ({ values, positionals }, io) => {
    const stateOut = values["state-out"];
    if (positionals.length !== 1) throw new UsageError("give one file written by `pulumi stack export`");
    if (!stateOut) throw new UsageError("--state-out FILE is required: where the state without them goes");
    if (values["config-out"] && values["typescript-out"])
      throw new UsageError("give --config-out or --typescript-out, not both");
    const file = positionals[0]!;
    // The export is the user's only copy of the state before the migration: no output may overwrite it,
    // and the two outputs must differ.
    const outputs = [
      ["--state-out", stateOut],
      ["--config-out", values["config-out"]],
      ["--typescript-out", values["typescript-out"]],
    ].filter((o): o is [string, string] => o[1] !== undefined);
    for (const [flag, out] of outputs)
      if (path.resolve(out) === path.resolve(file))
        throw new UsageError(
          `${flag} ${out} is the stack export it reads: write to another file, and keep the export`,
        );
    if (outputs.length === 2 && path.resolve(outputs[0]![1]) === path.resolve(outputs[1]![1]))
      throw new UsageError(`${outputs[0]![0]} and ${outputs[1]![0]} name one file: give two`);
    let exported: StackExport;
    try {
      exported = JSON.parse(readText(file, "the stack export")) as StackExport;
    } catch (err) {
      if (err instanceof SyntaxError)
        throw new UsageError(`${file} is not JSON: give what \`pulumi stack export\` wrote`);
      throw err;
    }
    // What `pulumi stack export` writes has a deployment with a list of resources; anything else is not one.
    const deployment = (exported as { deployment?: { resources?: unknown } } | null)?.deployment;
    if (
      deployment === null ||
      typeof deployment !== "object" ||
      (deployment.resources !== undefined && !Array.isArray(deployment.resources))
    )
      throw new UsageError(
        `${file} has no deployment with a list of resources: give what \`pulumi stack export\` wrote`,
      );
    const { planMigration, renderTypeScript } = loadPlanner();
    const migration = planMigration(exported);
    if (migration.organizations.length === 0) {
      io.stderr.write(`${file} holds no @pulumi/auth0 OrganizationMemberRoles: nothing to migrate\n`);
      return EXIT.failed;
    }
    const typescript = values["typescript-out"];
    const declaration = typescript
      ? renderTypeScript(migration.organizations)
      : `config:\n${renderConfigYaml(configFromLive(migration.organizations, migration.roles), CONFIG_NAMESPACE)}`;
    const declarationOut = typescript ?? values["config-out"];
    if (declarationOut) writeFileSync(declarationOut, declaration);
    else io.stdout.write(declaration);
    writeFileSync(stateOut, `${JSON.stringify(migration.state, null, 2)}\n`);

    const members = migration.organizations.reduce((n, o) => n + Object.keys(o.members).length, 0);
    const lines = [
      `${members} member(s) in ${migration.organizations.length} organization(s); ${migration.removed.length} resource(s) taken out of the state:`,
      ...migration.removed.map((urn) => `  ${urn}`),
      ...migration.notes.map((n) => `note: ${n}`),
      "Next: remove the auth0.OrganizationMemberRoles from the program, add the declaration, then",
      `  pulumi stack import --file ${stateOut}`,
      "  pulumi preview   # creates only, one OrgMemberRoles per organization; no auth0 resource deleted",
      "  pulumi up        # adopts: reads the members, writes nothing where they hold the declared roles",
    ];
    io.stderr.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  },
);
