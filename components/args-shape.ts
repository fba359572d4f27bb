/**
 * The components' inputs, shape-checked where they enter the program: a JavaScript or JSON-config user can
 * pass anything, and a value of the wrong shape must stop the program with its path and the shape expected,
 * not with a TypeError from deep inside, nor an error in a callback the engine reports later. What an Output
 * holds is not known here: the provider's `check` walks it with the same rules (src/model/input-shapes.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  describeValue,
  EXPECTED,
  groupMapProblems,
  isPlainObject,
  memberMapProblems,
  roleListProblems,
  type ShapeProblem,
  type ShapeRules,
  shapeReason,
} from "../src/model/input-shapes";

/** A program's input of the wrong shape: every problem, each with its path and the shape expected. */
/** A RunError: the engine prints its message alone, not a stack trace of this package's frames. */
export class InputShapeError extends pulumi.RunError {
  override readonly name = "InputShapeError";
  constructor(
    readonly resource: string,
    readonly problems: readonly ShapeProblem[],
  ) {
    // One line a problem, each naming its path: the engine shows the message as it is.
    super([`${resource}:`, ...problems.map((p) => `  ${shapeReason(p)}`)].join("\n"));
  }
}

/** A value the program resolves later (an Output, a promise): its contents are checked by the provider. */
export const isLater = (value: unknown): boolean =>
  pulumi.Output.isInstance(value) || value instanceof Promise;

const isResource = (value: unknown): boolean => pulumi.CustomResource.isInstance(value);

/** What a program may write: Outputs and promises stand for values, resources for roles and users. */
export const PROGRAM_VALUES: ShapeRules = { later: isLater, resource: isResource };

const MEMBER_KEYS = ["organization", "organizationId", "members", "mode", "addMissingMembers", "memberships"];
const GROUP_KEYS = ["organization", "organizationId", "groups", "mode"];

const SHAPES = {
  args: "must be an object of inputs, like { organizationId, members }, where members maps user IDs to lists of role IDs",
  memberKey:
    "must be absent (misspelt?): OrgMemberRoles takes organizationId or organization, members, mode, addMissingMembers and memberships",
  groupKey: "must be absent (misspelt?): OrgGroupRoles takes organizationId or organization, groups and mode",
  organizationId:
    "must be an organization ID (org_...) as a string, or give organization: an auth0.Organization",
  organization: "must be an organization ID or an auth0.Organization",
  both: "must be absent when organizationId is given (give one of the two)",
  mode: 'must be "authoritative" or "additive"',
  boolean: "must be true or false",
  entry:
    'must be { user, roles } (members as a list), or members must map user IDs to lists of role IDs, like { "auth0|abc": ["rol_..."] }',
  user: "must be a user ID, an email or an auth0.User",
  entryKey:
    "must be absent: a list entry is { user, roles }, or members must map user IDs to lists of role IDs",
  memberships:
    "must be a list: memberships takes auth0.OrganizationMember and auth0.OrganizationMembers resources",
  membership:
    "must be a resource: memberships takes auth0.OrganizationMember and auth0.OrganizationMembers resources",
} as const;

const problem = (path: ReadonlyArray<PropertyKey>, expected: string, value: unknown): ShapeProblem => ({
  path,
  expected,
  got: describeValue(value),
});

const isString = (v: unknown) => typeof v === "string" || isLater(v);

/** Keys the component does not take: a misspelt `addMissingMember` would otherwise be ignored. */
function unknownKeys(
  args: Record<string, unknown>,
  keys: readonly string[],
  expected: string,
): ShapeProblem[] {
  return Object.keys(args)
    .filter((k) => !keys.includes(k) && args[k] !== undefined)
    .map((k) => problem([k], expected, args[k]));
}

/** `organization` or `organizationId`, exactly one. */
function organizationProblems(args: Record<string, unknown>): ShapeProblem[] {
  const { organization, organizationId } = args;
  if (organization !== undefined && organizationId !== undefined)
    return [problem(["organization"], SHAPES.both, organization)];
  if (organization !== undefined)
    return isString(organization) || isResource(organization)
      ? []
      : [problem(["organization"], SHAPES.organization, organization)];
  return isString(organizationId) ? [] : [problem(["organizationId"], SHAPES.organizationId, organizationId)];
}

