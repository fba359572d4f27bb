import type { ManagementClient } from "../client/management-client";
import { type BuildOptions, buildOrganization } from "./build";
import type { DeclaredOrganization } from "./declared";
import type { AccessReport } from "./model";
import { type ReadOptions, readOrganization } from "./read-tenant";

/**
 * Reads each organization and builds the report, one organization after the other (each is bounded by the
 * client's deadline and the report's call bound). `declared` is what a stack declares, when one is given.
 */
export async function accessReport(
  client: ManagementClient,
  organizationIds: readonly string[],
  declared: Map<string, DeclaredOrganization> | undefined,
  options: BuildOptions & ReadOptions & { stack?: string },
): Promise<AccessReport> {
  const organizations = [];
  for (const id of organizationIds) {
    const live = await readOrganization(client, id, options);
    organizations.push(buildOrganization(live, declared?.get(id), declared !== undefined, options));
  }
  return {
    generatedAt: new Date(options.now).toISOString(),
    ...(options.stack ? { stack: options.stack } : {}),
    organizations,
  };
}
