import type { TenantFixture } from "../../emulator/tenant";

export const ACME = "org_acme000000000001";
export const GLOBEX = "org_globex0000000002";
export const ADA = "auth0|69e9cd6013e3dca66bfbca39";
export const GRACE = "auth0|69e9cd6013e3dca66bfbca40";
export const DEVELOPER = "rol_developer0000003";
export const VIEWER = "rol_viewer0000000004";
/** "ops", owned by acme. */
export const ACME_OPS = "rol_acmeops000000007";
/** "ops" too, owned by globex: usable in globex only. */
export const GLOBEX_OPS = "rol_globexops0000008";
/** "viewer", owned by acme: the same name as the tenant role `viewer`. */
export const ACME_VIEWER = "rol_acmeviewer000009";
export const ENGINEERING = "grp_engineering00001";

/**
 * The default seed plus Auth0's 2026 role model: organization roles of acme and globex (one sharing a tenant
 * role's name) and acme's `engineering` group, which gives Ada `developer` through the group.
 */
export function withOrgRoles(base: TenantFixture): TenantFixture {
  const f = structuredClone(base);
  f.roles.push(
    { id: ACME_OPS, name: "ops", description: "Acme operations", type: "organization", owner_id: ACME },
    { id: GLOBEX_OPS, name: "ops", description: "Globex operations", type: "organization", owner_id: GLOBEX },
    {
      id: ACME_VIEWER,
      name: "viewer",
      description: "Acme's own viewer",
      type: "organization",
      owner_id: ACME,
    },
  );
  f.groups = {
    [ACME]: [{ id: ENGINEERING, name: "engineering", members: [ADA], roles: [DEVELOPER] }],
  };
  return f;
}
