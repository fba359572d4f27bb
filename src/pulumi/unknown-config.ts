import * as pulumi from "@pulumi/pulumi";
import { nearest } from "../model/nearest";
import { SETTING_ROWS } from "../settings";

/**
 * Throws, naming each key, the nearest one read and the keys read, when the stack config has a key of
 * `namespace` that nothing reads: a misspelt `shard` would make the stack declare every organization, a
 * misspelt `orgMemberRoles:requestTimeoutMs` would leave the default in force, both silently. Pure.
 *
 * @example
 * refuseUnknownConfig(pulumi.runtime.allConfig(), "auth0-org-member-roles", ["roles", "organizations", "shard"]);
 */
export function refuseUnknownConfig(
  config: Record<string, unknown>,
  namespace: string,
  keys: readonly string[],
): void {
  const unknown = Object.keys(config)
    .filter((k) => k.startsWith(`${namespace}:`) && !keys.includes(k.slice(namespace.length + 1)))
    .sort();
  if (unknown.length === 0) return;
  const named = unknown.map((k) => {
    const near = nearest(k.slice(namespace.length + 1), keys);
    return near ? `${k} (did you mean ${namespace}:${near}?)` : k;
  });
  throw new pulumi.RunError(
    `Unknown stack config ${named.join(", ")}: this program reads ${keys.map((k) => `${namespace}:${k}`).join(", ")}. Rename or remove it (pulumi config rm ${unknown[0]}).`,
  );
}

/** The provider's own namespace: every key of it is a setting of provider/settings.ts. */
const SETTINGS_NAMESPACE = "orgMemberRoles";

/**
 * {@link refuseUnknownConfig} for the provider's settings, from the program: the provider itself is asked
 * for keys by name and cannot see one it does not know.
 */
export function refuseUnknownSettings(): void {
  const keys = Object.values(SETTING_ROWS).map((r) => r.key.slice(SETTINGS_NAMESPACE.length + 1));
  refuseUnknownConfig(pulumi.runtime.allConfig(), SETTINGS_NAMESPACE, keys);
}
