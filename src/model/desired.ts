import { z } from "zod";
import { POLICY_ROLE_CAP } from "../api/limits";
import { GROUP_NAMES, type HolderNames, MEMBER_NAMES, UNKNOWN_VALUE } from "../pulumi/tokens";
import { isUnknown } from "../pulumi/unknown";
import type { Ends } from "./expiry";
import { ORGANIZATION_ID, ROLE_ID, userIdProblem } from "./ids";
import type { Resolution } from "./names";
import { normalise } from "./role-sets";

/** `authoritative` (default): exactly the declared roles. `additive`: those ensured, others left alone. */
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
  /** `members` given as a secret: failure details then keep IDs out of the state's clear text. */
  secret?: boolean;
  /** What emails and role names resolved to (computed by check; see model/names.ts). */
  resolved?: Resolution;
  /** Grants that end, by IDs (computed by check from the program's `until`; see model/expiry.ts). */
  until?: Ends;
  /** Grants that have ended on the run's clock, taken out of `holders` (computed by check). */
  expired?: MemberRoles;
}

/** A check failure in the shape the engine reports: a property path and a reason that says the fix. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** What differs between the two resources' inputs (each ResourceKind has one). */
export interface HolderInputsSpec {
  names: HolderNames;
  /** What is wrong with `key` as a key of the map, in words that name the fix; undefined when nothing. */
  keyProblem(key: string): string | undefined;
  /** Said of a role that is not a role ID (members resolve names before this parse; groups take none). */
  roleError: string;
  /** Said of a map of the wrong shape. */
  mapError: string;
  /** The failure of one holder declaring `count` roles, more than `cap`. */
  overCap(property: string, count: number, cap: number): string;
  /** Whether the inputs OrgMemberRoles alone has (addMissingMembers, addedMembers, resolved) are read. */
  memberInputs: boolean;
}

/** A spec with its schema, built once (building it costs ten times what a parse does). */
export interface HolderInputs extends HolderInputsSpec {
  parse(
    value: unknown,
  ):
    | { ok: true; data: Record<string, unknown> }
    | { ok: false; issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
}

export function holderInputs(spec: HolderInputsSpec): HolderInputs {
  const schema = schemaOf(spec);
  return {
    ...spec,
    parse: (value) => {
      const parsed = schema.safeParse(value);
      return parsed.success ? { ok: true, data: parsed.data } : { ok: false, issues: parsed.error.issues };
    },
  };
}

/** Missing, or given as something other than a string (a number, an object): the message says which. */
function organizationIdError(issue: { input: unknown }): string {
  return issue.input === undefined
    ? "is required: the organization's ID, like org_0123456789abcdef"
    : "must be an organization ID like org_0123456789abcdef (a string)";
}

// One union with its own message: `.or()` would report a bare "Invalid input".
const flag = z.union([z.boolean(), z.literal(UNKNOWN_VALUE)], { error: "must be true or false" }).optional();

function schemaOf(spec: HolderInputsSpec) {
  const roleId = z
    .string({ error: spec.roleError })
    .refine((v) => isUnknown(v) || ROLE_ID.test(v), { message: spec.roleError });
  // Each key is checked on its own, so a bad key is named with its problem instead of failing the whole map.
  const map = z
    .record(z.string(), z.array(roleId, { error: "must be a list of role IDs" }), { error: spec.mapError })
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        const problem = spec.keyProblem(key);
        if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
      }
    });
  return z.object({
    organizationId: z
      .string({ error: organizationIdError })
      .refine((v) => isUnknown(v) || ORGANIZATION_ID.test(v), {
        message: "must be an organization ID like org_0123456789abcdef",
      }),
    [spec.names.map]: map,
    mode: z
      .union([z.enum(["authoritative", "additive"]), z.literal(UNKNOWN_VALUE)], {
        error: 'must be "authoritative" or "additive"',
      })
      .optional(),
    [spec.names.secretFlag]: flag,
    ...(spec.memberInputs
      ? {
          addMissingMembers: flag,
          addedMembers: z.array(z.string()).optional(),
          resolved: z
            .object({ users: z.record(z.string(), z.string()), roles: z.record(z.string(), z.string()) })
            .optional(),
        }
      : {}),
  });
}

function memberKeyProblem(key: string): string | undefined {
  const problem = userIdProblem(key);
  return problem === undefined ? undefined : `(the user ID) ${problem}`;
}

