import type { ManagementClient } from "../client/management-client";
import { configFromLive, type ExportedConfig, type LiveOrganization } from "./config";

/** How far an export is: members read of one organization, and its total when asked for. */
export interface ExportProgress {
  organizationId: string;
  read: number;
  total: number;
}

/**
 * Reads each organization's members and roles (1 call per 100 members) and the tenant's role names. With
 * `byEmail`, a member is written by email when exactly one user of the tenant has it (1 `GET
 * /users-by-email` per member: the resource would refuse an email shared by two identities), else by user ID.
 * With `onProgress`, one more call per organization reads its member count, and each page read is reported.
 */
export async function exportOrganizations(
  client: ManagementClient,
  ids: string[],
  options: { byEmail?: boolean; onProgress?: (progress: ExportProgress) => void } = {},
): Promise<ExportedConfig> {
  const organizations: LiveOrganization[] = [];
  const { onProgress } = options;
  for (const organizationId of ids) {
    const org = await client.getOrganization(organizationId);
    const stopWatching = onProgress
      ? watchMemberPages(client, organizationId, await memberCount(client, organizationId), onProgress)
      : undefined;
    const members = await client
      .listMembersWithRoles(organizationId, { withEmail: options.byEmail ?? false })
      .finally(stopWatching);
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

/** The organization's member count: the `total` of the first page of the offset listing (one call). */
async function memberCount(client: ManagementClient, organizationId: string): Promise<number> {
  let total = 0;
  await client.listMembersWithRolesByOffset(organizationId, (_members, t) => {
    total = t;
    return "stop";
  });
  return total;
}

/**
 * Reports each page of `organizationId`'s member listing as it arrives; returns the function that stops
 * watching. The client's listing returns only when complete, and src/client is not this module's to change,
 * so the transport's `send` is wrapped for the listing's duration: it sees each answer, changes none.
 */
function watchMemberPages(
  client: ManagementClient,
  organizationId: string,
  total: number,
  onProgress: (progress: ExportProgress) => void,
): () => void {
  const transport = client.transport;
  const send = transport.send;
  const membersPath = `/organizations/${encodeURIComponent(organizationId)}/members`;
  let read = 0;
  onProgress({ organizationId, read, total });
  transport.send = async function (this: typeof transport, ...args: Parameters<typeof send>) {
    const answer = await send.apply(this, args);
    const [spec] = args;
    const page = (answer as { members?: unknown } | undefined)?.members;
    if (spec.method === "GET" && spec.path.endsWith(membersPath) && Array.isArray(page)) {
      read += page.length;
      onProgress({ organizationId, read, total: Math.max(total, read) });
    }
    return answer;
  } as typeof send;
  return () => {
    transport.send = send;
  };
}
