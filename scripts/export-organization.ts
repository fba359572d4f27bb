/**
 * `npm run export-org -- [--by-email] org_abc... [org_def...]`: prints the stack config that declares what these
 * organizations' members hold now (credentials from AUTH0_DOMAIN and AUTH0_CLIENT_ID/SECRET or
 * AUTH0_API_TOKEN). Paste it into Pulumi.<stack>.yaml and `pulumi up` adopts it with no change: the way in
 * for existing tenants, since `pulumi import` does not work for Node dynamic resources (pulumi/pulumi#16175).
 * Costs one call per 100 members per organization, plus the roles listing.
 */

import { resolveConnection } from "../src/client/credentials";
import { ManagementClient } from "../src/client/management-client";
import {
  configFromLive,
  type ExportedConfig,
  type LiveOrganization,
  renderConfigYaml,
} from "./export-config";

/**
 * Reads each organization's members and roles (1 call per 100 members) and the tenant's role names. With
 * `byEmail`, a member is written by email when exactly one user of the tenant has it (1 `GET
 * /users-by-email` per member: the resource would refuse an email shared by two identities), else by user ID.
 */
export async function exportOrganizations(
  client: ManagementClient,
  ids: string[],
  options: { byEmail?: boolean } = {},
): Promise<ExportedConfig> {
  const organizations: LiveOrganization[] = [];
  for (const organizationId of ids) {
    const org = await client.getOrganization(organizationId);
    const members = await client.listMembersWithRoles(organizationId, {
      withEmail: options.byEmail ?? false,
    });
    const keyOf = async (m: (typeof members)[number]): Promise<string> => {
      if (!options.byEmail || !m.email) return m.user_id;
      const owners = await client.usersByEmail(m.email);
      return owners.length === 1 && owners[0]!.user_id === m.user_id ? m.email : m.user_id;
    };
    const entries: Array<[string, string[]]> = [];
    for (const m of members) entries.push([await keyOf(m), (m.roles ?? []).map((r) => r.id)]);
    organizations.push({ name: org.name, organizationId, members: Object.fromEntries(entries) });
  }
  return configFromLive(organizations, await client.listRoles());
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ids = args.filter((a) => !a.startsWith("-"));
  if (ids.length === 0)
    throw new Error("usage: npm run export-org -- [--by-email] <organization ID> [more IDs]");
  const client = ManagementClient.connect(resolveConnection(() => undefined, process.env));
  try {
    const config = await exportOrganizations(client, ids, { byEmail: args.includes("--by-email") });
    process.stdout.write(`config:\n${renderConfigYaml(config, "auth0-org-member-roles")}`);
  } finally {
    await client.close();
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
