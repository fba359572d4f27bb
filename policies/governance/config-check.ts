import { ROLE_ID } from "../../src/model/ids";
import type { StackFacts } from "./stack-facts";

/**
 * Problems with a governance rule's config that would otherwise leave the rule silently off: the engine
 * validates types and bounds against the schema, but it cannot refuse unknown keys (the policy protocol has
 * no `additionalProperties`), and a role given by name matches only if some resource of the stack resolved
 * that name. Each problem names the rule, the key and the fix; the rule reports them as violations.
 */
export function unknownKeys(rule: string, config: object, keys: readonly string[]): string[] {
  return Object.keys(config)
    .filter((k) => !keys.includes(k))
    .map(
      (k) =>
        `Policy config of ${rule}: unknown key "${k}", ignored until fixed; valid keys: ${[...keys, "enforcementLevel"].join(", ")}.`,
    );
}

/**
 * Roles of the config that can match no grant: neither a role ID (`rol_` and 16 letters or digits) nor a
 * name that a resource of the stack resolved (`resolved.roles`). Names are known only where a resource
 * declares the role by name, so a stack that declares roles by ID (as declareOrganizations' aliases do)
 * never matches a name. Skipped while some resource's names are unknown (a preview before they resolve).
 */
export function unmatchedRoles(
  rule: string,
  key: string,
  facts: StackFacts,
  refs: readonly string[],
): string[] {
  if (!facts.namesKnown) return [];
  return [...new Set(refs)]
    .filter((ref) => !ROLE_ID.test(ref) && facts.roleIds[ref] === undefined)
    .map(
      (ref) =>
        `Policy config of ${rule}: ${key} names the role "${ref}", which is no role ID and no role name a resource of this stack resolved, so the rule can match no grant of it; write the role's ID (rol_...).`,
    );
}
