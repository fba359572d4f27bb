/**
 * The shapes of the `members` and `groups` inputs, shared by the program, the stack config and `check`, so a
 * wrong shape is refused where it enters. Only shapes: whether a string is a valid ID is decided later.
 */

import { isUnknown } from "../pulumi/unknown";
import { type CheckFailure, formatPath } from "./desired";

/** One value of the wrong shape: where it is, what belongs there, and what was found (never the value itself). */
export interface ShapeProblem {
  path: ReadonlyArray<PropertyKey>;
  expected: string;
  got: string;
}

/** What a layer can see of a value: the program sees Pulumi Outputs, the provider sees unknowns. */
export interface ShapeRules {
  /** A value checked later, where it is known (an Output in the program, an unknown at preview). */
  later(value: unknown): boolean;
  /** A resource that stands for a role or a user (an `auth0.Role`, an `auth0.User`): its ID is used. */
  resource(value: unknown): boolean;
}

/** Plain values only (stack config, JSON). */
export const PLAIN_VALUES: ShapeRules = { later: () => false, resource: () => false };

/** What the provider's `check` sees: plain values, and the engine's unknowns at preview. */
export const PROVIDER_VALUES: ShapeRules = { later: isUnknown, resource: () => false };

/** The shapes, as the messages say them. */
export const EXPECTED = {
  members:
    'must map user IDs (or emails) to lists of role IDs (or role names), like { "auth0|abc": ["rol_..."] }',
  roles: "must be a list of role IDs, role names or { role, until }",
  role: "must be a role ID or the name of a role (a string), or { role, until }",
  grantRole: "must be a role ID or the name of a role (a string)",
  until: 'must be { role, until } with until a quoted date and time with a zone, like "2026-12-31T18:00:00Z"',
  grantKey: "must be absent: a grant is { role, until } with until a quoted date and time",
  groups: 'must map group IDs to lists of role IDs, like { "grp_abc": ["rol_..."] }',
  groupRoles: "must be a list of role IDs (OrgGroupRoles takes no names)",
  groupRole: "is not a role ID like rol_0123456789abcdef (a string; OrgGroupRoles takes no names)",
} as const;

/** A word for what was found, never the value: the value may be a secret. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
    case "bigint":
      return "a number";
    case "boolean":
      return "a boolean";
    case "function":
      return "a function";
    case "object":
      return isPlainObject(value) ? "an object" : "a non-plain object";
    default:
      return `a ${typeof value}`;
  }
}

/** An object literal or parsed JSON: not a list, an Output, a resource or any other class's instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const problem = (path: ReadonlyArray<PropertyKey>, expected: string, value: unknown): ShapeProblem => ({
  path,
  expected,
  got: describeValue(value),
});

/** `members` as a map: user ID or email → a list of roles. */
export function memberMapProblems(
  value: unknown,
  path: ReadonlyArray<PropertyKey>,
  rules: ShapeRules,
): ShapeProblem[] {
  if (rules.later(value)) return [];
  if (!isPlainObject(value)) return [problem(path, EXPECTED.members, value)];
  return Object.entries(value).flatMap(([user, roles]) => roleListProblems(roles, [...path, user], rules));
}

/** One member's list of roles. */
export function roleListProblems(
  value: unknown,
  path: ReadonlyArray<PropertyKey>,
  rules: ShapeRules,
): ShapeProblem[] {
  if (rules.later(value)) return [];
  if (!Array.isArray(value)) return [problem(path, EXPECTED.roles, value)];
  return value.flatMap((ref, i) => roleRefProblems(ref, [...path, i], rules));
}

/** One role of a list: a role reference, or a grant that ends, `{ role, until }`. */
export function roleRefProblems(
  value: unknown,
  path: ReadonlyArray<PropertyKey>,
  rules: ShapeRules,
): ShapeProblem[] {
  if (typeof value === "string" || rules.later(value) || rules.resource(value)) return [];
  if (!isPlainObject(value)) return [problem(path, EXPECTED.role, value)];
  const out: ShapeProblem[] = [];
  const { role, until } = value;
  if (!(typeof role === "string" || rules.later(role) || rules.resource(role)))
    out.push(problem([...path, "role"], EXPECTED.grantRole, role));
  if (!(typeof until === "string" || rules.later(until)))
    out.push(problem([...path, "until"], EXPECTED.until, until));
  // A misspelt key (untill) would leave a grant that never ends.
  for (const key of Object.keys(value))
    if (key !== "role" && key !== "until") out.push(problem([...path, key], EXPECTED.grantKey, value[key]));
  return out;
}

/** `groups`: group ID → a list of role IDs (OrgGroupRoles takes no names and no ends). */
export function groupMapProblems(
  value: unknown,
  path: ReadonlyArray<PropertyKey>,
  rules: ShapeRules,
): ShapeProblem[] {
  if (rules.later(value)) return [];
  if (!isPlainObject(value)) return [problem(path, EXPECTED.groups, value)];
  return Object.entries(value).flatMap(([group, roles]) => {
    const at = [...path, group];
    if (rules.later(roles)) return [];
    if (!Array.isArray(roles)) return [problem(at, EXPECTED.groupRoles, roles)];
    return roles.flatMap((r, i) =>
      typeof r === "string" || rules.later(r) ? [] : [problem([...at, i], EXPECTED.groupRole, r)],
    );
  });
}

/**
 * A shape problem as every layer reports it.
 *
 * @example
 * shapeReason({ path: ["members", "auth0|a", 0, "until"], expected: EXPECTED.until, got: "a number" });
 * // 'members["auth0|a"][0].until must be { role, until } with until a quoted date and time ...; got a number'
 */
export function shapeReason(p: ShapeProblem): string {
  return `${formatPath(p.path)} ${p.expected}; got ${p.got}`;
}

/** Shape problems as check failures (the engine shows each with its property). */
export function shapeFailures(problems: readonly ShapeProblem[]): CheckFailure[] {
  return problems.map((p) => ({ property: formatPath(p.path), reason: shapeReason(p) }));
}
