/**
 * `npm run export-org -- org_abc... [org_def...]`: prints the stack config that declares what these
 * organizations' members hold now (credentials from AUTH0_DOMAIN and AUTH0_CLIENT_ID/SECRET or
 * AUTH0_API_TOKEN). Paste it into Pulumi.<stack>.yaml and `pulumi up` adopts it with no change: the way in
 * for existing tenants, since `pulumi import` does not work for Node dynamic resources (pulumi/pulumi#16175).
 * Costs one call per 100 members per organization, plus the roles listing.
 */
import {
  configFromLive,
  type ExportedConfig,
  type LiveOrganization,
  renderConfigYaml,
} from "../components/export-config";
import { resolveConnection } from "../src/client/credentials";
import { ManagementClient } from "../src/client/management-client";

/** Reads each organization's members and roles (1 call per 100 members) and the tenant's role names. */
export async function exportOrganizations(client: ManagementClient, ids: string[]): Promise<ExportedConfig> {
  const organizations: LiveOrganization[] = [];
  for (const organizationId of ids) {
    const org = await client.getOrganization(organizationId);
    const members = await client.listMembersWithRoles(organizationId);
    organizations.push({
      name: org.name,
      organizationId,
      members: Object.fromEntries(members.map((m) => [m.user_id, (m.roles ?? []).map((r) => r.id)])),
    });
  }
  return configFromLive(organizations, await client.listRoles());
}

async function main(): Promise<void> {
  const ids = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  if (ids.length === 0) throw new Error("usage: npm run export-org -- <organization ID> [more IDs]");
  const client = ManagementClient.connect(resolveConnection(() => undefined, process.env));
  try {
    const config = await exportOrganizations(client, ids);
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
