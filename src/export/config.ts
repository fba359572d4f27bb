import type { Role } from "../client/schemas";

/** One organization as read from the tenant: member user ID → role IDs. */
export interface LiveOrganization {
  name: string;
  organizationId: string;
  members: Record<string, string[]>;
}

/** What `declareOrganizations` reads from stack config (`roles` aliases and `organizations`). */
export interface ExportedConfig {
  roles: Record<string, string>;
  organizations: LiveOrganization[];
}

/**
 * The stack config that declares what `organizations` hold now, with role names as aliases where a name is
 * unique: adopting a live organization is then `pulumi up` with no change. Pure.
 *
 * @example
 * configFromLive([{ name: "acme", organizationId: "org_...", members: { "auth0|a": ["rol_..."] } }], roles);
 */
export function configFromLive(organizations: LiveOrganization[], roles: Role[]): ExportedConfig {
  const nameCount = new Map<string, number>();
  for (const r of roles) nameCount.set(r.name, (nameCount.get(r.name) ?? 0) + 1);
  const alias = new Map(
    roles.filter((r) => nameCount.get(r.name) === 1 && !r.name.startsWith("rol_")).map((r) => [r.id, r.name]),
  );
  const used = new Set(organizations.flatMap((o) => Object.values(o.members).flat()));
  return {
    roles: Object.fromEntries(
      [...alias]
        .filter(([id]) => used.has(id))
        .map(([id, name]) => [name, id])
        .sort(),
    ),
    organizations: organizations.map((o) => ({
      name: o.name,
      organizationId: o.organizationId,
      members: Object.fromEntries(
        Object.keys(o.members)
          .sort()
          .map((u) => [u, [...o.members[u]!].sort().map((id) => alias.get(id) ?? id)]),
      ),
    })),
  };
}

/** The config as YAML for `Pulumi.<stack>.yaml` (keys and strings JSON-quoted, which YAML accepts). */
export function renderConfigYaml(config: ExportedConfig, namespace: string): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`  ${namespace}:roles:`];
  for (const [name, id] of Object.entries(config.roles)) lines.push(`    ${q(name)}: ${q(id)}`);
  if (Object.keys(config.roles).length === 0) lines[0] += " {}";
  lines.push(`  ${namespace}:organizations:`);
  for (const org of config.organizations) {
    lines.push(
      `    - name: ${q(org.name)}`,
      `      organizationId: ${q(org.organizationId)}`,
      "      members:",
    );
    for (const [user, roles] of Object.entries(org.members))
      lines.push(`        ${q(user)}: [${roles.map(q).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}
