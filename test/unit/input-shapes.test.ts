/**
 * Inputs of the wrong shape, as a JavaScript or JSON-config user writes them, into every input of
 * OrgMemberRoles, OrgGroupRoles and declareOrganizations under Pulumi's mocks: each is refused where it
 * enters, with its path and the shape expected; never a TypeError, never an unhandled rejection, nothing
 * registered. Expected paths and fragments come from the corruption generated (test/helpers/wrong-shapes.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import fc from "fast-check";
import { declareOrganizations, OrgGroupRoles, OrgMemberRoles } from "../../components";
import { type Registration, recordProgram, settled } from "../helpers/pulumi-mocks";
import { resolveOrganizations } from "../helpers/resolve-organizations";
import {
  anyValue,
  asMap,
  corruptedGroups,
  corruptedMemberMap,
  maybeOutput,
  memberMap,
  notBoolean,
  notList,
  notMode,
  notObject,
  notRole,
  notString,
  type Path,
  pathText,
  SHAPE,
  strayKey,
} from "../helpers/wrong-shapes";

const ORG = "org_acme000000000001";
const NS = "auth0-org-member-roles";
const RUNS = { numRuns: 1000 };

/** The message `declare` throws; fails unless it is an Error (not a TypeError). */
function thrown(declare: () => unknown): string {
  let err: unknown;
  try {
    declare();
  } catch (e) {
    err = e;
  }
  expect(err, "the declaration throws").to.be.instanceOf(Error);
  expect(err, "a validation error, not a crash").not.to.be.instanceOf(TypeError);
  // The engine prints a RunError's message alone; any other error comes with this package's stack frames.
  expect(pulumi.RunError.isInstance(err), `a RunError: ${String(err)}`).to.equal(true);
  return (err as Error).message;
}

/** Some line of `message` names `path` (as `prefix` + path + `suffix`) and asks for `expected`. */
function names(message: string, path: string, expected: string, prefix = "", suffix = " ") {
  const at = `${prefix}${path}${suffix}`;
  const line = message.split("\n").find((l) => l.trim().startsWith(at) && l.includes(expected));
  expect(line, `a line naming ${at} and ${expected} in:\n${message}`).to.be.a("string");
}

