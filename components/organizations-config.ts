/**
 * Parsing the organizations stack config: what a user wrote (`roles`, `organizations`, `shard`) → a validated
 * description of what to declare ({@link ResolvedConfig}), every problem at once, each naming the key path and
 * the fix. Pure: it declares no resource; from-config.ts declares them from the description.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { formatPath, type MemberRoles, type OwnershipMode } from "../src/model/desired";
import { ORGANIZATION_ID, ROLE_ID, USER_ID } from "../src/model/ids";
import {
  groupMapProblems,
  memberMapProblems,
  PLAIN_VALUES,
  type ShapeProblem,
  type ShapeRules,
} from "../src/model/input-shapes";
import { isEmail } from "../src/model/names";
import { SecretMask } from "../src/provider/secret-mask";
import { isLater } from "./args-shape";
import type { OrgMemberRolesInputs } from "./org-member-roles";
import { type Shard, shardOf } from "./shards";

/** The keys of the config namespace it reads; any other key there is refused. */
export const CONFIG_KEYS = ["roles", "organizations", "shard"] as const;

const MODES = ["authoritative", "additive"] as const;
const ENTRY_NAME = "must be letters, digits, '.', '_' or '-'";
const ORGANIZATION_ID_TEXT = "must be an organization ID like org_0123456789abcdef";
const BOOLEAN = "must be true or false";
const SHARD_NUMBER =
  "must be a whole number, like shard: { index: 0, count: 4 } (this stack is shard 0 of 4)";
/** More shards than any pipeline runs; far below the 32-bit hash's range. */
const MAX_SHARDS = 10_000;
/** The type's own message only: an object's other issues (an unknown key) keep zod's, which name the key. */
const onType = (message: string) => (issue: { code: string }) =>
  issue.code === "invalid_type" ? message : undefined;

/** A value checked by one of the shared shape walkers, each problem an issue at its own path. */
function shaped<T>(
  problems: (value: unknown, path: ReadonlyArray<PropertyKey>, rules: ShapeRules) => ShapeProblem[],
) {
  return z.custom<T>().superRefine((value, ctx) => {
    for (const p of problems(value, [], PLAIN_VALUES))
      ctx.addIssue({ code: "custom", path: [...p.path], message: `${p.expected}; got ${p.got}` });
  });
}

const entrySchema = z
  .object(
    {
      name: z
        .string({ error: ENTRY_NAME })
        .regex(/^[A-Za-z0-9._-]+$/, ENTRY_NAME)
        .optional(),
      organizationId: z.string({ error: ORGANIZATION_ID_TEXT }).regex(ORGANIZATION_ID, ORGANIZATION_ID_TEXT),
      mode: z.enum(MODES, { error: `must be one of ${MODES.map((m) => `"${m}"`).join(", ")}` }).optional(),
      // The shapes the components and the provider check too (src/model/input-shapes.ts), with each
      // problem at its own path: members["auth0|a"][0].until, not the whole list.
      members: shaped<Record<string, Array<string | { role: string; until: string }>>>(memberMapProblems),
      groups: shaped<Record<string, string[]>>(groupMapProblems).optional(),
      addMissingMembers: z.boolean({ error: BOOLEAN }).optional(),
      protect: z.boolean({ error: BOOLEAN }).optional(),
      retainOnDelete: z.boolean({ error: BOOLEAN }).optional(),
    },
    { error: onType("must be an organization, like { organizationId: org_..., members: {...} }") },
  )
  // A misspelt key (retainOnDelet) must not be ignored: it would do the opposite of what was asked.
  .strict();

const shardSchema = z
  .object(
    {
      index: z.number({ error: SHARD_NUMBER }).int("must be a whole number").min(0, "must be 0 or more"),
      count: z
        .number({ error: SHARD_NUMBER })
        .int("must be a whole number")
        .min(1, "must be at least 1")
        // The hash is 32 bits: a shard numbered past it could never hold an organization.
        .max(MAX_SHARDS, `must be at most ${MAX_SHARDS}`),
    },
    { error: onType("must be { index, count }, each a whole number, like shard: { index: 0, count: 4 }") },
  )
  .strict();

/**
 * The schema of {@link OrganizationsConfig}. Role references may be role IDs or names from the `roles` alias
 * map, so a pull request reads `admin` instead of `rol_...`.
 *
 * ```yaml
 * config:
 *   auth0-org-member-roles:roles:
 *     admin: rol_admin00000000001
 *   auth0-org-member-roles:organizations:
 *     - name: acme
 *       organizationId: org_acme000000000001
 *       members:
 *         "auth0|69e9cd6013e3dca66bfbca39": [admin]
 * ```
 *
 * @internal Not in the published declarations (tsconfig `stripInternal`): zod's own declarations fail to compile
 * in a project without `esModuleInterop`, as `pulumi new typescript` writes it. {@link OrganizationsConfig} is the
 * public shape.
 */
