import { isUnknown } from "../pulumi/unknown";
import { type CheckFailure, checkInputs, type DesiredState } from "./desired";
import { endsByIds, planExpiry, repeatedEnds } from "./expiry";
import { ORGANIZATION_ID } from "./ids";
import { memberMapProblems, PROVIDER_VALUES, shapeFailures } from "./input-shapes";
import {
  isEmail,
  isEmptyResolution,
  isRoleName,
  type Resolution,
  resolveNames,
  type TenantNames,
  unresolvedNames,
} from "./names";
import type { Recorded } from "./stored-state";

type Props = Record<string, unknown>;

/**
 * OrgMemberRoles' declaration as `check` reads it, offline: shapes, names to read, then IDs, inputs and ends.
 * Pure: check reads the names in between, and keeps claims and validation to itself.
 */

/** What a declaration needs from the tenant before it can be checked: emails and role names to look up. */
export interface NamesToRead {
  emails: string[];
  roleNames: string[];
  /** Set when the names are resolved (a valid organization): the one whose own roles the role names may name. */
  organizationId?: string;
  /** Whether the map names any member by email, any role by name (resolved before or not): scopes it may need. */
  uses: NamesUsed;
}

type NamesUsed = { emails: boolean; roleNames: boolean };

/**
 * Shape problems first, with no call: a misshapen map would resolve as something else, its problems named by
 * IDs, not the paths written. Else the names the previous resolution lacks (valid organization only).
 */
export function namesToRead(given: Props, recorded: Recorded): { failures: CheckFailure[] } | NamesToRead {
  const shapes = memberMapProblems(given["members"], ["members"], PROVIDER_VALUES);
  if (shapes.length > 0) return { failures: shapeFailures(shapes) };
  const organizationId = given["organizationId"];
  const uses = namesUsed(given["members"]);
  if (!toResolve(uses, organizationId)) return { emails: [], roleNames: [], uses };
  const previous = previousResolution(given, recorded);
  return { ...unresolvedNames(given["members"], previous), organizationId, uses };
}

function namesUsed(members: unknown): NamesUsed {
  const entries = members !== null && typeof members === "object" ? Object.entries(members as Props) : [];
  return {
    emails: entries.some(([key]) => isEmail(key)),
    roleNames: entries.some(([, roles]) => Array.isArray(roles) && roles.some(isRoleName)),
  };
}

/** Names are resolved in a valid organization only: a bad ID is reported with no call. */
const toResolve = (uses: NamesUsed, organizationId: unknown): organizationId is string =>
  (uses.emails || uses.roleNames) &&
  typeof organizationId === "string" &&
  ORGANIZATION_ID.test(organizationId);

const previousResolution = (given: Props, recorded: Recorded): Resolution | undefined =>
  recorded.organizationId === given["organizationId"] ? recorded.resolved : undefined;

/**
 * The checked declaration, `names` (what `namesToRead` found) resolved with `directory`, ends decided at
 * `now` (expiry.ts `planExpiry`). `key` tells a resource checked twice in a run apart from another declaring
 * the same grant.
 */
export function checkDeclaration(
  given: Props,
  recorded: Recorded,
  { names, directory }: { names: NamesToRead; directory: TenantNames },
  options: { roleCap: number; now: number },
): { failures: CheckFailure[] } | { desired: DesiredState; key: string } {
  // `resolved` and `addedMembers` are placeholders from the program (check computes them).
  const { resolved: _placeholder, addedMembers: _computed, ...rest } = given;
  let inputs: Props = rest;
  if (names.organizationId !== undefined) {
    const previous = previousResolution(given, recorded);
    const out = resolveNames(rest["members"] as Props, previous, directory, names.organizationId);
    if (out.failures.length > 0) return { failures: out.failures };
    inputs = {
      ...rest,
      members: out.members,
      ...(isEmptyResolution(out.resolution) ? {} : { resolved: out.resolution }),
    };
  }
  const outcome = checkInputs(inputs, options.roleCap);
  if (!outcome.ok) return { failures: outcome.failures };
  const desired = outcome.desired;
  const key = JSON.stringify(inputs);
  const until = endsByIds(inputs["until"], desired.resolved);
  if (isUnknown(desired.holders)) return { desired, key };
  const repeated = repeatedEnds(inputs["members"], until);
  if (repeated.length > 0) return { failures: repeated };
  const sameOrg = recorded.organizationId === desired.organizationId;
  const expiry = planExpiry(desired.holders, until, sameOrg ? recorded.until : undefined, options.now);
  if (!expiry.ok) return { failures: expiry.failures };
  const { members, until: ends, expired } = expiry.plan;
  return {
    desired: {
      ...desired,
      holders: members,
      ...(Object.keys(ends).length > 0 ? { until: ends } : {}),
      ...(Object.keys(expired).length > 0 ? { expired } : {}),
    },
    key,
  };
}
