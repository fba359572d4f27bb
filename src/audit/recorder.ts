import type { RunContext } from "../provider/context";
import type { Holders } from "../provider/kind";
import { SETTING_ROWS, settingName } from "../settings";
import { type AuditWrite, appendAudit, auditLine, openAuditFile } from "./trail";

/**
 * Both role writes answer 204 with no body (docs/auth0-api.md, "The endpoints used" and the groups table):
 * the status a write the client saw succeed is recorded with.
 */
export const WRITE_ANSWER_STATUS = 204;

/** What apply tells the trail of one write: whose roles, which, and the answer (`status` undefined: none came). */
export type RecordWrite = (
  write: Pick<AuditWrite, "id" | "added" | "removed" | "status" | "uncertain" | "joined">,
) => void;

/**
 * The run's recorder for the writes of one resource operation in `organizationId`, or undefined when
 * `orgMemberRoles:auditLog` is unset. The file is opened first, so a wrong path fails before any write. When
 * a resource of the run has a secret member map (the boundary's record of the run, boundary.ts), members
 * and roles are masked: the provider is not told which resource's writes these are, so any secret map
 * of the run masks them all.
 */
export function auditRecorder(
  ctx: RunContext,
  organizationId: string,
  noun: Holders["noun"],
): RecordWrite | undefined {
  const file = ctx.settings.auditLog;
  if (file === undefined) return undefined;
  const row = SETTING_ROWS.auditLog;
  openAuditFile(file, settingName(row));
  const resource = `${noun === "group" ? "OrgGroupRoles" : "OrgMemberRoles"} of ${organizationId}`;
  return (write) => {
    const entry: AuditWrite = { organizationId, holder: noun, resource, ...write };
    const line = auditLine(entry, new Date(ctx.clock.now()), ctx.secretProps.length > 0);
    try {
      appendAudit(file, line);
    } catch (err) {
      // The write landed (or may have): failing it now would call a held role failed. The line the trail
      // lacks is said instead, on the provider's stderr (the engine's log), and kept for the run.
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      ctx.unrecordedAudit.push(line);
      process.stderr.write(
        `${row.key}: ${file} could not take the line of a write that reached the tenant (${code}); not recorded: ${line}\n`,
      );
    }
  };
}

/**
 * The run's recorder of membership writes (addMissingMembers) in `organizationId`: one line per member a
 * `POST /organizations/{id}/members` that answered 204 joined, or undefined when the trail is off.
 */
export function membershipRecorder(
  ctx: RunContext,
  organizationId: string,
): ((userIds: readonly string[]) => void) | undefined {
  const record = auditRecorder(ctx, organizationId, "member");
  if (!record) return undefined;
  return (userIds) => {
    for (const id of userIds)
      record({ id, added: [], removed: [], status: WRITE_ANSWER_STATUS, uncertain: false, joined: true });
  };
}