describe("inputs of the wrong shape are refused where they enter (fast-check, Pulumi's mocks)", function () {
  this.timeout(120_000);
  let seen: Map<string, Registration>;
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => void rejections.push(e);
  let count = 0;
  const fresh = () => `shapes-${++count}`;
  before(async () => {
    seen = await recordProgram();
    process.on("unhandledRejection", onRejection);
  });
  after(() => void process.off("unhandledRejection", onRejection));
  afterEach(async () => {
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections.map(String), "unhandled rejections").to.deep.equal([]);
  });
  /** Nothing of `name` reached the (mocked) engine. */
  const unregistered = (name: string) => expect(seen.has(name), `${name} registered`).to.equal(false);

  describe("OrgMemberRoles", () => {
    it("members as a map: a wrong list, role, { role, until } or map, beside members given as Outputs", () => {
      fc.assert(
        fc.property(corruptedMemberMap, fc.integer({ min: 0, max: 2 }), (c, wrap) => {
          const corruptUser = c.path[1];
          const members = Array.isArray(c.value)
            ? Object.fromEntries(
                c.value.map(([u, r]) => [u, u === corruptUser ? r : maybeOutput(wrap, r)] as const),
              )
            : c.value;
          const name = fresh();
          const message = thrown(() => new OrgMemberRoles(name, { organizationId: ORG, members } as never));
          names(message, pathText(c.path), c.expected);
          unregistered(name);
        }),
        RUNS,
      );
    });

    it("members as a list: a wrong entry, user, roles, role or key", () => {
      const entries = memberMap.map((pairs) => pairs.map(([user, roles]) => ({ user, roles })));
      const corrupted = fc
        .tuple(entries, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 6 }))
        .chain(([list, e, r, kind]) => {
          const i = e % list.length;
          const j = r % list[i]!.roles.length;
          const swap = (entry: unknown, path: Path, expected: string) => ({
            value: list.map((x, k) => (k === i ? entry : x)),
            path: ["members", i, ...path],
            expected,
          });
          const entry = list[i]!;
          const withRole = (role: unknown) => ({
            ...entry,
            roles: entry.roles.map((x, k) => (k === j ? role : x)),
          });
          switch (kind) {
            case 0:
              return notObject.map((v) => swap(v, [], SHAPE.entry));
            case 1:
              return notString.map((v) => swap({ ...entry, user: v }, ["user"], SHAPE.user));
            case 2:
              return notList.map((v) => swap({ ...entry, roles: v }, ["roles"], SHAPE.roleList));
            case 3:
              return notRole.map((v) => swap(withRole(v), ["roles", j], SHAPE.role));
            case 4:
              return notString.map((v) =>
                swap(withRole({ role: "admin", until: v }), ["roles", j, "until"], SHAPE.until),
              );
            case 5:
              return strayKey(["user", "roles"]).map((k) =>
                swap(Object.fromEntries([...Object.entries(entry), [k, 1]]), [k], SHAPE.entryKey),
              );
            default:
              // The slip of issue 37: a list of strings, as [userId, roleId].
              return fc.array(fc.string(), { minLength: 1, maxLength: 4 }).map((l) => ({
                value: l,
                path: ["members", 0],
                expected: SHAPE.entry,
              }));
          }
        });
      fc.assert(
        fc.property(corrupted, (c) => {
          const name = fresh();
          const message = thrown(
            () => new OrgMemberRoles(name, { organizationId: ORG, members: c.value } as never),
          );
          names(message, pathText(c.path), c.expected);
          unregistered(name);
        }),
        RUNS,
      );
    });

    it("organizationId, mode, addMissingMembers, memberships, a stray key, and the inputs themselves", () => {
      const valid = { organizationId: ORG, members: { "auth0|69e9cd6013e3dca66bfbca39": ["admin"] } };
      const corrupted = fc.oneof(
        notString.map((v) => ({
          args: { ...valid, organizationId: v },
          path: "organizationId",
          expected: SHAPE.organizationId,
        })),
        notMode.map((v) => ({ args: { ...valid, mode: v }, path: "mode", expected: SHAPE.mode })),
        notBoolean.map((v) => ({
          args: { ...valid, addMissingMembers: v },
          path: "addMissingMembers",
          expected: SHAPE.boolean,
        })),
        notList
          .filter((v) => v !== undefined)
          .map((v) => ({
            args: { ...valid, memberships: v },
            path: "memberships",
            expected: SHAPE.memberships,
          })),
        anyValue.map((v) => ({
          args: { ...valid, memberships: [v] },
          path: "memberships[0]",
          expected: SHAPE.memberships,
        })),
        fc
          .tuple(
            strayKey(Object.keys(valid).concat("organization", "mode", "addMissingMembers", "memberships")),
            anyValue,
          )
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => ({
            args: { ...valid, [k]: v },
            path: pathText([k]),
            expected: "OrgMemberRoles takes organizationId",
          })),
        notObject
          .filter((v) => !(v !== null && typeof v === "object" && !Array.isArray(v)))
          .map((v) => ({ args: v, path: "(inputs)", expected: "must be an object of inputs" })),
      );
      fc.assert(
        fc.property(corrupted, fc.boolean(), (c, secretMembers) => {
          const args = c.args as Record<string, unknown>;
          // The members map as a secret changes nothing: another input's shape is still checked now.
          const given =
            secretMembers && args !== null && typeof args === "object" && "members" in args
              ? { ...args, members: pulumi.secret(args["members"]) }
              : args;
          const name = fresh();
          const message = thrown(() => new OrgMemberRoles(name, given as never));
          names(message, c.path, c.expected);
          unregistered(name);
        }),
        RUNS,
      );
    });
  });

  describe("OrgGroupRoles", () => {
    it("groups, organizationId, mode and a stray key", () => {
      const corrupted = fc.oneof(
        corruptedGroups.map((c) => ({
          args: { organizationId: ORG, groups: c.value },
          path: pathText(c.path),
          expected: c.expected,
        })),
        notString.map((v) => ({
          args: { organizationId: v, groups: {} },
          path: "organizationId",
          expected: SHAPE.organizationId,
        })),
        notMode.map((v) => ({
          args: { organizationId: ORG, groups: {}, mode: v },
          path: "mode",
          expected: SHAPE.mode,
        })),
        fc
          .tuple(strayKey(["organization", "organizationId", "groups", "mode"]), anyValue)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => ({
            args: { organizationId: ORG, groups: {}, [k]: v },
            path: pathText([k]),
            expected: "OrgGroupRoles takes organizationId",
          })),
      );
      fc.assert(
        fc.property(corrupted, (c) => {
          const name = fresh();
          const message = thrown(() => new OrgGroupRoles(name, c.args as never));
          names(message, c.path, c.expected);
          unregistered(name);
        }),
        RUNS,
      );
    });
  });

  describe("declareOrganizations", () => {
    const entry = {
      name: "acme",
      organizationId: ORG,
      members: { "auth0|69e9cd6013e3dca66bfbca39": ["admin"] },
    };
    const config = (e: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
      roles: { admin: "rol_admin00000000001" },
      organizations: [{ ...entry, ...e }],
      ...rest,
    });
    const at = (...path: Path) => pathText(["organizations", 0, ...path]);

    it("members, groups, entry fields, roles, organizations, shard and Outputs in config: each named with the namespace", () => {
      const corrupted = fc.oneof(
        corruptedMemberMap.map((c) => ({
          config: config({ members: asMap(c.value) }),
          path: pathText(["organizations", 0, ...c.path]),
          expected: c.expected,
        })),
        // Groups are optional in config: a missing map is valid there.
        corruptedGroups
          .filter((c) => c.value !== undefined)
          .map((c) => ({
            config: config({ groups: c.value }),
            path: pathText(["organizations", 0, ...c.path]),
            expected: c.expected,
          })),
        notString.map((v) => ({
          config: config({ organizationId: v }),
          path: at("organizationId"),
          expected: SHAPE.organizationId,
        })),
        notString
          .filter((v) => v !== undefined)
          .map((v) => ({
            config: config({ name: v }),
            path: at("name"),
            expected: "must be letters, digits",
          })),
        notMode.map((v) => ({ config: config({ mode: v }), path: at("mode"), expected: "must be one of" })),
        fc
          .tuple(fc.constantFrom("addMissingMembers", "protect", "retainOnDelete"), notBoolean)
          .map(([k, v]) => ({ config: config({ [k]: v }), path: at(k), expected: SHAPE.boolean })),
        notString
          .filter((v) => v !== undefined)
          .map((v) => ({
            config: config({}, { roles: { admin: v } }),
            path: "roles.admin",
            expected: "is not a role ID like",
          })),
        notObject
          .filter((v) => v !== undefined && !Array.isArray(v))
          .map((v) => ({
            config: config({}, { roles: v }),
            path: "roles",
            expected: "must map each role alias",
          })),
        notObject
          .filter((v) => v !== undefined)
          .map((v) => ({ config: config({}, { shard: v }), path: "shard", expected: "a whole number" })),
        fc
          .tuple(
            fc.constantFrom("index", "count"),
            anyValue.filter((v) => typeof v !== "number"),
          )
          .map(([k, v]) => ({
            config: config({}, { shard: { index: 0, count: 2, [k]: v } }),
            path: `shard.${k}`,
            expected: "a whole number",
          })),
        notList.map((v) => ({
          config: { organizations: v },
          path: "organizations",
          expected: "must be a list of organizations",
        })),
        notObject.map((v) => ({
          config: { organizations: [v] },
          path: "organizations[0]",
          expected: "must be an organization",
        })),
        fc
          .constantFrom<Path>(["members"], ["members", "auth0|69e9cd6013e3dca66bfbca39"], ["organizationId"])
          .map((p) => {
            const e: Record<string, unknown> = { ...entry };
            if (p.length === 1) e[p[0]!] = pulumi.secret(e[p[0]!]);
            else e["members"] = { [p[1]!]: pulumi.secret(["admin"]) };
            return { config: config(e), path: at(...p), expected: "must be plain values" };
          }),
      );
      fc.assert(
        fc.property(corrupted, (c) => {
          const before = seen.size;
          const message = thrown(() => declareOrganizations(c.config, NS));
          expect(message).to.match(/^Invalid stack config:/);
          if (c.expected === "must be plain values")
            expect(message).to.contain(`${NS}:${c.path}`).and.contain(c.expected);
          else names(message, c.path, c.expected, `${NS}:`, ":");
          expect(seen.size, "resources registered").to.equal(before);
        }),
        RUNS,
      );
    });

    it("the namespace and the options", () => {
      const corrupted = fc.oneof(
        anyValue
          .filter((v) => typeof v !== "string" || v === "")
          .map((v) => ({
            args: [config({}), v, undefined] as const,
            path: "namespace",
            expected: "config namespace",
          })),
        anyValue
          .filter((v) => v !== undefined && !(v !== null && typeof v === "object" && !Array.isArray(v)))
          .map((v) => ({ args: [config({}), NS, v] as const, path: "opts", expected: "resource options" })),
      );
      fc.assert(
        fc.property(corrupted, (c) => {
          const before = seen.size;
          const message = thrown(() =>
            declareOrganizations(c.args[0], c.args[1] as string, c.args[2] as never),
          );
          names(message, c.path, c.expected);
          expect(seen.size).to.equal(before);
        }),
        RUNS,
      );
    });
  });

  describe("regressions: each crash found, by name", () => {
    const ADA = "auth0|69e9cd6013e3dca66bfbca39";
    it("a config object given alone (JavaScript) names the missing namespace instead of being read as resource options", () => {
      const message = thrown(() =>
        (declareOrganizations as (...a: unknown[]) => unknown)({
          organizations: [{ organizationId: ORG, members: {} }],
        }),
      );
      names(message, "namespace", "must follow a config object");
    });

    it("members as a list of strings ([userId, roleId], issue 37) names members[0] and members[1], not a TypeError", () => {
      const message = thrown(
        () =>
          new OrgMemberRoles("strings", {
            organizationId: ORG,
            members: [ADA, "rol_viewer0000000004"],
          } as never),
      );
      names(message, "members[0]", SHAPE.entry);
      names(message, "members[1]", SHAPE.entry);
    });

    it("members null, a list entry without roles, and no inputs at all: TypeErrors before", () => {
      names(
        thrown(() => new OrgMemberRoles("null", { organizationId: ORG, members: null } as never)),
        "members",
        SHAPE.membersMap,
      );
      names(
        thrown(
          () => new OrgMemberRoles("no-roles", { organizationId: ORG, members: [{ user: ADA }] } as never),
        ),
        "members[0].roles",
        SHAPE.roleList,
      );
      names(
        thrown(() => new OrgMemberRoles("none", undefined as never)),
        "(inputs)",
        "must be an object of inputs",
      );
    });

    it("a string among memberships: a TypeError ('in' operator) before", () => {
      names(
        thrown(
          () =>
            new OrgMemberRoles("joins", {
              organizationId: ORG,
              members: {},
              memberships: ["auth0|x"],
            } as never),
        ),
        "memberships[0]",
        SHAPE.memberships,
      );
    });

    it("a member's roles given as a string, and a grant with a null role: unhandled rejections before", async () => {
      names(
        thrown(
          () =>
            new OrgMemberRoles("string-roles", { organizationId: ORG, members: { [ADA]: "admin" } } as never),
        ),
        `members["${ADA}"]`,
        SHAPE.roleList,
      );
      names(
        thrown(
          () =>
            new OrgMemberRoles("null-role", {
              organizationId: ORG,
              members: { [ADA]: [{ role: null, until: "2030-01-01T00:00:00Z" }] },
            } as never),
        ),
        `members["${ADA}"][0].role`,
        SHAPE.role,
      );
    });

    it("a secret list of strings registers as it is (the provider's check names it), with no unhandled rejection", async () => {
      const r = new OrgMemberRoles("secret-strings", {
        organizationId: ORG,
        members: pulumi.secret([ADA, "rol_viewer0000000004"]) as never,
      });
      await settled(r.urn);
      const inputs = seen.get("secret-strings")!.inputs;
      expect(JSON.stringify(inputs["members"])).to.contain(JSON.stringify([ADA, "rol_viewer0000000004"]));
    });

    it("config members as a list name the key and the shape, not 'expected record'", () => {
      const message = thrown(() =>
        declareOrganizations({ organizations: [{ organizationId: ORG, members: [ADA, "admin"] }] }, NS),
      );
      names(message, at0("members"), SHAPE.membersMap, `${NS}:`, ":");
      expect(message).not.to.contain("expected record");
    });

    it("a config role named like an Object.prototype member (toString) stays a name, not a function", () => {
      const [org] = resolveOrganizations(
        { organizations: [{ organizationId: ORG, members: { [ADA]: ["toString", "constructor"] } }] },
        NS,
      );
      expect(org!.members).to.deep.equal({ [ADA]: ["toString", "constructor"] });
    });

    it("a secret (an Output) in config is refused by its path, not walked as if its fields were keys", () => {
      const message = thrown(() =>
        declareOrganizations(
          { organizations: [{ organizationId: ORG, members: pulumi.secret({ [ADA]: ["admin"] }) }] },
          NS,
        ),
      );
      expect(message)
        .to.contain(`${NS}:${at0("members")}`)
        .and.contain("must be plain values");
      expect(message).not.to.contain("__pulumiOutput");
    });
  });
});

const at0 = (key: string) => pathText(["organizations", 0, key]);
