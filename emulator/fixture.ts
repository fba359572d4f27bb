/**
 * The shape of a tenant file (a `--seed` or `--state` of the emulator): checked when read, so a file of the
 * wrong shape is refused naming the path inside it, instead of failing later as a TypeError.
 */
import { z } from "zod";
import type { TenantFixture } from "./tenant";

const id = z.string().min(1);
const fixtureSchema = z.object({
  organizations: z.array(z.object({ id, name: z.string(), display_name: z.string() }).passthrough()),
  users: z.array(z.object({ user_id: id, email: z.string(), name: z.string() }).passthrough()),
  roles: z.array(
    z
      .object({
        id,
        name: z.string(),
        description: z.string().optional(),
        type: z.enum(["tenant", "organization"]).optional(),
        owner_id: z.string().optional(),
      })
      .passthrough(),
  ),
  members: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  groups: z
    .record(
      z.string(),
      z.array(
        z.object({
          id,
          name: z.string(),
          members: z.array(z.string()).optional(),
          roles: z.array(z.string()).optional(),
        }),
      ),
    )
    .optional(),
});

/**
 * `value` as a tenant fixture, or an error naming each misshapen path.
 *
 * @example
 * parseFixture(JSON.parse(text)); // throws "users: expected array, received undefined" for {}
 */
export function parseFixture(value: unknown): TenantFixture {
  const parsed = fixtureSchema.safeParse(value);
  if (parsed.success) return parsed.data as TenantFixture;
  const problems = parsed.error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.join(".") : "(the file)"}: ${i.message}`);
  throw new Error(
    `not a tenant file (organizations, users, roles, members; see the package's emulator/seeds/default.json): ${problems.join("; ")}`,
  );
}
