import { ManagementClient } from "../client/management-client";
import { renderConfigYaml } from "../export/config";
import { exportOrganizations } from "../export/organizations";
import { CONFIG_NAMESPACE } from "../pulumi/config-namespace";
import { commandOf, EXIT, UsageError } from "./command";
import { CREDENTIALS_HELP, readConnection } from "./connection";
import { tenthsReporter } from "./progress";

const help = `Usage: auth0-org-member-roles export-org [--by-email] [--stack NAME] <organization ID>...

Prints the stack config (\`${CONFIG_NAMESPACE}:roles\` and \`:organizations\`) declaring what these organizations'
members hold now. Paste it into Pulumi.<stack>.yaml and \`pulumi up\` adopts it with no write: the way in for
existing tenants, since \`pulumi import\` does not work for Node dynamic resources (pulumi/pulumi#16175).

  auth0-org-member-roles export-org org_0123456789abcdef > organizations.yaml

Costs per organization one call per 100 members, one for the member count (progress), one for the
organization, plus the roles listing; with --by-email one more per member. Progress goes to stderr.
Scopes: read:organizations, read:organization_members, read:organization_member_roles, read:roles
(--by-email: read:users).

Options:
  --by-email      write a member by email where exactly one user of the tenant has it
  --stack NAME    read credentials from this stack's config first, as the provider does
  -h, --help      this help

${CREDENTIALS_HELP}

Exit codes: 0 printed; 1 the tenant refused or failed (the message says why); 2 a wrong command line,
missing credentials.
`;

export const command = commandOf(
  {
    help,
    positionals: true,
    options: { "by-email": { type: "boolean", default: false }, stack: { type: "string" } },
  },
  async ({ values, positionals: ids }, io) => {
    if (ids.length === 0) throw new UsageError("give at least one organization ID (org_...)");
    const { connection, stackSecrets } = readConnection(io.env, values.stack);
    io.secrets.push(...stackSecrets);
    const client = ManagementClient.connect(connection);
    const report = tenthsReporter((line) => io.stderr.write(line), "export-org");
    try {
      const config = await exportOrganizations(client, ids, {
        byEmail: values["by-email"],
        onProgress: (p) => report(p.organizationId, p.read, p.total),
      });
      io.stdout.write(`config:\n${renderConfigYaml(config, CONFIG_NAMESPACE)}`);
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
