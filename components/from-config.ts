/**
 * Declaring the organizations of stack config: the description organizations-config.ts parses → one
 * OrgMemberRoles per organization entry (and one OrgGroupRoles for its groups), with their options.
 */
import * as pulumi from "@pulumi/pulumi";
import { describeValue, isPlainObject, type ShapeProblem } from "../src/model/input-shapes";
import { CONFIG_NAMESPACE } from "../src/pulumi/config-namespace";
import { refuseUnknownConfig } from "../src/pulumi/unknown-config";
import { InputShapeError } from "./args-shape";
import { OrgGroupRoles } from "./org-group-roles";
import { OrgMemberRoles } from "./org-member-roles";
import {
  CONFIG_KEYS,
  type OrganizationsConfig,
  type ResolvedOrganization,
  resolveConfig,
} from "./organizations-config";

/**
 * Declares one {@link OrgMemberRoles} per configured organization, and one {@link OrgGroupRoles} named
 * `<name>-groups` for an entry with `groups` (same mode and options; not in the list returned, which stays
 * the member resources). Bad config fails with the key path and fix.
 * An entry whose `name` was added later keeps its identity: the resource is aliased to the organization ID,
 * the name it had before, so the engine sees a rename rather than a new resource and an old one to delete.
 *
 * With no config given, it reads the stack config of {@link CONFIG_NAMESPACE} (`auth0-org-member-roles:roles`,
 * `:organizations`, `:shard`) whatever the project is called, and refuses any other key of that namespace,
 * naming the nearest one it reads: a misspelt `shard` would otherwise make the stack declare every
 * organization. Given a config and the namespace it came from (used in messages), it declares that.
 *
 * @example
 * export const organizations = declareOrganizations().map((r) => r.organizationId);
 */
export function declareOrganizations(opts?: pulumi.CustomResourceOptions): OrgMemberRoles[];
export function declareOrganizations(
  config: unknown,
  namespace: string,
  opts?: pulumi.CustomResourceOptions,
): OrgMemberRoles[];
export function declareOrganizations(...args: unknown[]): OrgMemberRoles[] {
  // Two or more arguments are the config form (config, namespace, opts?), whatever their types, so a wrong
  // namespace is refused by name rather than read as options; only an absent option defaults.
  const optionsAt = (i: number) => (args[i] === undefined ? {} : args[i]) as pulumi.CustomResourceOptions;
  if (args.length >= 2) return declareFrom(args[0], args[1] as string, optionsAt(2));
  // A config object alone (JavaScript lets it through) would be read as resource options and ignored.
  if (isPlainObject(args[0]) && CONFIG_KEYS.some((k) => k in (args[0] as object)))
    throw new InputShapeError("declareOrganizations", [
      {
        path: ["namespace"],
        expected:
          'must follow a config object: declareOrganizations(config, "my-namespace"), the namespace its messages name; with no config, it reads the stack config',
        got: "nothing",
      },
    ]);
  return declareFrom(readStackConfig(), CONFIG_NAMESPACE, optionsAt(0));
}

/** The keys of {@link CONFIG_NAMESPACE} from this stack's config, after refusing any it does not read. */
function readStackConfig(): OrganizationsConfig | Record<string, unknown> {
  refuseUnknownConfig(pulumi.runtime.allConfig(), CONFIG_NAMESPACE, CONFIG_KEYS);
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  return {
    roles: config.getObject("roles"),
    organizations: config.requireObject("organizations"),
    // One shard of several stacks (README "Many organizations"); absent: every organization.
    shard: config.getObject("shard"),
  };
}

function declareFrom(
  config: unknown,
  namespace: string,
  opts: pulumi.CustomResourceOptions,
): OrgMemberRoles[] {
  const misused: ShapeProblem[] = [];
  if (typeof namespace !== "string" || namespace === "")
    misused.push({
      path: ["namespace"],
      expected:
        "must be the config namespace declareOrganizations names in its messages (a non-empty string)",
      got: describeValue(namespace),
    });
  if (!isPlainObject(opts))
    misused.push({
      path: ["opts"],
      expected: "must be the resource options of every resource declareOrganizations declares (an object)",
      got: describeValue(opts),
    });
  if (misused.length > 0) throw new InputShapeError("declareOrganizations", misused);
  // `pulumi config set --secret ...:organizations`: members and groups stay secrets in the state and output,
  // and in the config's own errors.
  const secret = isSecretConfig(`${namespace}:organizations`);
  const { all, selected } = resolveConfig(config, namespace, secret);
  const { organizations, shard } = selected;
  // Names and entries counted over the whole config: an alias must not depend on the shard layout.
  const names = new Set(all.map((o) => o.name));
  const entriesOf = (id: string) => all.filter((o) => o.organizationId === id).length;
  return organizations.map((org) => {
    // Only one entry can be the one that was named by its organization ID before (a split names several).
    const aliasToId =
      org.name !== org.organizationId &&
      !names.has(org.organizationId) &&
      entriesOf(org.organizationId) === 1;
    const options = entryOptions(org, shard !== undefined, opts);
    const mode = org.mode ? { mode: org.mode } : {};
    if (org.groups)
      new OrgGroupRoles(
        `${org.name}-groups`,
        {
          organizationId: org.organizationId,
          groups: secret ? pulumi.secret(org.groups) : org.groups,
          ...mode,
        },
        options,
      );
    return new OrgMemberRoles(
      org.name,
      {
        organizationId: org.organizationId,
        members: secret ? pulumi.secret(org.members) : org.members,
        ...mode,
        ...(org.addMissingMembers ? { addMissingMembers: true } : {}),
      },
      {
        ...options,
        ...(aliasToId ? { aliases: [...(opts.aliases ?? []), { name: org.organizationId }] } : {}),
      },
    );
  });
}

/**
 * The options of every resource an entry declares (its members' and its groups'), decided in one place so
 * that no resource of a shard misses one. A shard's resources are retained at every registration, so the
 * state always holds the option when one leaves: the engine then drops it without calling delete, and a shard
 * change that runs this stack before the organization's new stack has adopted it removes no role (README
 * "Many organizations").
 */
function entryOptions(
  org: ResolvedOrganization,
  sharded: boolean,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return {
    ...opts,
    ...(org.protect ? { protect: true } : {}),
    ...(org.retainOnDelete || sharded ? { retainOnDelete: true } : {}),
  };
}

/**
 * Whether stack config `key` was set with `--secret`. The SDK's own check (what makes `config.get` warn on a
 * secret) is not in its declarations; without it, nothing is known to be secret.
 */
function isSecretConfig(key: string): boolean {
  const check = (pulumi.runtime as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return typeof check === "function" && check(key);
}
