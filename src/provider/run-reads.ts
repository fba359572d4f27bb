import { ENDPOINTS } from "../api/endpoints";
import { mapAll } from "../client/concurrency";
import type { ManagementClient } from "../client/management-client";
import type { Role } from "../client/schemas";
import type { TenantNames } from "../model/names";
import { type EffectiveOff, type LiveRoles, type ReadOptions, readLiveRoles } from "./live-roles";
import type { WriteLog } from "./write-log";

/** Up to this many role IDs, each is asked for by ID rather than listing every role of the tenant. */
const ROLES_BY_ID_UP_TO = 3;

interface Seen {
  roles: string[] | undefined;
  confirmed: boolean;
  /** When the read started (WriteLog.mark): a write to the member after it makes the read stale. */
  mark: number;
  /** Roles held through groups, when the read was of effective roles (one call gives both). */
  groups?: string[];
}

/**
 * The reads of one engine run, shared by every operation so a run pays for each fact once. A member's read
 * is reused only while no write of this process to that member began after it (WriteLog).
 */
export class RunReads {
  constructor(
    private readonly writes: WriteLog,
    private readonly client: () => ManagementClient,
    private readonly concurrency: () => number,
  ) {}

  private roleList: Promise<Role[]> | undefined;
  private readonly ownRoles = new Map<string, Promise<Role[]>>();
  private readonly emails = new Map<string, Promise<string[]>>();
  private readonly byId = new Map<string, Promise<Role | undefined>>();
  private readonly members = new Map<string, Map<string, Seen>>();
  /** Why this run reads member-roles only (live-roles.ts). */
  private effectiveOff: EffectiveOff | undefined;

  /** Each of `roleIds` as the tenant has it (`type`, `owner_id`: where it may be given), or undefined. */
  async roleFacts(roleIds: readonly string[]): Promise<(roleId: string) => Role | undefined> {
    const client = this.client();
    const wanted = [...new Set(roleIds)];
    if (wanted.length === 0) return () => undefined;
    const found = new Map<string, Role>();
    if (this.roleList || wanted.filter((id) => !this.byId.has(id)).length > ROLES_BY_ID_UP_TO)
      for (const r of await this.roles()) found.set(r.id, r);
    // Not listed: perhaps created earlier in this `up` (an `auth0.Role` feeding this resource), or an
    // organization role an unfiltered listing may leave out. Asked for by ID before it is called missing.
    const unlisted = wanted.filter((id) => !found.has(id));
    for (const id of unlisted) if (!this.byId.has(id)) this.byId.set(id, client.getRole(id));
    for (const id of unlisted) {
      const role = await this.byId.get(id);
      if (role) found.set(id, role);
    }
    return (roleId) => found.get(roleId);
  }

  private roles(): Promise<Role[]> {
    this.roleList ??= this.client().listRoles();
    return this.roleList;
  }

  /**
   * What `emails` and role names need. Emails go to `GET /users-by-email`, not the members listing: that
   * shows members only, so it could hide a second identity with the same email. The organization's roles are
   * listed too: whether the unfiltered listing shows them is unconfirmed, and a shared name must be seen.
   */
  async directory(
    emails: readonly string[],
    /** The organization whose own roles role names may name; undefined when no role name is to resolve. */
    organizationId: string | undefined,
  ): Promise<TenantNames> {
    const client = this.client();
    if (organizationId !== undefined && !this.ownRoles.has(organizationId))
      this.ownRoles.set(organizationId, client.listRoles(undefined, organizationId));
    const [listed, own] = await Promise.all([
      this.roles(),
      organizationId === undefined ? [] : this.ownRoles.get(organizationId)!,
    ]);
    const roles = [...new Map([...listed, ...own].map((r) => [r.id, r])).values()];
    for (const email of emails)
      if (!this.emails.has(email))
        this.emails.set(
          email,
          client.usersByEmail(email).then((users) => users.map((u) => u.user_id)),
        );
    const usersByEmail: Record<string, string[]> = {};
    await mapAll(emails, this.concurrency(), async (email) => {
      usersByEmail[email] = await this.emails.get(email)!;
    });
    return { usersByEmail, roles };
  }

  /** Live roles of `users`, reading only those this run has no usable read of. */
  async live(
    organizationId: string,
    users: readonly string[],
    options: ReadOptions = {},
  ): Promise<LiveRoles> {
    const client = this.client();
    let seen = this.members.get(organizationId);
    if (!seen) {
      seen = new Map();
      this.members.set(organizationId, seen);
    }
    const known = seen;
    const wantsEffective = options.effective ?? false;
    // A token that does not list its scopes is tried; a 403 turns it off.
    if (wantsEffective && this.effectiveOff === undefined) {
      const granted = await client.granted();
      if (granted && !granted.has(ENDPOINTS.listEffectiveRoles.scope)) this.effectiveOff = "scope";
    }
    const usable = (u: string, s: Seen | undefined): s is Seen =>
      s !== undefined &&
      !this.writes.isStale(organizationId, u, s.mark) &&
      (s.confirmed || s.roles === undefined || !(options.confirm?.(u, s.roles) ?? false)) &&
      // Wanted with group roles: a read without them (the listing, another caller's) is read again.
      (!wantsEffective || this.effectiveOff !== undefined || s.roles === undefined || s.groups !== undefined);
    const result: LiveRoles = { live: {}, confirmed: new Set(), groupHeld: {} };
    // Bounded: a read that a concurrent write made stale is read once more and then used as it is, marked
    // unconfirmed (so adoption never skips a POST on it).
    for (let round = 0; round < 2; round++) {
      const needed = users.filter((u) => !usable(u, known.get(u)));
      if (needed.length === 0) break;
      const mark = this.writes.mark();
      const read = await readLiveRoles(client, organizationId, needed, this.concurrency(), {
        ...options,
        effective: wantsEffective && this.effectiveOff === undefined,
      });
      this.effectiveOff ??= read.effectiveUnavailable;
      for (const u of needed)
        known.set(u, {
          roles: read.live[u],
          confirmed: read.confirmed.has(u),
          mark,
          ...(read.groupHeld[u] ? { groups: read.groupHeld[u] } : {}),
        });
    }
    for (const u of users) {
      const s = known.get(u)!;
      result.live[u] = s.roles;
      if (s.groups) result.groupHeld[u] = s.groups;
      if (s.confirmed && !this.writes.isStale(organizationId, u, s.mark)) result.confirmed.add(u);
    }
    if (this.effectiveOff && wantsEffective) result.effectiveUnavailable = this.effectiveOff;
    return result;
  }

  /** Live roles of `users` read now, past this run's cache and without filling it (a refresh). */
  fresh(organizationId: string, users: readonly string[], options: ReadOptions = {}): Promise<LiveRoles> {
    return readLiveRoles(this.client(), organizationId, users, this.concurrency(), options);
  }

  /** What `users` hold through groups; the same read gives validation their direct roles. */
  async groupHeld(
    organizationId: string,
    users: readonly string[],
  ): Promise<{ held: Record<string, string[]>; unavailable: EffectiveOff | undefined }> {
    const read = await this.live(organizationId, users, {
      perMemberUpTo: Number.POSITIVE_INFINITY,
      effective: true,
    });
    return { held: read.groupHeld, unavailable: read.effectiveUnavailable };
  }
}
