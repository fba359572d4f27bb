import type { Command } from "./command";

/** One row of the table: what `auth0-org-member-roles --help` says of it, and its module, loaded when run. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<{ command: Command }>;
}

/**
 * The subcommands. Adding one is one row here and one module exporting `command`; modules load only when
 * their subcommand runs, so `--help` stays fast and one subcommand's optional dependency (@pulumi/auth0 for
 * migrate-from-auth0) is no other's.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  doctor: {
    summary: "which scopes the application's token grants, per operation; run it first",
    load: () => import("./doctor"),
  },
  "pr-summary": {
    summary: "Markdown summary of a `pulumi preview --json`, member by member, for a pull request",
    load: () => import("./pr-summary"),
  },
  "export-org": {
    summary: "stack config declaring what organizations' members hold now (adopt with no write)",
    load: () => import("./export-org"),
  },
  "migrate-from-auth0": {
    summary: "move @pulumi/auth0 OrganizationMemberRoles out of a stack export into OrgMemberRoles",
    load: () => import("./migrate-from-auth0"),
  },
  report: {
    summary: "access review: who holds which role and why, ends and flags (CSV, JSON, Markdown, HTML)",
    load: () => import("./report"),
  },
  drift: {
    summary: "drift, clean or error, from a `pulumi preview --expect-no-changes --json` and its exit code",
    load: () => import("./drift"),
  },
  emulator: {
    summary: "run the local Auth0 Management API emulator",
    load: () => import("./emulator"),
  },
};
