import { AUTH0_DOCUMENTED_ROLE_CAP } from "../api/limits";
import { parseInstant, WEEK_MS } from "../model/expiry";
import { groupHeld } from "../model/group-grants";
import type { DeclaredOrganization } from "./declared";
import type { Flag, HeldRole, OrganizationEntry, ReportMember, RoleSource } from "./model";
import type { TenantOrganization } from "./read-tenant";

/** A role a secret map declares, as the report shows it without --show-secrets. */
export const SECRET_ROLE = "(secret role)";

export interface BuildOptions {
  /** Now, in epoch ms: what "ends within 7 days" and "past its end" are counted from. */
  now: number;
  /** Pairs of roles (IDs or names) no member should hold together. */
  separationOfDuties: ReadonlyArray<readonly [string, string]>;
  /** Print secret members as they are instead of `(secret member #n)`. */
  showSecrets: boolean;
  /**
   * The members any secret map of the stack declares, in any organization: masked in every organization's
   * section (a member is secret wherever it appears, as the provider masks it), numbered the same everywhere.
   */
  secretMembers?: ReadonlySet<string>;
}

/**
 * One organization's entry: for each member, each role it holds, with its sources, its declared end and
 * flags. Pure. Direct roles come from the members listing; group-held ones from effective roles, attributed to
 * the groups holding the role that list the member (`groupMembers`); when those were not read, to every group
 * holding the role (telling which would take a call per member and role).
 * With a stack declaring the organization (`stackGiven`), a direct role no resource declares is drift; without
 * one, it is only `direct` ({@link buildUnmanaged} for an organization the stack does not declare).
 */
export function buildOrganization(
  live: TenantOrganization,
  declared: DeclaredOrganization | undefined,
  stackGiven: boolean,
  options: BuildOptions,
): OrganizationEntry {
  const groupsHolding = new Map<string, Array<{ id: string; label: string }>>();
  for (const g of live.groups ?? []) {
    // Per role: a resource declaring the group declares some of its roles; any other role the group holds is
    // group drift (granted to the group outside the stack).
    const byRole = declared?.groups.get(g.id);
    for (const r of g.roles) {
      const by = byRole?.get(r.id);
      const label = by?.length
        ? `${g.name} (declared by ${by.join(", ")})`
        : byRole
          ? `${g.name} (not declared: group drift)`
          : g.name;
      groupsHolding.set(r.id, [...(groupsHolding.get(r.id) ?? []), { id: g.id, label }]);
    }
  }
  const through = (userId: string, roleId: string) =>
    holdingGroups(groupsHolding.get(roleId) ?? [], live.groupMembers, userId);
  const secretIds = options.showSecrets
    ? []
    : [...new Set([...(options.secretMembers ?? []), ...(declared?.secretMembers ?? [])])].sort();
  const secretLabel = new Map(secretIds.map((u, i) => [u, `(secret member #${i + 1})`]));

  const members: ReportMember[] = [];
  for (const m of live.members) {
    const names = new Map<string, string>();
    const sources = new Map<string, RoleSource[]>();
    const add = (id: string, name: string | undefined, source: RoleSource) => {
      if (name) names.set(id, name);
      sources.set(id, [...(sources.get(id) ?? []), source]);
    };
    for (const r of m.roles ?? []) {
      const owners = declared?.owners.get(m.user_id)?.get(r.id) ?? [];
      const source: RoleSource = owners.length
        ? { kind: "declared", resources: owners }
        : stackGiven
          ? { kind: "drift" }
          : { kind: "direct" };
      add(r.id, r.name, source);
    }
    const effective = live.effective?.get(m.user_id) ?? [];
    const effectiveNames = new Map(effective.map((r) => [r.id, r.name]));
    for (const id of groupHeld(effective))
      add(id, effectiveNames.get(id), { kind: "group", groups: through(m.user_id, id) });

    const flags = new Set<Flag>();
    const notes: string[] = [];
    const roles: HeldRole[] = [...sources.keys()].sort().map((id) => {
      // An end belongs to the direct grant: a role held only through a group (the direct grant ended and was
      // removed) has no end of its own, so no until and no past-end or ends-within-7-days flag.
      const direct = sources.get(id)!.some((s) => s.kind !== "group");
      const until = direct ? declared?.until.get(m.user_id)?.get(id) : undefined;
      // A role or end a secret map declares is as secret as the member: masked with it.
      if (secretLabel.has(m.user_id) && declared?.secretRoles.get(m.user_id)?.has(id))
        return {
          id: SECRET_ROLE,
          name: SECRET_ROLE,
          sources: sources.get(id)!,
          ...(until ? { until: "(secret)", endFlags: roleFlags({ until }, options.now) } : {}),
        };
      const role: HeldRole = {
        id,
        name: names.get(id) ?? id,
        sources: sources.get(id)!,
        ...(until ? { until } : {}),
      };
      return role;
    });
    if (roles.length > AUTH0_DOCUMENTED_ROLE_CAP) {
      flags.add("over-role-limit");
      notes.push(`${roles.length} roles, past the ${AUTH0_DOCUMENTED_ROLE_CAP} Auth0 documents per member`);
    }
    const holds = (ref: string) => roles.some((r) => r.id === ref || r.name === ref);
    const pairs: Array<[string, string]> = [];
    for (const [a, b] of options.separationOfDuties)
      if (a !== b && holds(a) && holds(b)) {
        flags.add("separation-of-duties");
        pairs.push([a, b]);
        notes.push(`holds both ${a} and ${b} (separation of duties)`);
      }
    const secret = secretLabel.has(m.user_id);
    members.push({
      member: secretLabel.get(m.user_id) ?? m.user_id,
      email: secret ? "(secret)" : (m.email ?? ""),
      secret,
      roles,
      flags: [...flags],
      notes,
      ...(pairs.length ? { pairs } : {}),
    });
  }
  members.sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  return { id: live.id, name: live.name, members, notes: live.notes };
}

