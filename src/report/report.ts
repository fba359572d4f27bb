import type { ManagementClient } from "../client/management-client";
import { type BuildOptions, buildOrganization } from "./build";
import { CallBoundError } from "./call-bound";
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
  // One bound for the whole report, at the client: every call it sends counts, wherever it is made.
  client.transport.limitRequests(options.maxCalls, (made) => new CallBoundError(options.maxCalls, made));
  // A member any secret map declares is masked in every organization's section, not only its own.
  const secretMembers = new Set([...(declared?.values() ?? [])].flatMap((d) => [...d.secretMembers]));
  const organizations = [];
  for (const id of organizationIds) {
    let live: Awaited<ReturnType<typeof readOrganization>>;
    try {
      live = await readOrganization(client, id, options);
    } catch (err) {
      throw err instanceof CallBoundError ? err.during(id) : err;
    }
    organizations.push(
      buildOrganization(live, declared?.get(id), declared !== undefined, { ...options, secretMembers }),
    );
  }
  return {
    generatedAt: new Date(options.now).toISOString(),
    ...(options.stack ? { stack: options.stack } : {}),
    organizations,
  };
}
