/**
 * The access-review report's shape: per organization and member, each role held with where it comes from,
 * when its grant ends, and what a reviewer should look at. What the renderers (CSV, JSON, Markdown, HTML)
 * print and the command's tests assert. Data only.
 */

/** Where a member gets a role. A role may come from several: assigned directly and through a group. */
export type RoleSource =
  /** Assigned directly, and declared by these resources of the stack. */
  | { kind: "declared"; resources: string[] }
  /** Assigned directly, declared by no resource of the stack: drift (or a grant made outside the stack). */
  | { kind: "drift" }
  /** Assigned directly; no stack was given, so who declares it is not known. */
  | { kind: "direct" }
  /** Through the organization's groups: those holding the role (all candidates when several do). */
  | { kind: "group"; groups: string[] };

export interface HeldRole {
  id: string;
  name: string;
  sources: RoleSource[];
  /** The declared end of the grant (as the stack's `until` states it), if any; `(secret)` when masked. */
  until?: string;
  /** The end's flags, counted before it was masked: a secret end still flags (not when or how far). */
  endFlags?: Flag[];
}

/** Why a reviewer should look at a member or one of its roles. */
export type Flag =
  /** More roles than Auth0's entity-limit page documents per member (docs/auth0-api.md). */
  | "over-role-limit"
  /** Both roles of a separation-of-duties pair. */
  | "separation-of-duties"
  /** A grant ending within 7 days. */
  | "ends-within-7-days"
  /** A grant whose declared end has passed, still held. */
  | "past-end";

export interface ReportMember {
  /** The user ID, or `(secret member #n)` when a secret map declares it and secrets are not shown. */
  member: string;
  email: string;
  secret: boolean;
  roles: HeldRole[];
  /** Member-wide flags (the role limit, separation of duties), with the pair or count in `notes`. */
  flags: Flag[];
  notes: string[];
  /** The separation-of-duties pairs (as given) the member holds both roles of. */
  pairs?: Array<[string, string]>;
}

export interface OrganizationEntry {
  id: string;
  name: string;
  members: ReportMember[];
  /** What could not be read or told apart (a scope missing, groups unknown), said once. */
  notes: string[];
  /** The organization does not exist in the tenant (404): nothing read, said in `notes`. */
  missing?: true;
}

export interface AccessReport {
  generatedAt: string;
  /** Where the declarations came from: the stack export's file, or none. */
  stack?: string;
  organizations: OrganizationEntry[];
}

/** One line of the flat forms (CSV, the HTML table): one member and one role. */
export interface ReportRow {
  organizationId: string;
  organization: string;
  member: string;
  email: string;
  roleId: string;
  role: string;
  source: string;
  until: string;
  flags: string;
}
