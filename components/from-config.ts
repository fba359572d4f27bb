import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { formatPath } from "../src/model/desired";
import { OrgMemberRoles } from "./org-member-roles";

/**
 * Many organizations' member roles from structured stack config. Role references may be role IDs or names
 * from the `roles` alias map, so a pull request reads `admin` instead of `rol_...`.
 *
 * ```yaml
 * config:
 *   auth0-org-member-roles:roles:
 *     admin: rol_admin00000000001
 *   auth0-org-member-roles:organizations:
 *     - name: acme
 *       organizationId: org_acme000000000001
 *       members:
 *         "auth0|69e9cd6013e3dca66bfbca39": [admin]
 * ```
 */
export const organizationsConfigSchema = z.object({
  roles: z.record(z.string(), z.string()).default({}),
  organizations: z
    .array(
      z.object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9._-]+$/, "must be letters, digits, '.', '_' or '-'")
          .optional(),
        organizationId: z.string(),
        mode: z.enum(["authoritative", "additive"]).optional(),
        members: z.record(z.string(), z.array(z.string())),
        protect: z.boolean().optional(),
        retainOnDelete: z.boolean().optional(),
      }),
    )
    .min(1, "must list at least one organization"),
});

export type OrganizationsConfig = z.input<typeof organizationsConfigSchema>;

/**
 * Declares one {@link OrgMemberRoles} per configured organization. Bad config fails with the key path and fix.
 *
 * @example
 * const cfg = new pulumi.Config();
 * declareOrganizations({ roles: cfg.getObject("roles"), organizations: cfg.requireObject("organizations") }, "auth0-org-member-roles");
 */
export function declareOrganizations(
  config: unknown,
  namespace: string,
  opts: pulumi.CustomResourceOptions = {},
): OrgMemberRoles[] {
  const parsed = organizationsConfigSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${namespace}:${formatPath(i.path)}: ${i.message}`);
    throw new Error(`Invalid stack config:\n${problems.join("\n")}`);
  }
  const { roles: aliases, organizations } = parsed.data;
  const seen = new Set<string>();
  return organizations.map((org, index) => {
    const name = org.name ?? org.organizationId;
    if (seen.has(name))
      throw new Error(
        `Invalid stack config: ${namespace}:organizations[${index}] repeats the name "${name}"; names must be unique.`,
      );
    seen.add(name);
    const members = Object.fromEntries(
      Object.entries(org.members).map(([user, refs]) => [user, refs.map((ref) => aliases[ref] ?? ref)]),
    );
    return new OrgMemberRoles(
      name,
      { organizationId: org.organizationId, members, ...(org.mode ? { mode: org.mode } : {}) },
      {
        ...opts,
        ...(org.protect ? { protect: true } : {}),
        ...(org.retainOnDelete ? { retainOnDelete: true } : {}),
      },
    );
  });
}
