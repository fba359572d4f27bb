/**
 * The emulator's tenant: organizations, users, roles, memberships, member roles and organization groups, in
 * memory, with the fixture format it is seeded from and persisted to.
 */

/** `tenant` (the default) or `organization`: a role only the organization `owner_id` can use (Auth0 EA, 2026). */
export type RoleType = "tenant" | "organization";

export interface RoleRecord {
  id: string;
  name: string;
  description: string;
  type: RoleType;
  /** The owning organization of an organization role; absent for tenant roles (the SDK types it optional). */
  owner_id?: string;
}

/** An enterprise group of an organization: its members inherit its roles at login (direct roles stay apart). */
export interface GroupRecord {
  id: string;
  name: string;
  members: Set<string>;
  roles: Set<string>;
}

export interface GroupFixture {
  id: string;
  name: string;
  members?: string[];
  roles?: string[];
}
export interface UserRecord {
  user_id: string;
  email: string;
  name: string;
}
export interface OrganizationRecord {
  id: string;
  name: string;
  display_name: string;
}

/** Fixture file: what a tenant holds. `members` maps an organization ID to user ID → role IDs. */
export interface TenantFixture {
  organizations: OrganizationRecord[];
  users: UserRecord[];
  roles: Array<{ id: string; name: string; description?: string; type?: RoleType; owner_id?: string }>;
  members: Record<string, Record<string, string[]>>;
  /** Organization ID → its groups (optional: most fixtures have none). */
  groups?: Record<string, GroupFixture[]>;
}

/** Organization ID → user ID → role IDs (insertion-ordered). */
export type Memberships = Map<string, Map<string, Set<string>>>;

export function cloneMemberships(m: Memberships): Memberships {
  return new Map(
    [...m].map(([org, members]) => [org, new Map([...members].map(([u, r]) => [u, new Set(r)]))]),
  );
}

export class Tenant {
  readonly organizations = new Map<string, OrganizationRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly roles = new Map<string, RoleRecord>();
  members: Memberships = new Map();
  /** Organization ID → group ID → group. Group grants are not member roles: the member-roles reads omit them. */
  readonly groups = new Map<string, Map<string, GroupRecord>>();

  static fromFixture(fixture: TenantFixture): Tenant {
    const t = new Tenant();
    for (const o of fixture.organizations) t.organizations.set(o.id, { ...o });
    for (const u of fixture.users) t.users.set(u.user_id, { ...u });
    for (const r of fixture.roles) {
      const type = r.type ?? "tenant";
      if (type === "organization" && !(r.owner_id && t.organizations.has(r.owner_id)))
        throw new Error(`fixture: organization role ${r.id} needs the owner_id of an organization`);
      t.roles.set(r.id, {
        id: r.id,
        name: r.name,
        description: r.description ?? "",
        type,
        ...(type === "organization" ? { owner_id: r.owner_id! } : {}),
      });
    }
    for (const o of fixture.organizations) t.members.set(o.id, new Map());
    for (const [org, members] of Object.entries(fixture.members)) {
      const orgMembers = t.members.get(org);
      if (!orgMembers) throw new Error(`fixture: members of unknown organization ${org}`);
      for (const [user, roles] of Object.entries(members)) {
        if (!t.users.has(user)) throw new Error(`fixture: member ${user} of ${org} is not a user`);
        for (const r of roles)
          if (!t.roles.has(r)) throw new Error(`fixture: role ${r} of ${user} does not exist`);
        orgMembers.set(user, new Set(roles));
      }
    }
    for (const [org, groups] of Object.entries(fixture.groups ?? {})) {
      if (!t.organizations.has(org)) throw new Error(`fixture: groups of unknown organization ${org}`);
      const byId = new Map<string, GroupRecord>();
      for (const g of groups) {
        for (const r of g.roles ?? [])
          if (!t.roles.has(r)) throw new Error(`fixture: role ${r} of group ${g.id} does not exist`);
        byId.set(g.id, { id: g.id, name: g.name, members: new Set(g.members), roles: new Set(g.roles) });
      }
      t.groups.set(org, byId);
    }
    return t;
  }

  toFixture(): TenantFixture {
    const members: TenantFixture["members"] = {};
    for (const [org, m] of this.members)
      members[org] = Object.fromEntries([...m].map(([u, r]) => [u, [...r]]));
    return {
      organizations: [...this.organizations.values()],
      users: [...this.users.values()],
      roles: [...this.roles.values()],
      members,
      groups: Object.fromEntries(
        [...this.groups].map(([org, groups]) => [
          org,
          [...groups.values()].map((g) => ({ ...g, members: [...g.members], roles: [...g.roles] })),
        ]),
      ),
    };
  }

  /** Whether `roleId` may be given within `org`: a tenant role, or one this organization owns. */
  roleUsableIn(roleId: string, org: string): boolean {
    const role = this.roles.get(roleId);
    return role !== undefined && (role.type === "tenant" || role.owner_id === org);
  }

  /** Groups of `org` that `user` belongs to. */
  groupsOf(org: string, user: string): GroupRecord[] {
    return [...(this.groups.get(org)?.values() ?? [])].filter((g) => g.members.has(user));
  }

  /** Roles of a member, or undefined when the user is not a member. */
  memberRoles(org: string, user: string): Set<string> | undefined {
    return this.members.get(org)?.get(user);
  }
}

/**
 * A generated tenant for tests and benchmarks: `members` users in one organization, `roles` roles.
 *
 * @example
 * const fixture = syntheticTenant({ members: 1000, roles: 10 });
 */
export function syntheticTenant(options: {
  members: number;
  roles: number;
  organizationId?: string;
  assigned?: (userIndex: number) => number[];
}): TenantFixture {
  const org = options.organizationId ?? "org_bench00000000001";
  const roles = Array.from({ length: options.roles }, (_, i) => ({
    id: `rol_${String(i).padStart(16, "0")}`,
    name: `role-${i}`,
    description: "",
    type: "tenant" as const,
  }));
  const users = Array.from({ length: options.members }, (_, i) => ({
    user_id: `auth0|${String(i).padStart(24, "0")}`,
    email: `user${i}@example.com`,
    name: `User ${i}`,
  }));
  const members: Record<string, string[]> = {};
  users.forEach((u, i) => {
    members[u.user_id] = (options.assigned?.(i) ?? []).map((r) => roles[r]!.id);
  });
  return {
    organizations: [{ id: org, name: "bench", display_name: "Bench" }],
    users,
    roles,
    members: { [org]: members },
  };
}
