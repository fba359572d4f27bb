/**
 * `declareOrganizations` itself on the real engine: the stack config a team writes (or the export script
 * writes) becomes resources whose first `up` against a tenant that already matches writes nothing.
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { declareOrganizations } from "../../components/from-config";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { exportOrganizations } from "../../src/export/organizations";
import { clientFor } from "../helpers/emulator";
import { engineSuite } from "../helpers/engine-suite";

describe("declareOrganizations on the real engine", function () {
  this.timeout(240_000);
  const suite = engineSuite("fromconfig", () => loadFixture(DEFAULT_SEED_PATH));
  const ACME = "org_acme000000000001";
  let program: PulumiFn;

  it("an exported organization, declared by its role aliases, is adopted by the first up with no write", async () => {
    const client = clientFor(suite.emulator);
    const config = await exportOrganizations(client, [ACME]);
    await client.close();
    expect(Object.keys(config.roles)).to.not.be.empty; // members name roles by alias, not by ID
    program = async () => {
      const [acme] = declareOrganizations(config, "fromconfig");
      return { members: acme!.members };
    };
    const stack = await suite.newStack(() => program());
    suite.emulator.resetCounters();
    const result = await stack.up({ onOutput: suite.onOutput });
    expect(result.summary.result).to.equal("succeeded");
    expect(suite.emulator.writes()).to.equal(0);
    // The state holds role IDs, each member's as the tenant holds them: the aliases were resolved.
    const members = result.outputs["members"]!.value as Record<string, string[]>;
    for (const [user, roles] of Object.entries(members))
      expect(roles, user).to.deep.equal(suite.emulator.rolesOf(ACME, user));
    expect(Object.keys(members)).to.have.length(Object.keys(config.organizations[0]!.members).length);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput: suite.onOutput });
  });
});
