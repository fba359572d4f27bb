import type { ManagementClient } from "../../src/client/management-client";
import type { Role } from "../../src/client/schemas";

/**
 * The role whose name is exactly `name`, or undefined: a test's way to find a role, not the provider's
 * (`name_filter` matches substrings, so the names are compared exactly).
 */
export async function findRoleByName(client: ManagementClient, name: string): Promise<Role | undefined> {
  return (await client.listRoles(name)).find((r) => r.name === name);
}
