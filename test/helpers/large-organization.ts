/**
 * One organization of N members on the real engine, declared the way a new user declares it: the project's
 * program (dist/index.js) reading `roles` aliases and `organizations` from Pulumi.<stack>.yaml. The file is
 * written directly (JSON is YAML): 10,000 members do not fit in a `pulumi config set` argument. Credentials
 * come from the AUTH0_* environment, so the file holds no secret. Every member already holds its three
 * roles in the tenant, so the first `up` adopts them with no write.
 *
 * @example
 * const org = await openLargeOrganization(workRoot, emulator, 2000);
 * await org.up();
 * org.declare({ ...org.baseline(), [memberId(0)]: ["role-1", "role-2", "role-3"] });
 * const diff = await org.stack.preview({ diff: true });
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_CLIENT, type Emulator } from "../../emulator/server";
import { syntheticTenant, type TenantFixture } from "../../emulator/tenant";
import { openStack, scratchProject } from "../../scripts/engine";

export const LARGE_ORG = "org_bench00000000001";
const PROJECT = "auth0-org-member-roles";
const ROLES = 20;

export const memberId = (i: number) => `auth0|${String(i).padStart(24, "0")}`;
const roleIndexes = (i: number) => [i % ROLES, (i + 1) % ROLES, (i + 2) % ROLES];

/** The tenant: `members` users in one organization, 20 roles (`role-0`…), three held by each member. */
export function largeTenant(members: number): TenantFixture {
  return syntheticTenant({ members, roles: ROLES, assigned: roleIndexes });
}

/** The baseline with one more role for every member (one it does not hold): a change of every member. */
export function everyMemberGainsARole(baseline: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.keys(baseline).map((user, i) => [user, [...baseline[user]!, `role-${(i + 3) % ROLES}`]]),
  );
}

export interface LargeOrganization {
  stack: Stack;
  /** Member → role names, as the tenant holds them. */
  baseline(): Record<string, string[]>;
  /** Writes the stack config declaring these members (role names) in the organization. */
  declare(members: Record<string, string[]>): void;
  up(): Promise<void>;
}

export async function openLargeOrganization(
  workRoot: string,
  emulator: Emulator,
  members: number,
): Promise<LargeOrganization> {
  const workDir = scratchProject(path.join(workRoot, "project"), { name: PROJECT });
  const stackName = "large";
  const stack = await openStack({
    workDir,
    stackName,
    stateDir: path.join(workRoot, "state"),
    home: path.join(workRoot, "home"),
    env: {
      AUTH0_DOMAIN: emulator.url,
      AUTH0_CLIENT_ID: DEFAULT_CLIENT.clientId,
      AUTH0_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    },
  });
  const roles = Object.fromEntries(
    Array.from({ length: ROLES }, (_, i) => [`role-${i}`, `rol_${String(i).padStart(16, "0")}`]),
  );
  const baseline = () =>
    Object.fromEntries(
      Array.from({ length: members }, (_, i) => [memberId(i), roleIndexes(i).map((r) => `role-${r}`)]),
    );
  const settingsFile = path.join(workDir, `Pulumi.${stackName}.yaml`);
  // Creating the stack wrote its passphrase salt there: keep it.
  const salt = /^encryptionsalt: (.+)$/m.exec(
    existsSync(settingsFile) ? readFileSync(settingsFile, "utf8") : "",
  )?.[1];
  const declare = (declared: Record<string, string[]>) => {
    const config = {
      [`${PROJECT}:roles`]: roles,
      [`${PROJECT}:organizations`]: [{ name: "bench", organizationId: LARGE_ORG, members: declared }],
    };
    writeFileSync(settingsFile, JSON.stringify({ ...(salt ? { encryptionsalt: salt } : {}), config }));
  };
  declare(baseline());
  return {
    stack,
    baseline,
    declare,
    up: async () => {
      await stack.up();
    },
  };
}
