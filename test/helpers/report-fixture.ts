import type { TenantFixture } from "../../emulator/tenant";
import type { StackExport } from "../../src/export/migrate-state";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import type { AccessReport } from "../../src/report/model";
import { rowsOf } from "../../src/report/rows";
import { ORG, role, user } from "./fixtures";

/**
 * A 1,000-member organization whose report is known by construction, not by the code under test:
 *   members    0-599: role 1 directly, declared by `main`                    600 declared grants
 *   members  600-799: role 2 directly, declared by no resource               200 drift grants
 *   members  800-949: role 3 through the group `engineering`, nothing direct  150 group grants
 *   members  950-999: role 4 directly, declared by `contractors` (a secret map),
 *                     ending in 3 days                                         50 declared, 50 ending
 *   member 0 also holds roles 10-60 declared by `main` (52 roles: past 50)    51 declared, 1 over the limit
 *   member 1 also holds roles 5 and 6 declared by `main` (a pair)              2 declared, 1 separation
 * The group `engineering` also lists a user who is no member of the organization (`OUTSIDER`), and the group
 * `readers` (members 0-9) holds no role: neither is anyone whose effective roles the report needs.
 */
/** Every grant row of a report (the CSV's rows without the notes). */
export const allRows = (report: AccessReport, now: number) =>
  report.organizations.flatMap((o) => rowsOf(o, now));

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
export const REPORT_MEMBERS = 1000;
export const EXPECTED = {
  members: 1000,
  declared: 600 + 50 + 51 + 2,
  drift: 200,
  group: 150,
  grants: 600 + 200 + 150 + 50 + 51 + 2,
  ending: 50,
  overLimit: 1,
  separation: 1,
  secretMembers: 50,
} as const;
export const GROUP_ID = "grp_engineering000001";
/** Members of the organization in the group holding a role: 800-949, those whose effective roles are read. */
export const GROUP_HOLDERS = range(800, 950).map(user);
/** The group of members 0-9 that holds no role. */
export const READERS_ID = "grp_readers0000000001";
/** A user of the tenant in `engineering` but not in the organization. */
export const OUTSIDER = "auth0|outsider00000000000000001";
export const SOD_PAIR = ["role-5", "role-6"] as const;

/**
 * The tenant: direct roles as above, and the group holding role 3 (with no roles when `groupRoles` is false).
 * `size` past 1,000 adds members holding role 1, declared by no resource.
 */
export function reportTenant(groupRoles = true, size = REPORT_MEMBERS): TenantFixture {
  const direct = (i: number): number[] => {
    if (i === 0) return [1, ...range(10, 61)];
    if (i === 1) return [1, 5, 6];
    if (i < 600) return [1];
    if (i < 800) return [2];
    if (i < 950) return [];
    if (i < REPORT_MEMBERS) return [4];
    return [1];
  };
  const members: Record<string, string[]> = {};
  for (const i of range(0, size)) members[user(i)] = direct(i).map(role);
  return {
    organizations: [{ id: ORG, name: "bench", display_name: "Bench" }],
    users: [
      ...range(0, size).map((i) => ({
        user_id: user(i),
        email: `user${i}@example.com`,
        name: `User ${i}`,
      })),
      { user_id: OUTSIDER, email: "outsider@example.com", name: "Outsider" },
    ],
    roles: range(0, 70).map((i) => ({
      id: role(i),
      name: `role-${i}`,
      description: "",
      type: "tenant" as const,
    })),
    members: { [ORG]: members },
    groups: {
      [ORG]: [
        {
          id: GROUP_ID,
          name: "engineering",
          members: [...GROUP_HOLDERS, OUTSIDER],
          roles: groupRoles ? [role(3)] : [],
        },
        { id: READERS_ID, name: "readers", members: range(0, 10).map(user), roles: [] },
      ],
    },
  };
}

const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  plaintext: JSON.stringify(value),
});

/** The stack's export: `main` (plain) and `contractors` (secret members and ends), as `--show-secrets` writes it. */
export function reportStackExport(now: number): StackExport {
  const main: Record<string, string[]> = {};
  for (const i of range(0, 600)) main[user(i)] = [role(1)];
  main[user(0)] = [role(1), ...range(10, 61).map(role)];
  main[user(1)] = [role(1), role(5), role(6)];
  const contractors: Record<string, string[]> = {};
  const until: Record<string, Record<string, string>> = {};
  const end = new Date(now + 3 * 24 * 3600_000).toISOString();
  for (const i of range(950, 1000)) {
    contractors[user(i)] = [role(4)];
    until[user(i)] = { [role(4)]: end };
  }
  const resource = (name: string, outputs: Record<string, unknown>) => ({
    urn: `urn:pulumi:dev::access::${RESOURCE_TYPE_TOKEN}::${name}`,
    type: RESOURCE_TYPE_TOKEN,
    id: ORG,
    custom: true,
    outputs: { organizationId: ORG, mode: "authoritative", ...outputs },
  });
  return {
    version: 3,
    deployment: {
      resources: [
        resource("main", { members: main }),
        resource("contractors", { members: secret(contractors), until: secret(until) }),
      ],
    },
  };
}