export const organizationsConfigSchema = z.object(
  {
    roles: z
      .record(z.string(), z.string({ error: "is not a role ID like rol_0123456789abcdef (a string)" }), {
        error:
          "must map each role alias to a role ID (a value that is not a role ID like rol_0123456789abcdef is refused)",
      })
      .default({}),
    organizations: z
      .array(entrySchema, { error: "must be a list of organizations, each { organizationId, members }" })
      .min(1, "must list at least one organization"),
    shard: shardSchema
      .refine((s) => s.index < s.count, {
        message: "index must be less than count (shards are numbered 0 to count - 1)",
      })
      .optional(),
  },
  { error: onType("must be an object { roles, organizations, shard } listing at least one organization") },
) satisfies z.ZodType<unknown, OrganizationsConfig>;

/** What declareOrganizations reads from stack config (what the schema above accepts). */
export interface OrganizationsConfig {
  /** Role alias → role ID, so members may list `admin` instead of `rol_...`. */
  roles?: Record<string, string> | undefined;
  organizations: Array<{
    /** The resource name (letters, digits, `.`, `_`, `-`); default: the organization ID. */
    name?: string | undefined;
    organizationId: OrgMemberRolesInputs["organizationId"];
    mode?: OrgMemberRolesInputs["mode"] | undefined;
    /** Member user ID (or email) → role aliases, role IDs or role names; `{ role, until }` for a grant that ends. */
    members: Record<string, Array<string | { role: string; until: string }>>;
    /** Group ID → role aliases or role IDs: the organization's groups' roles, one OrgGroupRoles `<name>-groups`. */
    groups?: Record<string, string[]> | undefined;
    addMissingMembers?: OrgMemberRolesInputs["addMissingMembers"] | undefined;
    protect?: boolean | undefined;
    retainOnDelete?: boolean | undefined;
  }>;
  /**
   * This stack's shard: only the organizations whose ID hashes to `index` of `count` are declared (the whole
   * config is still validated). Every resource is then registered with `retainOnDelete`, so an organization
   * that leaves this stack (moved to another shard, or dropped from the config) keeps its roles.
   */
  shard?: Shard | undefined;
}

/** One configured organization, validated, with role aliases resolved to role IDs. */
export interface ResolvedOrganization {
  /** The resource name: `name`, or the organization ID. */
  name: string;
  organizationId: string;
  /** Role IDs (or names); a grant that ends stays `{ role, until }`, its role resolved too. */
  members: Record<string, Array<string | { role: string; until: string }>>;
  /** Group ID → role IDs (aliases resolved); absent when the entry declares no groups. */
  groups?: MemberRoles;
  mode?: OwnershipMode;
  addMissingMembers: boolean;
  protect: boolean;
  retainOnDelete: boolean;
}

/** The organizations of the config that this stack declares, and whether it is one shard of several stacks. */
export interface ResolvedConfig {
  organizations: ResolvedOrganization[];
  shard?: Shard;
}

/**
 * An unquoted `until: 2026-12-31T18:00:00Z` in Pulumi.<stack>.yaml reaches the program as Go's rendering of a
 * YAML timestamp, `2026-12-31 18:00:00 +0000 UTC` (a bare date gains midnight): the zone is no longer ISO 8601.
 */
const YAML_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4} \S+$/;

/**
 * Validates stack config and resolves role aliases, all problems at once: each names the organization entry,
 * the field and the valid choices; `all` the resolved entries, `selected` the shard's: the organizations
 * whose ID hashes to this shard (every entry of one organization lands in the same shard, so a split stays
 * in one stack). With `secret` (the config was set with `--secret`), an error shows no member, group or role
 * reference. Pure.
 *
 * @example
 * resolveConfig({ roles: { admin: "rol_admin00000000001" }, organizations: [...] }, "auth0-org-member-roles").all;
 */
export function resolveConfig(
  config: unknown,
  namespace: string,
  secret = false,
): { all: ResolvedOrganization[]; selected: ResolvedConfig } {
  try {
    return resolve(config, namespace);
  } catch (err) {
    if (!secret) throw err;
    throw new pulumi.RunError(maskOf(config).apply((err as Error).message));
  }
}