/** The note of an organization a stack was given for but does not declare: its grants are only `direct`. */
export const UNMANAGED_NOTE =
  "the stack declares no OrgMemberRoles or OrgGroupRoles here: this stack does not manage this organization, so its direct grants are shown as direct, not drift";

/** {@link buildOrganization} for an organization a given stack does not declare: direct grants, said so. */
export function buildUnmanaged(live: TenantOrganization, options: BuildOptions): OrganizationEntry {
  const entry = buildOrganization(live, undefined, false, options);
  return { ...entry, notes: [UNMANAGED_NOTE, ...entry.notes] };
}

/**
 * The groups a member holds a role through: of the groups holding it, those listing the member when their
 * members were read; every one holding it otherwise, or when none lists the member (it joined meanwhile).
 */
function holdingGroups(
  holding: ReadonlyArray<{ id: string; label: string }>,
  groupMembers: TenantOrganization["groupMembers"],
  userId: string,
): string[] {
  const listing = groupMembers ? holding.filter((g) => groupMembers.get(g.id)?.has(userId)) : [];
  return (listing.length > 0 ? listing : holding).map((g) => g.label);
}

/** The flags of one role of a member: its end within 7 days, or past. */
export function roleFlags(role: Pick<HeldRole, "until" | "endFlags">, now: number): Flag[] {
  if (role.endFlags) return role.endFlags;
  const ms = role.until === undefined ? undefined : parseInstant(role.until);
  if (ms === undefined) return [];
  if (ms <= now) return ["past-end"];
  return ms - now <= WEEK_MS ? ["ends-within-7-days"] : [];
}

/** A source in words, as the flat forms print it. */
export function sourceText(source: RoleSource): string {
  switch (source.kind) {
    case "declared":
      return `direct, declared by ${source.resources.join(", ")}`;
    case "drift":
      return "direct, not declared (drift)";
    case "direct":
      return "direct";
    case "group":
      return source.groups.length ? `group ${source.groups.join(" or ")}` : "group (unknown)";
  }
}