/** OrgMemberRoles' inputs: user IDs to role IDs (emails and role names are resolved before this parse). */
export const MEMBER_INPUTS: HolderInputs = holderInputs({
  names: MEMBER_NAMES,
  keyProblem: memberKeyProblem,
  roleError:
    "must be a role ID like rol_0123456789abcdef, or the name of a role of the tenant (resolved when the organization ID is valid)",
  mapError: 'must map user IDs to lists of role IDs, e.g. { "auth0|abc": ["rol_..."] }',
  overCap: (property, count, cap) =>
    `${property} declares ${count} roles; Auth0 allows at most ${cap} per organization member (its entity-limit page says 50). Declare fewer roles.`,
  memberInputs: true,
});

/** A path as a user reads it in code: `members["auth0|x"][2]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const [i, part] of path.entries()) {
    if (typeof part === "number") out += `[${part}]`;
    // Map keys are IDs and emails (`|`, `@`, `.`), stray keys anything: quoted so the path reads as one.
    else if (MAP_INPUTS.has(path[i - 1]) || !IDENTIFIER.test(String(part)))
      out += `[${JSON.stringify(String(part))}]`;
    else if (i === 0) out += String(part);
    else out += `.${String(part)}`;
  }
  return out || "(inputs)";
}

const MAP_INPUTS = new Set<PropertyKey | undefined>([MEMBER_NAMES.map, GROUP_NAMES.map]);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export type CheckOutcome = { ok: true; desired: DesiredState } | { ok: false; failures: CheckFailure[] };

/** OrgMemberRoles' inputs, checked: {@link checkHolderInputs} with {@link MEMBER_INPUTS}. */
export const checkInputs = (raw: unknown, roleCap: number = POLICY_ROLE_CAP): CheckOutcome =>
  checkHolderInputs(raw, MEMBER_INPUTS, roleCap);

/** Validates and normalises a resource's inputs, its map read as `spec` says. Pure: no API call. */
export function checkHolderInputs(raw: unknown, spec: HolderInputs, cap: number): CheckOutcome {
  const { map, secretFlag } = spec.names;
  // Unknown values (preview) may stand for the map or a list: validated around, kept as they are.
  const record = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const mapUnknown = isUnknown(record[map]);
  const unknownLists = new Set<string>();
  let holders = record[map];
  if (mapUnknown) holders = {};
  else if (holders !== null && typeof holders === "object" && !Array.isArray(holders)) {
    holders = Object.fromEntries(
      Object.entries(holders).map(([h, roles]) => {
        if (!isUnknown(roles)) return [h, roles];
        unknownLists.add(h);
        return [h, []];
      }),
    );
  }
  const parsed = spec.parse({ ...record, [map]: holders });
  if (!parsed.ok) {
    const failures = parsed.issues.map((issue) => ({
      property: formatPath(issue.path),
      reason: `${formatPath(issue.path)} ${issue.message}`,
    }));
    return { ok: false, failures: dedupeFailures(failures) };
  }
  const data = parsed.data as Record<string, unknown> & { organizationId: string; mode?: string };
  const given = data[map] as MemberRoles;
  const normalised: MemberRoles = {};
  const failures: CheckFailure[] = [];
  if (!mapUnknown) {
    for (const h of Object.keys(given).sort()) {
      if (unknownLists.has(h)) {
        normalised[h] = UNKNOWN_VALUE as unknown as string[];
        continue;
      }
      normalised[h] = normalise(given[h]!);
      const known = normalised[h]!.filter((r) => !isUnknown(r));
      if (known.length > cap) {
        const property = formatPath([map, h]);
        failures.push({ property, reason: spec.overCap(property, known.length, cap) });
      }
    }
  }
  if (failures.length > 0) return { ok: false, failures };
  const addedMembers = data["addedMembers"] as string[] | undefined;
  const resolved = data["resolved"] as Resolution | undefined;
  return {
    ok: true,
    desired: {
      organizationId: data.organizationId,
      holders: mapUnknown ? (UNKNOWN_VALUE as unknown as MemberRoles) : normalised,
      mode: data.mode === "additive" ? "additive" : "authoritative",
      ...(data["addMissingMembers"] === true ? { addMissingMembers: true } : {}),
      ...(data[secretFlag] === true ? { secret: true } : {}),
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