function resolve(
  config: unknown,
  namespace: string,
): { all: ResolvedOrganization[]; selected: ResolvedConfig } {
  const invalid = (problems: string[]) =>
    new pulumi.RunError(`Invalid stack config:\n${problems.join("\n")}`);
  // An Output, a promise or a resource is not config: zod would walk its fields as if they were keys.
  const notPlain = programValuePaths(config);
  if (notPlain.length > 0)
    throw new pulumi.RunError(
      `Invalid stack config: ${notPlain.map((p) => `${namespace}:${formatPath(p)}`).join(", ")} must be plain values as config.requireObject returns them, not a Pulumi Output or a resource (for a secret: pulumi config set --secret, then requireObject; the resources keep it secret)`,
    );
  const parsed = organizationsConfigSchema.safeParse(config);
  if (!parsed.success)
    throw invalid(
      parsed.error.issues.map((i) => {
        const keys = Object.keys((i.path[0] === "shard" ? shardSchema : entrySchema).shape);
        const fix = i.code === "unrecognized_keys" ? `; valid keys: ${keys.join(", ")}` : "";
        return `  ${namespace}:${formatPath(i.path)}: ${i.message}${fix}`;
      }),
    );
  const { roles, organizations, shard } = parsed.data;
  // Own keys only: a role written "constructor" or "toString" is a name, not Object.prototype's function.
  const aliases = new Map(Object.entries(roles));
  const problems: string[] = [];
  for (const [alias, id] of aliases)
    if (!ROLE_ID.test(id))
      problems.push(`  ${namespace}:roles.${alias}: "${id}" is not a role ID like rol_0123456789abcdef`);
  const seen = new Set<string>();
  const all = organizations.map((org, index): ResolvedOrganization => {
    const name = org.name ?? org.organizationId;
    const where = `${namespace}:organizations[${index}] (${name})`;
    if (seen.has(name)) problems.push(`  ${where}: repeats the name "${name}"; names must be unique`);
    seen.add(name);
    const members: ResolvedOrganization["members"] = {};
    for (const [user, refs] of Object.entries(org.members)) {
      if (!USER_ID.test(user) && !isEmail(user))
        problems.push(
          `  ${where}.members["${user}"]: neither a user ID ({provider}|{id}, like auth0|69e9cd6013e3dca66bfbca39) nor an email`,
        );
      refs.forEach((ref, i) => {
        if (typeof ref !== "string" && YAML_TIMESTAMP.test(ref.until))
          problems.push(
            `  ${where}.members["${user}"][${i}].until: "${ref.until}" is how YAML reads an unquoted date and time; quote it, like until: "2026-12-31T18:00:00Z"`,
          );
      });
      // An alias becomes its role ID; anything else is a role ID or a role name, resolved against the tenant
      // by the resource (an unknown name fails the preview, listing the tenant's roles).
      members[user] = refs.map((ref) =>
        typeof ref === "string"
          ? (aliases.get(ref) ?? ref)
          : { role: aliases.get(ref.role) ?? ref.role, until: ref.until },
      );
    }
    // Groups take role IDs (OrgGroupRoles resolves no names): an alias becomes its ID, anything else must be one.
    const groups: MemberRoles = {};
    for (const [group, refs] of Object.entries(org.groups ?? {}))
      groups[group] = refs.map((ref) => {
        const id = aliases.get(ref) ?? ref;
        if (!ROLE_ID.test(id))
          problems.push(
            `  ${where}.groups["${group}"]: "${ref}" is neither a role alias nor a role ID like rol_0123456789abcdef`,
          );
        return id;
      });
    return {
      name,
      organizationId: org.organizationId,
      members,
      ...(org.groups ? { groups } : {}),
      ...(org.mode ? { mode: org.mode } : {}),
      addMissingMembers: org.addMissingMembers ?? false,
      protect: org.protect ?? false,
      retainOnDelete: org.retainOnDelete ?? false,
    };
  });
  if (problems.length > 0) throw invalid(problems);
  if (!shard) return { all, selected: { organizations: all } };
  const mine = all.filter((o) => shardOf(o.organizationId, shard.count) === shard.index);
  return { all, selected: { organizations: mine, shard } };
}

/** Where `config` holds a program value (an Output, a promise, a resource, a function), each path once. */
function programValuePaths(config: unknown): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: PropertyKey[]) => {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return;
    if (typeof value === "function" || isLater(value) || pulumi.Resource.isInstance(value)) {
      out.push(path);
      return;
    }
    if (seen.has(value)) return; // a cycle: zod reports what is wrong with it
    seen.add(value);
    for (const [k, v] of Object.entries(value)) walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
  };
  walk(config, []);
  return out;
}

/**
 * The provider's own SecretMask over a secret config's members, groups and role references (whole tokens,
 * and anything shaped like an ID), as its messages are: one map of every entry's, so that each word has one
 * label; groups labelled first.
 */
function maskOf(config: unknown): SecretMask {
  const mask = new SecretMask();
  const all: Record<string, unknown[]> = {};
  const entries = (config as { organizations?: unknown } | null)?.organizations;
  for (const e of Array.isArray(entries) ? entries : [])
    for (const key of ["groups", "members"] as const) {
      const map = (e as Record<string, unknown> | null)?.[key];
      if (map === null || typeof map !== "object") continue;
      for (const [k, v] of Object.entries(map)) {
        if (key === "groups") mask.add(k, "(secret group)");
        all[k] = [...(all[k] ?? []), v];
      }
    }
  mask.addMembers({ members: all });
  return mask;
}
