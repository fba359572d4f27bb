/**
 * The main program: the member roles of every organization listed in stack config. `Pulumi.dev.yaml` points
 * it at the local emulator (started by `npm start`); a real stack points `auth0:domain` at the tenant.
 * Exported as a function so the Pulumi CLI (Pulumi.yaml `main`) and the Automation API (inline) run the same code.
 */
import { declareOrganizations } from "./components";

function program() {
  // Reads `auth0-org-member-roles:roles`, `:organizations` and `:shard` (a misspelt key is refused), as in any
  // project that installs the package.
  const resources = declareOrganizations();
  return {
    organizations: resources.map((r) => ({ organizationId: r.organizationId, members: r.members })),
  };
}

export = program;
