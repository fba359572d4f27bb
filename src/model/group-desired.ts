import { z } from "zod";
import { UNKNOWN_VALUE } from "../pulumi/tokens";
import { isUnknown } from "../pulumi/unknown";
import {
  type CheckFailure,
  type DesiredState,
  formatPath,
  type MemberRoles,
  organizationIdError,
} from "./desired";
import { ORGANIZATION_ID, ROLE_ID } from "./ids";
import { normalise } from "./role-sets";

/**
 * OrgGroupRoles' inputs after check: the roles of an organization's groups. Pure. A DesiredState whose
 * `holders` are group IDs, so that planning, state and ownership (model/plan.ts, stored-state.ts) serve
 * both resources unchanged; where the engine sees the map it is `groups` (provider/group-kind.ts).
 */

/** Group IDs as Auth0 gives them are opaque: a non-empty ID of at most 50 printable characters. */
const groupId = z
  .string()
  .min(1, "(the group ID) is empty")
  .max(50, "(the group ID) is longer than 50 characters, the most Auth0 accepts")
  .regex(/^[\x21-\x7e]+$/, "(the group ID) has a space or a character Auth0 IDs do not use");

const GROUP_ROLE = "is not a role ID like rol_0123456789abcdef: OrgGroupRoles takes role IDs, not names";
const roleId = z
  .string({ error: GROUP_ROLE })
  .refine((v) => isUnknown(v) || ROLE_ID.test(v), { message: GROUP_ROLE });

const schema = z.object({
  organizationId: z
    .string({ error: organizationIdError })
    .refine((v) => isUnknown(v) || ORGANIZATION_ID.test(v), {
      message: "must be an organization ID like org_0123456789abcdef",
    }),
  holders: z.record(groupId, z.array(roleId, { error: "must be a list of role IDs" }), {
    error: 'must map group IDs to lists of role IDs, e.g. { "grp_abc": ["rol_..."] }',
  }),
  mode: z
    .union([z.enum(["authoritative", "additive"]), z.literal(UNKNOWN_VALUE)], {
      error: 'must be "authoritative" or "additive"',
    })
    .optional(),
  secret: z.boolean().or(z.literal(UNKNOWN_VALUE)).optional(),
});

/**
 * Validates and normalises OrgGroupRoles' inputs (`groups` given as a map of group ID → role IDs). Unknown
 * values (preview) pass through as they are.
 *
 * @example
 * checkGroupInputs({ organizationId: "org_0123456789abcdef", groups: { grp_eng: ["rol_0123456789abcdef"] } }, 10, {
 *   map: "groups",
 *   secretFlag: "groupsSecret",
 * });
 * // { ok: true, desired: { organizationId: "org_...", holders: { grp_eng: ["rol_..."] }, mode: "authoritative" } }
 */
export function checkGroupInputs(
  raw: Record<string, unknown>,
  groupRoleCap: number,
  /** Where the resource keeps its group map and the flag that marks it secret (its ResourceKind's names). */
  names: { map: string; secretFlag: string },
): { ok: true; desired: DesiredState } | { ok: false; failures: CheckFailure[] } {
  const unknownMap = isUnknown(raw[names.map]);
  const groups = unknownMap ? {} : raw[names.map];
  const unknownLists = new Set<string>();
  const known =
    groups !== null && typeof groups === "object" && !Array.isArray(groups)
      ? Object.fromEntries(
          Object.entries(groups).map(([g, roles]) => {
            if (!isUnknown(roles)) return [g, roles];
            unknownLists.add(g);
            return [g, []];
          }),
        )
      : groups;
  const parsed = schema.safeParse({
    organizationId: raw["organizationId"],
    mode: raw["mode"],
    holders: known,
    secret: raw[names.secretFlag],
  });
  // The schema's neutral keys, named as the resource's inputs name them.
  const named = (path: ReadonlyArray<PropertyKey>) =>
    path.map((p, i) => (i > 0 ? p : p === "holders" ? names.map : p === "secret" ? names.secretFlag : p));
  if (!parsed.success)
    return {
      ok: false,
      failures: parsed.error.issues.map((i) => ({
        property: formatPath(named(i.path)),
        reason: `${formatPath(named(i.path))} ${i.message}`,
      })),
    };
  const members: MemberRoles = {};
  const failures: CheckFailure[] = [];
  for (const g of Object.keys(parsed.data.holders).sort()) {
    members[g] = unknownLists.has(g)
      ? (UNKNOWN_VALUE as unknown as string[])
      : normalise(parsed.data.holders[g]!);
    const known = members[g]!.filter((r) => !isUnknown(r));
    if (!unknownLists.has(g) && known.length > groupRoleCap) {
      const property = `${names.map}[${JSON.stringify(g)}]`;
      failures.push({
        property,
        reason: `${property} declares ${known.length} roles; a group may hold at most ${groupRoleCap} role assignments per enterprise group (orgMemberRoles:groupRoleCap; by default Auth0's entity-limit policy's 10). Declare fewer roles for this group, or give the others to its members directly with OrgMemberRoles.`,
      });
    }
  }
  if (failures.length > 0) return { ok: false, failures };
  const mode = parsed.data.mode === "additive" ? "additive" : "authoritative";
  return {
    ok: true,
    desired: {
      organizationId: parsed.data.organizationId,
      holders: unknownMap ? (UNKNOWN_VALUE as unknown as MemberRoles) : members,
      mode,
      ...(parsed.data.secret === true ? { secret: true } : {}),
    },
  };
}
