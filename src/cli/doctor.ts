import { acceptedScopes, ENDPOINTS, type EndpointName } from "../api/endpoints";
import {
  EXPORT_NEEDS,
  GROUP_PREVIEW_NEEDS,
  GROUP_WRITE_NEEDS,
  JOIN_NEEDS,
  type Needs,
  OPTIONAL_PREVIEW_NEEDS,
  OPTIONAL_REPORT_NEEDS,
  PREVIEW_NEEDS,
  REPORT_NEEDS,
  WRITE_NEEDS,
} from "../api/scopes";
import { ManagementClient } from "../client/management-client";
import { commandOf, EXIT, UsageError } from "./command";
import { CREDENTIALS_HELP, readConnection } from "./connection";

/** What each operation a user runs needs, and what it reads when it may (api/scopes.ts). */
export const OPERATIONS = {
  preview: {
    what: "pulumi preview, pulumi refresh",
    required: PREVIEW_NEEDS,
    optional: OPTIONAL_PREVIEW_NEEDS,
  },
  up: {
    what: "pulumi up, pulumi destroy",
    required: { ...PREVIEW_NEEDS, ...WRITE_NEEDS },
    optional: OPTIONAL_PREVIEW_NEEDS,
  },
  "groups-preview": {
    what: "OrgGroupRoles: pulumi preview, pulumi refresh",
    required: GROUP_PREVIEW_NEEDS,
    optional: {},
  },
  groups: {
    what: "OrgGroupRoles: pulumi up, pulumi destroy",
    required: { ...GROUP_PREVIEW_NEEDS, ...GROUP_WRITE_NEEDS },
    optional: {},
  },
  membership: { what: "addMissingMembers: true", required: JOIN_NEEDS, optional: {} },
  export: { what: "auth0-org-member-roles export-org", required: EXPORT_NEEDS, optional: {} },
  report: {
    what: "auth0-org-member-roles report",
    required: REPORT_NEEDS,
    optional: OPTIONAL_REPORT_NEEDS,
  },
} as const satisfies Record<string, { what: string; required: Needs; optional: Needs }>;

export type DoctorOperation = keyof typeof OPERATIONS;

/** One operation's verdict: the scopes it needs that are held and missing, and the optional ones missing. */
export interface OperationReport {
  operation: DoctorOperation;
  held: string[];
  missing: string[];
  optionalMissing: string[];
}

const endpointsOf = (needs: Needs) => Object.keys(needs) as EndpointName[];
const scopesOf = (needs: Needs) => [...new Set(endpointsOf(needs).map((e) => ENDPOINTS[e].scope))].sort();

/**
 * What `granted` allows of each operation. Pure: the command prints it. A call that accepts several scopes
 * (GET /organizations/{id}: read:organizations or read:organizations_summary) is allowed by any of them;
 * when none is held, the one users are told to grant is named.
 *
 * @example
 * doctorReport(new Set(["read:roles"]))[0]; // { operation: "preview", held: ["read:roles"], missing: [...], ... }
 */
export function doctorReport(granted: ReadonlySet<string>): OperationReport[] {
  return (Object.keys(OPERATIONS) as DoctorOperation[]).map((operation) => {
    const { required, optional } = OPERATIONS[operation];
    const held = new Set<string>();
    const missing = new Set<string>();
    for (const name of endpointsOf(required)) {
      const granting = acceptedScopes(name).filter((s) => granted.has(s));
      if (granting.length > 0) for (const s of granting) held.add(s);
      else missing.add(ENDPOINTS[name].scope);
    }
    const needed = [...held, ...missing];
    return {
      operation,
      held: [...held].sort(),
      missing: [...missing].sort(),
      optionalMissing: scopesOf(optional).filter((s) => !granted.has(s) && !needed.includes(s)),
    };
  });
}

const help = `Usage: auth0-org-member-roles doctor [--stack NAME] [--for OPERATIONS]

Run it first: gets a token with the credentials the provider would use, reads the scopes it grants (no other
call), and prints for each operation the scopes held, missing, and optional:

  preview         ${OPERATIONS.preview.what}
  up              ${OPERATIONS.up.what}
  groups-preview  ${OPERATIONS["groups-preview"].what}
  groups          ${OPERATIONS.groups.what}
  membership      ${OPERATIONS.membership.what}
  export          ${OPERATIONS.export.what}
  report          ${OPERATIONS.report.what} (groups: optional scopes)

  auth0-org-member-roles doctor --for preview        # the pipeline's read-only application
  auth0-org-member-roles doctor --for preview,groups-preview   # the same, with OrgGroupRoles
  auth0-org-member-roles doctor --for up,groups      # the writing one, with OrgGroupRoles

Optional: read:organization_member_effective_roles lets a preview show what members hold through groups;
without it the preview reads member roles and says so.

Options:
  --for OPERATIONS  comma-separated operations that must be allowed (default preview,up)
  --stack NAME      read credentials from this stack's config first, as the provider does
  -h, --help        this help

${CREDENTIALS_HELP}

Exit codes: 0 every scope the operations of --for need is granted; 1 one is missing, or the credentials
were refused (the message says why); 2 a wrong command line, missing credentials; 3 the token does not say
which scopes it grants (an opaque auth0:apiToken): the API decides call by call.
`;

/** `--for`: known operation names only. */
function operationsOf(value: string): DoctorOperation[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = names.filter((n) => !(n in OPERATIONS));
  if (names.length === 0 || unknown.length > 0)
    throw new UsageError(
      `--for takes operations among ${Object.keys(OPERATIONS).join(", ")}; got ${value || "nothing"}`,
    );
  return names as DoctorOperation[];
}

export const command = commandOf(
  { help, options: { for: { type: "string", default: "preview,up" }, stack: { type: "string" } } },
  async ({ values }, io) => {
    const wanted = operationsOf(values.for);
    const { connection, stackSecrets } = readConnection(io.env, values.stack);
    io.secrets.push(...stackSecrets);
    const client = ManagementClient.connect(connection);
    let granted: ReadonlySet<string> | undefined;
    try {
      granted = await client.granted();
    } finally {
      await client.close();
    }
    const out = (line: string) => io.stdout.write(`${line}\n`);
    out(`Auth0 tenant ${connection.baseUrl}: the token was issued.`);
    if (!granted) {
      out(
        "The token does not say which scopes it grants (not a JWT with a scope claim): the API decides call by call.",
      );
      return 3;
    }
    let short = false;
    for (const r of doctorReport(granted)) {
      const must = wanted.includes(r.operation);
      const verdict = r.missing.length === 0 ? "ok" : must ? "MISSING" : "missing";
      if (must && r.missing.length > 0) short = true;
      out(
        `${r.operation.padEnd(11)} ${verdict.padEnd(8)} ${OPERATIONS[r.operation].what}${must ? "" : " (not asked for)"}`,
      );
      if (r.held.length > 0) out(`  held:     ${r.held.join(", ")}`);
      if (r.missing.length > 0) out(`  missing:  ${r.missing.join(", ")}`);
      if (r.optionalMissing.length > 0) out(`  optional: ${r.optionalMissing.join(", ")} (not granted)`);
    }
    if (short)
      out(
        `Grant the missing scopes to the application in the Auth0 Dashboard (Applications > APIs > Auth0 Management API > Machine to Machine Applications).`,
      );
    return short ? EXIT.failed : EXIT.ok;
  },
);
