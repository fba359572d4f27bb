import type { CheckFailure } from "../model/desired";
import { ORGANIZATION_ID } from "../model/ids";
import {
  isEmail,
  isEmptyResolution,
  isRoleName,
  type Resolution,
  resolveNames,
  unresolvedNames,
} from "../model/names";
import type { RunContext } from "./context";

/**
 * Resolves the emails and role names of a declaration (model/names.ts), reading only those the previous
 * resolution (the recorded inputs, same organization) does not have. A declaration by IDs reads nothing.
 */
export async function resolveDeclaration(
  ctx: RunContext,
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
  /** Awaited before the first call (the check's scope gate). */
  beforeCalls: () => Promise<void> = async () => {},
): Promise<{ inputs: Record<string, unknown> } | { failures: CheckFailure[] }> {
  // `resolved` and `addedMembers` are placeholders from the program (check computes them); at preview they
  // may even be unknown.
  const { resolved: _placeholder, addedMembers: _computed, ...rest } = inputs;
  const sameOrg = olds["organizationId"] === rest["organizationId"];
  const previous = sameOrg ? (olds["resolved"] as Resolution | undefined) : undefined;
  const members = rest["members"];
  const usesNames =
    members !== null &&
    typeof members === "object" &&
    Object.entries(members as Record<string, unknown>).some(
      ([key, roles]) => isEmail(key) || (Array.isArray(roles) && roles.some(isRoleName)),
    );
  // Names are looked up in a valid organization only: structural problems are reported first, with no call.
  const organizationId = rest["organizationId"];
  if (!usesNames || typeof organizationId !== "string" || !ORGANIZATION_ID.test(organizationId))
    return { inputs: rest };
  const needed = unresolvedNames(members, previous);
  if (needed.emails.length > 0 || needed.roleNames.length > 0) await beforeCalls();
  const directory =
    needed.emails.length > 0 || needed.roleNames.length > 0
      ? await ctx.reads.directory(needed.emails, needed.roleNames.length > 0 ? organizationId : undefined)
      : { usersByEmail: {}, roles: [] };
  const out = resolveNames(members as Record<string, unknown>, previous, directory, organizationId);
  if (out.failures.length > 0) return { failures: out.failures };
  return {
    inputs: {
      ...rest,
      members: out.members,
      ...(isEmptyResolution(out.resolution) ? {} : { resolved: out.resolution }),
    },
  };
}
