import { appendFileSync, closeSync, fstatSync, openSync } from "node:fs";

/**
 * The audit trail: one JSON line per role write, and per member a membership write joined
 * (`membershipAdded: true`, addMissingMembers), that reached the tenant (or may have: a 5xx or a lost answer
 * after the request was sent, marked `uncertain`), appended to the file `orgMemberRoles:auditLog` names.
 * A write the tenant refused (4xx) changed nothing and is not written. Off when the setting is unset.
 */
export interface AuditWrite {
  organizationId: string;
  /** Whose roles: an organization member (OrgMemberRoles) or group (OrgGroupRoles). */
  holder: "member" | "group";
  id: string;
  added: readonly string[];
  removed: readonly string[];
  /** The resource type and what the provider knows of it (a dynamic provider is not told the resource's name). */
  resource: string;
  /** The answer's status; undefined when none came (a timeout, a broken connection). */
  status: number | undefined;
  uncertain: boolean;
  /** A membership write (addMissingMembers' `POST /organizations/{id}/members`): the member joined, no roles. */
  joined?: boolean;
}

/**
 * The line for `write` at `time`. With `secret` (a resource of the run has a secret member map), the member
 * and each role are written as `(secret member)` / `(secret role)`: the count of roles stays, nothing in clear.
 * Constant labels rather than the provider's numbered mask: that mask is rebuilt from every secret map of the
 * run, too costly once per line of a 10,000-member apply.
 */
export function auditLine(write: AuditWrite, time: Date, secret = false): string {
  const roles = (ids: readonly string[]) => (secret ? ids.map(() => "(secret role)") : ids);
  return JSON.stringify({
    time: time.toISOString(),
    organization: write.organizationId,
    [write.holder]: secret ? `(secret ${write.holder})` : write.id,
    ...(write.joined ? { membershipAdded: true } : {}),
    rolesAdded: roles(write.added),
    rolesRemoved: roles(write.removed),
    resource: write.resource,
    status: write.status ?? null,
    ...(write.uncertain ? { uncertain: true } : {}),
  });
}

/**
 * Checks that `file` can be appended to, creating it if missing: called before a run's first write, so a
 * wrong path fails the operation with nothing written rather than after the tenant changed. Only a regular
 * file or a pipe is taken: a device (`/dev/full`, `/dev/null`) opens but keeps no trail. A disk that fills
 * after this check cannot be foreseen without writing: {@link appendAudit}'s failure is then said, line by
 * line, without failing the write that landed.
 */
export function openAuditFile(file: string, setting: string): void {
  const refuse = (why: string) =>
    new Error(
      `${setting} names ${file}, which cannot be appended to (${why}): give a writable file path (relative paths start at the Pulumi project's directory), or unset it. Nothing was written to the tenant.`,
    );
  let fd: number;
  try {
    fd = openSync(file, "a");
  } catch (err) {
    throw refuse(String((err as NodeJS.ErrnoException).code ?? err));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() && !stat.isFIFO()) throw refuse("not a regular file: a device keeps no trail");
  } finally {
    closeSync(fd);
  }
}

/** Appends one line. Synchronous: lines of parallel writes never interleave, and none is lost on a crash after it. */
export function appendAudit(file: string, line: string): void {
  appendFileSync(file, `${line}\n`);
}
