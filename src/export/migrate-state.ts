/**
 * The move from `@pulumi/auth0`'s OrganizationMemberRoles (one resource per member) to OrgMemberRoles (one per
 * organization), on a stack's exported state (`pulumi stack export`). Pure: JSON in, the declaration and the
 * edited state out. The tenant is never read nor written: the bridged resources leave the state only, and the
 * next `up` adopts what the members hold.
 */
import * as auth0 from "@pulumi/auth0";
import type { Role } from "../client/schemas";
import type { LiveOrganization } from "./config";
import { plain } from "./state-values";

/** One resource of a `pulumi stack export` deployment, the fields this module reads or edits. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  delete?: boolean;
  protect?: boolean;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [other: string]: unknown;
}

/** `pulumi stack export` output (version 3). */
export interface StackExport {
  version: number;
  deployment: {
    resources?: StateResource[];
    pending_operations?: Array<{ resource: StateResource; type: string }>;
    [other: string]: unknown;
  };
}

export interface Migration {
  /** What the bridged resources declared, per organization (members → role IDs), for the new declaration. */
  organizations: LiveOrganization[];
  /** Roles of the tenant known to the state (`auth0.Role` resources), for aliases by name. */
  roles: Role[];
  /** URNs taken out of the state: the bridged resources, and providers only they used. */
  removed: string[];
  /** The state to import (`pulumi stack import`). */
  state: StackExport;
  /** What the user should know (protected resources, resources pending deletion). */
  notes: string[];
}

/**
 * Whether a state resource is of a `@pulumi/auth0` class: the class's own `isInstance` on the type token,
 * as @pulumi/policy tells types, so the token comes from the package.
 */
const isOf = (cls: { isInstance(obj: unknown): boolean }, r: StateResource) =>
  cls.isInstance({ __pulumiType: r.type });

function text(r: StateResource, key: string): string {
  const value = plain(r.outputs?.[key] ?? r.inputs?.[key], `${key} of ${r.urn}`);
  if (typeof value !== "string" || value === "") throw new Error(`${r.urn} has no ${key} in the state`);
  return value;
}

function roleIds(r: StateResource): string[] {
  const value = plain(r.outputs?.["roles"] ?? r.inputs?.["roles"], `roles of ${r.urn}`);
  if (!Array.isArray(value)) throw new Error(`${r.urn} has no roles list in the state`);
  return value.map((v) => plain(v, `a role of ${r.urn}`)).filter((v): v is string => typeof v === "string");
}

/**
 * Plans the move. Members come from the bridged resources' outputs: what the last `up` or refresh recorded
 * (run `pulumi refresh` first so they match the tenant; the adopting `up` writes nothing only then). Fails,
 * changing nothing, on what the move cannot carry honestly: two bridged resources on one member, a resource
 * whose parent is a bridged one, a pending operation on one, an encrypted value.
 *
 * @example
 * const m = planMigration(JSON.parse(readFileSync("before.json", "utf8")));
 * writeFileSync("after.json", JSON.stringify(m.state, null, 2));
 */