/** `mode` and `addMissingMembers`: absent, an Output, or one of their values. */
function optionProblems(args: Record<string, unknown>): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  const { mode, addMissingMembers } = args;
  if (!(mode === undefined || isLater(mode) || mode === "authoritative" || mode === "additive"))
    out.push(problem(["mode"], SHAPES.mode, mode));
  if (
    !(addMissingMembers === undefined || isLater(addMissingMembers) || typeof addMissingMembers === "boolean")
  )
    out.push(problem(["addMissingMembers"], SHAPES.boolean, addMissingMembers));
  return out;
}

/** `members` as a list: `{ user, roles }` entries, whose users and roles may be resources. */
function memberListProblems(list: readonly unknown[]): ShapeProblem[] {
  return list.flatMap((entry, i) => {
    const at = ["members", i];
    if (!isPlainObject(entry)) return [problem(at, SHAPES.entry, entry)];
    const out: ShapeProblem[] = [];
    if (!(isString(entry["user"]) || isResource(entry["user"])))
      out.push(problem([...at, "user"], SHAPES.user, entry["user"]));
    // A list entry's roles are a plain list (its items may be Outputs): the component reads each role.
    const roles = entry["roles"];
    out.push(
      ...(Array.isArray(roles)
        ? roleListProblems(roles, [...at, "roles"], PROGRAM_VALUES)
        : [problem([...at, "roles"], EXPECTED.roles, roles)]),
    );
    for (const key of Object.keys(entry))
      if (key !== "user" && key !== "roles") out.push(problem([...at, key], SHAPES.entryKey, entry[key]));
    return out;
  });
}

/** `memberships`: resources whose outputs say who joins (by shape: `@pulumi/auth0` is never loaded). */
function membershipProblems(value: unknown): ShapeProblem[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [problem(["memberships"], SHAPES.memberships, value)];
  return value.flatMap((m, i) => {
    const joins =
      isResource(m) &&
      pulumi.Output.isInstance((m as Record<string, unknown>)["organizationId"]) &&
      (pulumi.Output.isInstance((m as Record<string, unknown>)["userId"]) ||
        pulumi.Output.isInstance((m as Record<string, unknown>)["members"]));
    return joins ? [] : [problem(["memberships", i], SHAPES.membership, m)];
  });
}

function fail(resource: string, problems: readonly ShapeProblem[]): void {
  if (problems.length > 0) throw new InputShapeError(resource, problems);
}

const notInputs = (args: unknown): ShapeProblem[] => [problem([], SHAPES.args, args)];

/**
 * Throws an {@link InputShapeError} listing every input of `OrgMemberRoles` of the wrong shape.
 *
 * @example
 * checkMemberRolesArgs("acme", { organizationId: "org_...", members: ["auth0|a", "rol_..."] });
 * // InputShapeError: members[0] must be { user, roles } (members given as a list), ..., not a string
 */
export function checkMemberRolesArgs(name: string, args: unknown): void {
  const resource = `OrgMemberRoles ${JSON.stringify(name)}`;
  if (!isPlainObject(args)) throw new InputShapeError(resource, notInputs(args));
  const members = args["members"];
  fail(resource, [
    ...unknownKeys(args, MEMBER_KEYS, SHAPES.memberKey),
    ...organizationProblems(args),
    ...(Array.isArray(members)
      ? memberListProblems(members)
      : memberMapProblems(members, ["members"], PROGRAM_VALUES)),
    ...optionProblems(args),
    ...membershipProblems(args["memberships"]),
  ]);
}

/** Throws an {@link InputShapeError} listing every input of `OrgGroupRoles` of the wrong shape. */
export function checkGroupRolesArgs(name: string, args: unknown): void {
  const resource = `OrgGroupRoles ${JSON.stringify(name)}`;
  if (!isPlainObject(args)) throw new InputShapeError(resource, notInputs(args));
  const { mode } = args;
  fail(resource, [
    ...unknownKeys(args, GROUP_KEYS, SHAPES.groupKey),
    ...organizationProblems(args),
    ...groupMapProblems(args["groups"], ["groups"], { ...PROGRAM_VALUES, resource: () => false }),
    ...optionProblems({ mode }),
  ]);
}
