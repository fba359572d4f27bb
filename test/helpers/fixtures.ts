import { syntheticTenant, type TenantFixture } from "../../emulator/tenant";

export const ORG = "org_bench00000000001";
export const role = (i: number) => `rol_${String(i).padStart(16, "0")}`;
export const user = (i: number) => `auth0|${String(i).padStart(24, "0")}`;

/** `members` users in one organization, `roles` roles, optionally some assigned. */
export function tenant(members: number, roles = 10, assigned?: (i: number) => number[]): TenantFixture {
  return syntheticTenant({ members, roles, ...(assigned ? { assigned } : {}) });
}
