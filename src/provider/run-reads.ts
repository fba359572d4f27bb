import { ENDPOINTS } from "../api/endpoints";
import { mapAll } from "../client/concurrency";
import type { ManagementClient } from "../client/management-client";
import type { Role } from "../client/schemas";
import type { TenantNames } from "../model/names";
import { type EffectiveOff, type LiveRoles, type ReadOptions, readLiveRoles } from "./live-roles";
import type { WriteLog } from "./write-log";

/** Up to this many role IDs to check, each is asked for by ID rather than listing every role of the tenant. */
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
 * The reads of one engine run (one provider process), shared by `check` (validation at preview and before
 * `up`), `create` and `update`, so that a run pays for each fact once: the tenant's roles listing once, each
 * member once. A role ID missing from the listing is asked for by ID before it is called missing: it may
 * have been created earlier in the same `up` (an `auth0.Role` whose ID feeds this resource). A member's read
 * is reused only while no write of this process to that member began after it (WriteLog).
 */
export class RunReads {
  constructor(
    private readonly writes: WriteLog,
    /** The run's client, connected on first use (RunContext.client). */
    private readonly client: () => ManagementClient,
    /** How many reads run at once (the concurrency setting). */
    private readonly concurrency: () => number,
  ) {}

  private roleList: Promise<Role[]> | undefined;
  private readonly ownRoles = new Map<string, Promise<Role[]>>();
  private readonly emails = new Map<string, Promise<string[]>>();
  private readonly byId = new Map<string, Promise<Role | undefined>>();
  private readonly members = new Map<string, Map<string, Seen>>();
  /** Why this run reads member-roles only, where it would read effective roles (live-roles.ts). */
  private effectiveOff: EffectiveOff | undefined;

  /**
   * Each of `roleIds` as the tenant has it (with its `type` and `owner_id`, which say where it may be given),
   * or undefined when it does not exist: one listing a run, then one GET per ID the listing lacks. Both
   * answers carry the owner, so knowing it costs no call.
   */
  async roleFacts(roleIds: readonly string[]): Promise<(roleId: string) => Role | undefined> {
    const client = this.client();
    const wanted = [...new Set(roleIds)];
    if (wanted.length === 0) return () => undefined;
    // A few roles are asked for by ID (one call each, whatever the tenant's size); more, or once the listing
    // is at hand, from the listing (one call per 100 roles, once a run).
    const found = new Map<string, Role>();
    if (this.roleList || wanted.filter((id) => !this.byId.has(id)).length > ROLES_BY_ID_UP_TO)
      for (const r of await this.roles()) found.set(r.id, r);
    // Missing from the listing: perhaps created earlier in this `up`, or (unconfirmed) an organization role
    // that an unfiltered listing leaves out. Asked for by ID before it is called missing.
    const unlisted = wanted.filter((id) => !found.has(id));
    for (const id of unlisted) if (!this.byId.has(id)) this.byId.set(id, client.getRole(id));
    for (const id of unlisted) {
      const role = await this.byId.get(id);
      if (role) found.set(id, role);
    }
    return (roleId) => found.get(roleId);
  }

  /** The tenant's roles, listed once a run. */
  private roles(): Promise<Role[]> {
    this.roleList ??= this.client().listRoles();
    return this.roleList;
  }

  /**
   * What `emails` and role names need: `GET /users-by-email` per email (the members listing would cost fewer
   * calls for many emails, but it shows members only, so it cannot see a second identity with the same email:
   * an ambiguity must be seen, not guessed around), the roles listing once a run, and the organization's own
   * roles once a run per organization: whether the unfiltered listing shows organization roles is
   * unconfirmed, and a name that both a tenant role and this organization's role have must be seen.
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

  /** Live roles of `users`, reading only those this run has not read (or read only from the lagging listing, when `confirm` asks). */
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
    // Not granted: skipped without a call (a token that does not say is tried, and a 403 turns it off).
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

  /**
   * Live roles of `users` read now, past this run's cache and without filling it (a refresh: what the tenant
   * holds at this moment is the answer).
   */
  fresh(organizationId: string, users: readonly string[], options: ReadOptions = {}): Promise<LiveRoles> {
    return readLiveRoles(this.client(), organizationId, users, this.concurrency(), options);
  }

  /**
   * What `users` hold through the organization's groups: each read once a run from the effective-roles
   * endpoint, which also gives the direct roles that validation and `create` use (so a changing member costs
   * one read, not two). `unavailable`: why that endpoint was not read (EffectiveOff), if it was not.
   */
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