export function planMigration(exported: StackExport): Migration {
  const resources = exported.deployment.resources ?? [];
  const bridged = resources.filter((r) => isOf(auth0.OrganizationMemberRoles, r));
  const removed = new Set(bridged.map((r) => r.urn));
  const notes: string[] = [];

  const pending = (exported.deployment.pending_operations ?? []).filter((op) => removed.has(op.resource.urn));
  if (pending.length > 0)
    throw new Error(
      `pending operations on ${pending.map((op) => op.resource.urn).join(", ")}: run \`pulumi cancel\` and \`pulumi refresh\` first`,
    );
  const orphans = resources.filter(
    (r) => r.parent !== undefined && removed.has(r.parent) && !removed.has(r.urn),
  );
  if (orphans.length > 0)
    throw new Error(`resources parented by a bridged resource: ${orphans.map((r) => r.urn).join(", ")}`);

  const byOrg = new Map<string, Map<string, { roles: string[]; urn: string }>>();
  for (const r of bridged) {
    if (r.delete) {
      // An old copy the next `up` would delete, removing its roles: taken out of the state with the rest.
      notes.push(`${r.urn}: pending deletion in the state; removed, so no \`up\` deletes its roles`);
      continue;
    }
    if (r.protect) notes.push(`${r.urn} was protected: set \`protect: true\` on its organization's entry`);
    const org = text(r, "organizationId");
    const user = text(r, "userId");
    const members = byOrg.get(org) ?? new Map<string, { roles: string[]; urn: string }>();
    const twice = members.get(user);
    if (twice)
      throw new Error(
        `${twice.urn} and ${r.urn} both manage ${user} in ${org} (they undo each other): keep one in the program, run \`pulumi up\`, then migrate`,
      );
    members.set(user, { roles: [...new Set(roleIds(r))].sort(), urn: r.urn });
    byOrg.set(org, members);
  }

  // Providers only the bridged resources used go too: with no resource left, the next `up` would delete them.
  const kept = resources.filter((r) => !removed.has(r.urn));
  const providerRef = (r: StateResource) =>
    r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : "";
  const usedByKept = new Set(kept.map(providerRef));
  const usedByBridged = new Set(bridged.map(providerRef));
  for (const r of kept)
    if (
      usedByBridged.has(r.urn) &&
      !usedByKept.has(r.urn) &&
      r.custom &&
      r.type.startsWith("pulumi:providers:")
    )
      removed.add(r.urn);

  const names = new Map(
    resources
      .filter((r) => isOf(auth0.Organization, r) && !r.delete && r.id)
      .map((r) => [r.id!, String(plain(r.outputs?.["name"], `name of ${r.urn}`) ?? r.id)]),
  );
  const roles: Role[] = resources
    .filter((r) => isOf(auth0.Role, r) && !r.delete && r.id)
    .map((r) => ({ id: r.id!, name: String(plain(r.outputs?.["name"], `name of ${r.urn}`)) }) as Role);

  const organizations = [...byOrg.keys()].sort().map((organizationId) => ({
    name: names.get(organizationId) ?? organizationId,
    organizationId,
    members: Object.fromEntries(
      [...byOrg.get(organizationId)!].sort(([a], [b]) => (a < b ? -1 : 1)).map(([u, m]) => [u, m.roles]),
    ),
  }));

  return {
    organizations,
    roles,
    removed: [...removed],
    state: withoutResources(exported, removed),
    notes,
  };
}

/** The export less `removed`, and every reference to them (dependencies, property dependencies, deletedWith). */
function withoutResources(exported: StackExport, removed: ReadonlySet<string>): StackExport {
  const keep = (urns: string[] | undefined) => urns?.filter((u) => !removed.has(u));
  const resources = (exported.deployment.resources ?? [])
    .filter((r) => !removed.has(r.urn))
    .map((r) => {
      const out: StateResource = { ...r };
      if (r.dependencies) out.dependencies = keep(r.dependencies)!;
      if (r.propertyDependencies)
        out.propertyDependencies = Object.fromEntries(
          Object.entries(r.propertyDependencies).map(([k, urns]) => [k, keep(urns)!]),
        );
      if (r.deletedWith !== undefined && removed.has(r.deletedWith)) delete out.deletedWith;
      return out;
    });
  return { ...exported, deployment: { ...exported.deployment, resources } };
}

/**
 * The declaration as TypeScript: one OrgMemberRoles per organization, role IDs as the state holds them.
 *
 * @example
 * renderTypeScript(planMigration(exported).organizations);
 */
export function renderTypeScript(organizations: readonly LiveOrganization[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ['import { OrgMemberRoles } from "pulumi-auth0-org-member-roles";', ""];
  for (const org of organizations) {
    lines.push(
      `new OrgMemberRoles(${q(org.name)}, {`,
      `  organizationId: ${q(org.organizationId)},`,
      "  members: {",
    );
    for (const [user, roles] of Object.entries(org.members))
      lines.push(`    ${q(user)}: [${roles.map(q).join(", ")}],`);
    lines.push("  },", "});", "");
  }
  return lines.join("\n");
}
