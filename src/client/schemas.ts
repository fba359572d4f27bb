import { z } from "zod";

/**
 * The shapes the Management API documents for the answers this client reads. An answer of another shape is
 * an error naming the endpoint at the boundary, not a crash three calls later.
 */
export const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  // Auth0's organization roles (Early Access, 2026): `type` is `tenant` (the default, also when absent) or
  // `organization`, owned by `owner_id`. A string, not an enum: a type Auth0 adds later must not break reads.
  type: z.string().nullish(),
  owner_id: z.string().nullish(),
});
export type Role = z.infer<typeof roleSchema>;

/** A user as `GET /users-by-email` lists it (one entry per identity), reduced to what this project reads. */
export const userByEmailSchema = z.object({ user_id: z.string(), email: z.string().nullish() });
export const usersByEmailSchema = z.array(userByEmailSchema);
export type UserByEmail = z.infer<typeof userByEmailSchema>;

/**
 * A page of offset paging (`include_totals=true`): the records under their name, with `start`, `limit` and
 * `total`. One factory for every offset listing, so their shapes cannot drift apart.
 */
export function offsetPageSchema<K extends string, T extends z.ZodTypeAny>(key: K, item: T) {
  const count = z.number().int().nonnegative();
  return z
    .object({ start: count, limit: count, total: count })
    .extend({ [key]: z.array(item) } as Record<K, z.ZodArray<T>>);
}

/** Roles of a member (`GET .../members/{user}/roles`) and of the tenant (`GET /roles`) page alike. */
export const rolesPageSchema = offsetPageSchema("roles", roleSchema);

/** A member as listed with `fields=user_id,roles`: roles are `{id, name}`. */
export const memberWithRolesSchema = z.object({
  user_id: z.string(),
  email: z.string().nullish(),
  roles: z.array(z.object({ id: z.string(), name: z.string().optional() })).optional(),
});
export type MemberWithRoles = z.infer<typeof memberWithRolesSchema>;

/** Checkpoint paging: `{members, next?}`; `next` may be present on the last page too. */
export const membersCheckpointPageSchema = z.object({
  members: z.array(memberWithRolesSchema),
  next: z.string().optional(),
});

/** The members listing's offset form (`page`, `include_totals=true`). */
export const membersOffsetPageSchema = offsetPageSchema("members", memberWithRolesSchema);

/**
 * A page of a member's effective roles (`GET .../members/{user}/effective-roles`, checkpoint paging; npm
 * `auth0` 7.1.0): each role with where the member gets it, `direct` and/or `groups`. Sources are strings, not
 * an enum: a source Auth0 adds later must not break reads.
 */
export const effectiveRolesPageSchema = z.object({
  roles: z.array(z.object({ id: z.string(), name: z.string().optional(), sources: z.array(z.string()) })),
  next: z.string().optional(),
});
export type EffectiveRole = z.infer<typeof effectiveRolesPageSchema>["roles"][number];

/** An organization's groups (`GET /organizations/{id}/groups`): checkpoint paging, `{groups, next?}` (docs/auth0-api.md). */
export const groupsPageSchema = z.object({
  groups: z.array(z.object({ id: z.string(), name: z.string().optional() }).passthrough()),
  next: z.string().optional(),
});
export type Group = z.infer<typeof groupsPageSchema>["groups"][number];

/**
 * A page of a group's members (`GET /groups/{id}/members`): checkpoint paging, `{members, next?}`; each member
 * has its `id` and `member_type`, `user` or `group` (a nested group), a string so a new kind does not break reads.
 */
export const groupMembersPageSchema = z.object({
  members: z.array(z.object({ id: z.string(), member_type: z.string().optional() }).passthrough()),
  next: z.string().optional(),
});
export type GroupMember = z.infer<typeof groupMembersPageSchema>["members"][number];

/** A group's roles (`GET .../groups/{group}/roles`): checkpoint paging, `{roles, next?}`. */
export const groupRolesPageSchema = z.object({ roles: z.array(roleSchema), next: z.string().optional() });

export const organizationSchema = z.object({ id: z.string(), name: z.string() }).passthrough();
export type Organization = z.infer<typeof organizationSchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

export const errorBodySchema = z
  .object({
    statusCode: z.number().optional(),
    error: z.string().optional(),
    message: z.string().optional(),
    errorCode: z.string().optional(),
    error_description: z.string().optional(),
  })
  .passthrough();

/** An error answer's fields, of the API (`errorCode`, `message`) or of the token endpoint (`error`, `error_description`). */
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The error fields of an answer's text; none when it is not such JSON. */
export function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
