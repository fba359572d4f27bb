/**
 * The pull-request summary of a `pulumi preview --json`: per organization, only the members that change,
 * with the roles they gain and lose, members added and removed, drift a refresh found, and the policy pack's
 * results. Pure: the caller reads files and writes the result (src/cli/pr-summary.ts).
 *
 * @example
 * const { summary, full } = summarisePreview(readFileSync("preview.json", "utf8"), { maxMembers: 50 });
 * writeFileSync("summary.md", summary.markdown);
 * if (summary.truncated) writeFileSync("summary-full.md", full());
 */

import { CONFIG_NAMESPACE } from "../pulumi/config-namespace";
import { type RenderedSummary, renderSummary, type SummaryOptions } from "./markdown";
import { previewChanges } from "./member-changes";
import { directoryOf, roleNamesFromConfig } from "./names";
import { parsePreviewJson } from "./preview-json";

export {
  COMMENT_MARKER,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_MEMBERS,
  GITHUB_COMMENT_LIMIT,
  MIN_BYTES,
} from "./markdown";
export { PreviewJsonError } from "./preview-json";

export interface SummariseOptions extends SummaryOptions {
  /** Auth0 users, for emails and names (`GET /api/v2/users` or a user export). */
  users?: Array<{ user_id: string; email?: string; name?: string }>;
  /** Auth0 roles (`GET /api/v2/roles`), for role names the stack config does not alias. */
  roles?: Array<{ id: string; name: string }>;
}

export interface Summary {
  summary: RenderedSummary;
  /** The same summary with nothing left out (for the workflow artifact). */
  full(): string;
}

export function summarisePreview(text: string, options: SummariseOptions = {}): Summary {
  const record = parsePreviewJson(text);
  const changes = previewChanges(record);
  const names = directoryOf({
    roleNames: [
      // declareOrganizations' aliases, in the package's namespace whatever the project is called.
      ...roleNamesFromConfig(record.config, CONFIG_NAMESPACE),
      ...(options.roles ?? []).map((r): [string, string] => [r.id, r.name]),
    ],
    ...(options.users ? { users: options.users } : {}),
  });
  const { users: _users, roles: _roles, ...render } = options;
  return {
    summary: renderSummary(record, changes, names, render),
    full: () =>
      renderSummary(record, changes, names, {
        maxMembers: Number.POSITIVE_INFINITY,
        maxBytes: Number.POSITIVE_INFINITY,
        maxRolesPerList: Number.POSITIVE_INFINITY,
      }).markdown,
  };
}
