/**
 * Inputs of the wrong shape for property tests: a valid declaration with one place corrupted, and, written
 * here from that place alone (never from the code under test), the path a message must name and a fragment
 * of the shape it must ask for.
 */
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";

export type Path = ReadonlyArray<string | number>;

/** A corrupted declaration: the value, where it is wrong, and what the message must ask for there. */
export interface Corrupted<T> {
  value: T;
  path: Path;
  expected: string;
}

/**
 * How a user reads a path: `members["auth0|a"][0].until`; the keys of members and groups maps, and any key
 * that is no identifier (a stray " "), quoted.
 */
export function pathText(path: Path): string {
  return path
    .map((part, i) => {
      if (typeof part === "number") return `[${part}]`;
      const mapKey = path[i - 1] === "members" || path[i - 1] === "groups";
      if (mapKey || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) return `[${JSON.stringify(part)}]`;
      return i === 0 ? part : `.${part}`;
    })
    .join("");
}

/** Every fragment a message must hold for each kind of place (the README's troubleshooting words). */
export const SHAPE = {
  membersMap: "must map user IDs (or emails) to lists of role IDs",
  roleList: "must be a list of role IDs",
  role: "or the name of a role",
  until: "with until a quoted date and time",
  grantKey: "a grant is { role, until }",
  entry: "must be { user, roles }",
  entryKey: "a list entry is { user, roles }",
  user: "an email or an auth0.User",
  organizationId: "must be an organization ID",
  mode: 'must be "authoritative" or "additive"',
  boolean: "must be true or false",
  memberships: "memberships takes auth0.OrganizationMember",
  groupsMap: "must map group IDs to lists of role IDs",
  groupRole: "is not a role ID like",
} as const;

const isPlain = (v: unknown): boolean =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Any JSON value, and `undefined` (a missing key). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
export const notString = anyValue.filter((v) => typeof v !== "string");
export const notList = anyValue.filter((v) => !Array.isArray(v));
export const notObject = anyValue.filter((v) => !isPlain(v));
export const notMap = notObject.filter((v) => !Array.isArray(v));
/** Wrong as one role of a list: neither a string nor an object (an object is a grant, checked on its own). */
export const notRole = notObject.filter((v) => typeof v !== "string");
export const notBoolean = anyValue.filter((v) => typeof v !== "boolean" && v !== undefined);
export const notMode = anyValue.filter((v) => v !== undefined && v !== "authoritative" && v !== "additive");
/** A key no input has (misspelt inputs among them). */
export const strayKey = (taken: readonly string[]) =>
  fc
    .oneof(
      fc.constantFrom("member", "untill", "roles ", "addMissingMember", "Members"),
      fc.string({ minLength: 1 }),
    )
    .filter((k) => !taken.includes(k) && k !== "__proto__");

export const USER = fc.constantFrom(
  "auth0|69e9cd6013e3dca66bfbca39",
  "auth0|69e9cd6013e3dca66bfbca40",
  "ada@acme.example",
  "samlp|acme|John Doe",
);
export const ROLE = fc.constantFrom("rol_viewer0000000004", "rol_developer0000003", "admin", "support");
const grant = fc.record({ role: ROLE, until: fc.constant("2030-12-31T18:00:00Z") });
const roleRef = fc.oneof({ weight: 3, arbitrary: ROLE }, { weight: 1, arbitrary: grant });
const roleList = fc.array(roleRef, { minLength: 1, maxLength: 3 });
/** A valid members map with at least one member (users unique). */
export const memberMap = fc
  .uniqueArray(fc.tuple(USER, roleList), { selector: (t) => t[0], minLength: 1, maxLength: 3 })
  .map((pairs) => pairs.map(([u, r]) => [u, r] as [string, unknown[]]));

/** Wraps a valid value in a Pulumi secret or an unknown Output now and then: nested Outputs are valid anywhere. */
export const maybeOutput = (wrap: number, value: unknown): unknown =>
  wrap === 1 ? pulumi.secret(value) : wrap === 2 ? pulumi.output(pulumi.unknown) : value;

/** A members map with one place of the wrong shape, its path relative to the map (under `members`). */
export const corruptedMemberMap: fc.Arbitrary<Corrupted<[string, unknown[] | unknown][]>> = fc
  .tuple(memberMap, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 5 }))
  .chain(([pairs, m, r, kind]) => {
    const member = m % pairs.length;
    const [user, roles] = pairs[member]!;
    const list = roles as unknown[];
    const at = r % list.length;
    const set = (value: unknown, path: Path, expected: string) => {
      const copy = pairs.map(([u, l]) => [u, [...(l as unknown[])]] as [string, unknown]);
      if (path.length === 1) copy[member] = [user, value];
      else (copy[member]![1] as unknown[])[at] = value;
      return { value: copy, path: ["members", ...path], expected };
    };
    switch (kind) {
      case 0:
        return notList.map((v) => set(v, [user], SHAPE.roleList));
      case 1:
        return notRole.map((v) => set(v, [user, at], SHAPE.role));
      case 2:
        return notString.map((v) =>
          set({ role: v, until: "2030-12-31T18:00:00Z" }, [user, at, "role"], SHAPE.role),
        );
      case 3:
        return notString.map((v) => set({ role: "admin", until: v }, [user, at, "until"], SHAPE.until));
      case 4:
        return fc.tuple(strayKey(["role", "until"]), fc.jsonValue({ maxDepth: 1 })).map(([k, v]) =>
          set(
            Object.fromEntries([
              ["role", "admin"],
              ["until", "2030-12-31T18:00:00Z"],
              [k, v],
            ]),
            [user, at, k],
            SHAPE.grantKey,
          ),
        );
      default:
        return notMap.map((v) => ({ value: v as never, path: ["members"], expected: SHAPE.membersMap }));
    }
  });

/** The map form of a corrupted map (entries kept as entries so a `__proto__` key stays an own key). */
export const asMap = (value: unknown): unknown =>
  Array.isArray(value) ? Object.fromEntries(value as [string, unknown][]) : value;

/** A groups map with one place of the wrong shape. */
export const corruptedGroups: fc.Arbitrary<Corrupted<unknown>> = fc
  .tuple(
    fc.uniqueArray(
      fc.tuple(
        fc.constantFrom("grp_eng", "grp_ops", "grp_x"),
        fc.array(ROLE, { minLength: 1, maxLength: 2 }),
      ),
      {
        selector: (t) => t[0],
        minLength: 1,
        maxLength: 3,
      },
    ),
    fc.nat(),
    fc.integer({ min: 0, max: 2 }),
  )
  .chain(([pairs, n, kind]): fc.Arbitrary<Corrupted<unknown>> => {
    const [group, roles] = pairs[n % pairs.length]!;
    const build = (value: unknown, index?: number) =>
      Object.fromEntries(
        pairs.map(([g, r]) => {
          if (g !== group) return [g, r];
          if (index === undefined) return [g, value];
          const copy: unknown[] = [...r];
          copy[index] = value;
          return [g, copy];
        }),
      );
    if (kind === 0)
      return notList.map((v) => ({ value: build(v), path: ["groups", group], expected: SHAPE.roleList }));
    if (kind === 1)
      return notString.map((v) => ({
        value: build(v, n % roles.length),
        path: ["groups", group, n % roles.length],
        expected: SHAPE.groupRole,
      }));
    return notMap.map((v) => ({ value: v, path: ["groups"], expected: SHAPE.groupsMap }));
  });
