import { z } from "zod";
import { POLICY_ROLE_CAP } from "../api/limits";
import { UNKNOWN_VALUE } from "../pulumi/tokens";
import { isUnknown } from "../pulumi/unknown";
import { ORGANIZATION_ID, ROLE_ID, userIdProblem } from "./ids";
import { normalise } from "./role-sets";

/**
 * Ownership mode. `authoritative` (default): each declared member holds exactly the declared roles.
 * `additive`: declared roles are ensured; roles assigned elsewhere are left alone.
 */
export type OwnershipMode = "authoritative" | "additive";

/** Member user ID → sorted, de-duplicated role IDs. */
export type MemberRoles = Record<string, string[]>;

/** The resource's inputs after `check`: validated and normalised. */
export interface DesiredState {
  organizationId: string;
  holders: MemberRoles;
  mode: OwnershipMode;
  /** Add declared users who are not members to the organization before assigning roles (opt-in). */
  addMissingMembers?: boolean;
  /** Users this resource added to the organization (computed by check; shown in the preview as they join). */
  addedMembers?: string[];
  /** Whether `members` was given as a secret: failure details then leave IDs out of what the state keeps in clear. */
  secret?: boolean;
  /** What the emails and role names of the declaration resolved to (computed by check; see model/names.ts). */
  resolved?: { users: Record<string, string>; roles: Record<string, string> };
}

/** A check failure in the shape the engine reports: a property path and a reason that says the fix. */
export interface CheckFailure {
  property: string;
  reason: string;
}

const ROLE_REFERENCE =
  "must be a role ID like rol_0123456789abcdef, or the name of a role of the tenant (resolved when the organization ID is valid)";
const roleId = z
  .string({ error: ROLE_REFERENCE })
  .refine((v) => isUnknown(v) || ROLE_ID.test(v), { message: ROLE_REFERENCE });

// Each key is checked on its own (superRefine below), so a bad user ID is named with its problem instead of
// failing the whole map with "must map user IDs...".
const members = z
  .record(z.string(), z.array(roleId, { error: "must be a list of role IDs" }), {
    error: 'must map user IDs to lists of role IDs, e.g. { "auth0|abc": ["rol_..."] }',
  })
  .superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      const problem = userIdProblem(key);
      if (problem) ctx.addIssue({ code: "custom", path: [key], message: `(the user ID) ${problem}` });
    }
  });

/** Missing, or given as something other than a string (a number, an object): the message says which. */
export function organizationIdError(issue: { input: unknown }): string {
  return issue.input === undefined
    ? "is required: the organization's ID, like org_0123456789abcdef"
    : "must be an organization ID like org_0123456789abcdef (a string)";
}

const inputSchema = z.object({
  organizationId: z
    .string({ error: organizationIdError })
    .refine((v) => isUnknown(v) || ORGANIZATION_ID.test(v), {
      message: "must be an organization ID like org_0123456789abcdef",
    }),
  members,
  // One union with its own message: `.or()` would report a bare "Invalid input".
  mode: z
    .union([z.enum(["authoritative", "additive"]), z.literal(UNKNOWN_VALUE)], {
      error: 'must be "authoritative" or "additive"',
    })
    .optional(),
  addMissingMembers: z
    .union([z.boolean(), z.literal(UNKNOWN_VALUE)], { error: "must be true or false" })
    .optional(),
  addedMembers: z.array(z.string()).optional(),
  membersSecret: z.boolean().or(z.literal(UNKNOWN_VALUE)).optional(),
  resolved: z
    .object({ users: z.record(z.string(), z.string()), roles: z.record(z.string(), z.string()) })
    .optional(),
});

/**
 * Formats a path the way a user reads it in code: `members["auth0|x"][2]`.
 *
 * @example
 * formatPath(["members", "auth0|x", 2]); // 'members["auth0|x"][2]'
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const [i, part] of path.entries()) {
    if (typeof part === "number") out += `[${part}]`;
    // The keys of a members or groups map are IDs and emails (`|`, `@`, `.`), and a stray key may be anything
    // (" "): quoted, so that the path reads as one.
    else if (MAP_INPUTS.has(path[i - 1]) || !IDENTIFIER.test(String(part)))
      out += `[${JSON.stringify(String(part))}]`;
    else if (i === 0) out += String(part);
    else out += `.${String(part)}`;
  }
  return out || "(inputs)";
}

const MAP_INPUTS = new Set<PropertyKey | undefined>(["members", "groups"]);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export type CheckOutcome = { ok: true; desired: DesiredState } | { ok: false; failures: CheckFailure[] };

/**
 * Validates and normalises the resource's inputs. Pure: no API call. Unknown values (preview) pass through.
 *
 * @example
 * const outcome = checkInputs({ organizationId: "org_0123456789abcdef", members: { "auth0|a": ["rol_0123456789abcdef"] } });
 * if (!outcome.ok) console.error(outcome.failures);
 */
export function checkInputs(raw: unknown, roleCap: number = POLICY_ROLE_CAP): CheckOutcome {
  // Unknown values (preview) stand where a map or a list is expected: validate around them, keep them as they are.
  const record = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const membersUnknown = isUnknown(record["members"]);
  const unknownLists = new Set<string>();
  let members = record["members"];
  if (membersUnknown) members = {};
  else if (members !== null && typeof members === "object" && !Array.isArray(members)) {
    members = Object.fromEntries(
      Object.entries(members).map(([u, roles]) => {
        if (!isUnknown(roles)) return [u, roles];
        unknownLists.add(u);
        return [u, []];
      }),
    );
  }
  const parsed = inputSchema.safeParse({ ...record, members });
  if (!parsed.success) {
    const failures = parsed.error.issues.map((issue) => {
      const path = issue.path;
      return { property: formatPath(path), reason: `${formatPath(path)} ${issue.message}` };
    });
    return { ok: false, failures: dedupeFailures(failures) };
  }
  const { organizationId, mode, addMissingMembers, addedMembers, membersSecret, resolved } = parsed.data;
  const normalised: MemberRoles = {};
  const failures: CheckFailure[] = [];
  if (!membersUnknown) {
    for (const user of Object.keys(parsed.data.members).sort()) {
      const roles = parsed.data.members[user]!;
      if (unknownLists.has(user)) {
        normalised[user] = UNKNOWN_VALUE as unknown as string[];
        continue;
      }
      const unique = normalise(roles);
      const known = unique.filter((r) => !isUnknown(r));
      if (known.length > roleCap) {
        const property = formatPath(["members", user]);
        failures.push({
          property,
          reason: `${property} declares ${known.length} roles; Auth0 allows at most ${roleCap} per organization member (its entity-limit page says 50). Declare fewer roles.`,
        });
      }
      normalised[user] = unique;
    }
  }
  if (failures.length > 0) return { ok: false, failures };
  return {
    ok: true,
    desired: {
      organizationId,
      holders: membersUnknown ? (UNKNOWN_VALUE as unknown as MemberRoles) : normalised,
      mode: mode === undefined || isUnknown(mode) ? "authoritative" : mode,
      ...(addMissingMembers === true ? { addMissingMembers: true } : {}),
      ...(membersSecret === true ? { secret: true } : {}),
      ...(addedMembers && addedMembers.length > 0 ? { addedMembers: [...new Set(addedMembers)].sort() } : {}),
      ...(resolved && (Object.keys(resolved.users).length > 0 || Object.keys(resolved.roles).length > 0)
        ? { resolved }
        : {}),
    },
  };
}

function dedupeFailures(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    if (seen.has(f.reason)) return false;
    seen.add(f.reason);
    return true;
  });
}
