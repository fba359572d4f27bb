/**
 * `npm run migrate-from-auth0 -- <export.json> [--config-out FILE | --typescript-out FILE] --state-out FILE
 * [--namespace NAME]`: reads a stack's `pulumi stack export`, writes the OrgMemberRoles declaration of what its
 * `@pulumi/auth0` OrganizationMemberRoles resources hold (stack config entries, or TypeScript), and the state
 * without them, to import with `pulumi stack import`. Touches neither the stack nor the tenant: the commands
 * it prints do the rest, and the next `up` adopts the members with no write. docs/guide.md: "Moving from
 * @pulumi/auth0's OrganizationMemberRoles".
 */
import { readFileSync, writeFileSync } from "node:fs";
import { configFromLive, renderConfigYaml } from "./export-config";
import { planMigration, renderTypeScript, type StackExport } from "./migrate-state";

const USAGE =
  "usage: npm run migrate-from-auth0 -- <pulumi stack export file> --state-out <file> [--config-out <file> | --typescript-out <file>] [--namespace <project>]";

/** `--name value` pairs and the positional arguments. */
function parse(args: string[]): { files: string[]; options: Map<string, string> } {
  const files: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) files.push(arg);
    else if (args[i + 1] === undefined || args[i + 1]!.startsWith("--"))
      throw new Error(`${arg} needs a value\n${USAGE}`);
    else options.set(arg, args[++i]!);
  }
  return { files, options };
}

/** The project of the stack (the namespace of its config), from a URN: `urn:pulumi:<stack>::<project>::...`. */
function projectOf(exported: StackExport): string | undefined {
  const urn = exported.deployment.resources?.[0]?.urn;
  return urn?.split("::")[1];
}

function main(): void {
  const { files, options } = parse(process.argv.slice(2));
  const stateOut = options.get("--state-out");
  if (files.length !== 1 || !stateOut) throw new Error(USAGE);
  const exported = JSON.parse(readFileSync(files[0]!, "utf8")) as StackExport;
  const migration = planMigration(exported);
  if (migration.organizations.length === 0)
    throw new Error(`${files[0]} holds no @pulumi/auth0 OrganizationMemberRoles: nothing to migrate`);

  const typescript = options.get("--typescript-out");
  const namespace = options.get("--namespace") ?? projectOf(exported) ?? "auth0-org-member-roles";
  const declaration = typescript
    ? renderTypeScript(migration.organizations)
    : `config:\n${renderConfigYaml(configFromLive(migration.organizations, migration.roles), namespace)}`;
  const declarationOut = typescript ?? options.get("--config-out");
  if (declarationOut) writeFileSync(declarationOut, declaration);
  else process.stdout.write(declaration);
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
  process.stderr.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
