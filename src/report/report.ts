import { ENDPOINTS } from "../api/endpoints";
import { isGone } from "../client/errors";
import type { ManagementClient } from "../client/management-client";
import { type BuildOptions, buildOrganization, buildUnmanaged } from "./build";
import { CallBoundError } from "./call-bound";
import type { DeclaredOrganization } from "./declared";
import type { AccessReport } from "./model";
import { readOrganization, type TenantReadOptions } from "./read-tenant";
import { unavailable } from "./unavailable";

/**
 * Reads each organization and builds the report, one organization after the other (each is bounded by the
 * client's deadline and the report's call bound). `declared` is what a stack declares, when one is given.
 */
export async function accessReport(
  client: ManagementClient,
  organizationIds: readonly string[],
  declared: Map<string, DeclaredOrganization> | undefined,
  options: BuildOptions & TenantReadOptions & { stack?: string },
): Promise<AccessReport> {
  // One bound for the whole report, at the client: every call it sends counts, wherever it is made.
  client.transport.limitRequests(options.maxCalls, (made) => new CallBoundError(options.maxCalls, made));
  const unlisted = await checkPairs(client, options.separationOfDuties);
  // A member any secret map declares is masked in every organization's section, not only its own.
  const secretMembers = new Set([...(declared?.values() ?? [])].flatMap((d) => [...d.secretMembers]));
  const organizations = [];
  for (const id of organizationIds) {
    let live: Awaited<ReturnType<typeof readOrganization>>;
    try {
      live = await readOrganization(client, id, options);
    } catch (err) {
      // An organization deleted while the stack still declares it: the others are reported, this one noted.
      if (isGone(err, "organization")) {
        organizations.push({
          id,
          name: id,
          members: [],
          notes: ["organization not found in the tenant (404): deleted, or a wrong ID; nothing read for it"],
          missing: true as const,
        });
        continue;
      }
      throw err instanceof CallBoundError ? err.during(id) : err;
    }
    organizations.push(
      declared !== undefined && !declared.has(id)
        ? buildUnmanaged(live, { ...options, secretMembers })
        : buildOrganization(live, declared?.get(id), declared !== undefined, { ...options, secretMembers }),
    );
  }
  if (unlisted)
    for (const org of organizations) {
      const seen = new Set(org.members.flatMap((m) => m.roles.flatMap((r) => [r.id, r.name])));
      for (const ref of unlisted)
        if (!seen.has(ref))
          org.notes.push(
            `--separation-of-duties ${ref} matches no role held here (the tenant's roles were not listed to check the name: ${unlisted.why})`,
          );
    }
  return {
    generatedAt: new Date(options.now).toISOString(),
    ...(options.stack ? { stack: options.stack } : {}),
    organizations,
  };
}

/** A `--separation-of-duties` role that matches no role of the tenant: a typo would pass as "nobody holds both". */
export class UnknownRoleError extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `--separation-of-duties: ${unknown.join(", ")} matches no role of the tenant (by ID or name): give roles as their ID (rol_...) or exact name`,
    );
    this.name = "UnknownRoleError";
  }
}

/**
 * Checks each role of the separation-of-duties pairs against the tenant's roles (`GET /roles`, 1 call per
 * 100 roles) before anything else is read: an unknown one is refused. When the roles cannot be listed (no
 * `read:roles`), the refs are returned, with why, to be checked against the roles the report saw instead.
 */
async function checkPairs(
  client: ManagementClient,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<(string[] & { why: string }) | undefined> {
  const refs = [...new Set(pairs.flat())];
  if (refs.length === 0) return undefined;
  const granted = await client.granted();
  const scope = ENDPOINTS.listRoles.scope;
  let why = `the application lacks ${scope}`;
  if (granted === undefined || granted.has(scope)) {
    try {
      const roles = await client.listRoles();
      const known = new Set(roles.flatMap((r) => [r.id, r.name ?? r.id]));
      const unknown = refs.filter((r) => !known.has(r));
      if (unknown.length) throw new UnknownRoleError(unknown);
      return undefined;
    } catch (err) {
      const cannot = unavailable(err);
      if (!cannot) throw err;
      why = cannot;
    }
  }
  return Object.assign(refs, { why });
}
