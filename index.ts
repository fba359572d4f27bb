/**
 * The main program: the member roles of every organization listed in stack config. `Pulumi.dev.yaml` points
 * it at the local emulator (started by `npm start`); a real stack points `auth0:domain` at the tenant.
 * Exported as a function so the Pulumi CLI (Pulumi.yaml `main`) and the Automation API (inline) run the same code.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareOrganizations } from "./components";
import { refuseUnknownConfig } from "./components/from-config";

function program() {
  const config = new pulumi.Config();
  // A misspelt `shard` (shards) would make this stack declare every organization, without the shard's
  // retainOnDelete: refused, not ignored.
  refuseUnknownConfig(pulumi.runtime.allConfig(), config.name, ["roles", "organizations", "shard"]);
  const resources = declareOrganizations(
    {
      roles: config.getObject("roles"),
      organizations: config.requireObject("organizations"),
      // One shard of several stacks (README "Many organizations"); absent: every organization.
      shard: config.getObject("shard"),
    },
    pulumi.getProject(),
  );
  return {
    organizations: resources.map((r) => ({ organizationId: r.organizationId, members: r.members })),
  };
}

export = program;
