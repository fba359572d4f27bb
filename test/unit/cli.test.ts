/**
 * The command-line tool's dispatcher, in-process: help, unknown commands, exit codes, and the secret mask
 * every message passes. The subcommands against the emulator, from an installed tarball, are in
 * test/e2e/consumer-package.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { COMMANDS } from "../../src/cli/commands";
import { runCaptured } from "../helpers/run-cli";

const cli = runCaptured;

describe("auth0-org-member-roles: the dispatcher", () => {
  it("with no command, lists every subcommand and exits 2; --help exits 0", async () => {
    const bare = await cli([]);
    expect(bare.code).to.equal(2);
    for (const name of ["pr-summary", "export-org", "migrate-from-auth0", "drift", "emulator"])
      expect(bare.stdout).to.contain(`  ${name} `);
    expect((await cli(["--help"])).code).to.equal(0);
  });

  it("every subcommand answers --help with its usage and its exit codes, and exits 0", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const help = await cli([name, "--help"]);
      expect(help.code, name).to.equal(0);
      expect(help.stdout, name)
        .to.contain(`Usage: auth0-org-member-roles ${name}`)
        .and.contain("Exit codes:");
      expect((await cli(["help", name])).stdout).to.equal(help.stdout);
    }
  });

  it("an unknown command names the nearest one; an unknown option names itself; both exit 2", async () => {
    const typo = await cli(["exprot-org"]);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain('unknown command "exprot-org" (did you mean export-org?)');
    const option = await cli(["drift", "--verbose"]);
    expect(option.code).to.equal(2);
    expect(option.stderr).to.contain("--verbose").and.contain("auth0-org-member-roles drift --help");
  });

  it("emulator --application: ID=SCOPES parsed, all expands; a scope it does not serve names the nearest; an ID given twice or malformed exits 2", async () => {
    const { applicationOf } = await import("../../src/cli/emulator");
    expect(applicationOf("previewer=read:roles, read:users")).to.deep.equal({
      clientId: "previewer",
      clientSecret: "previewer-secret",
      scopes: ["read:roles", "read:users"],
    });
    expect(applicationOf("full=all").scopes).to.include("read:organization_member_effective_roles");
    expect(() => applicationOf("x=read:role")).to.throw(/did you mean read:roles\?/);
    expect(() => applicationOf("=read:roles")).to.throw(/must be ID=SCOPES/);
    const twice = await cli(["emulator", "--application", "a=read:roles", "--application", "a=read:users"]);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.contain("--application a is given twice");
  });

  it("migrate-from-auth0 never overwrites the stack export it reads, nor writes two outputs to one file (exit 2, the export unchanged)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "migrate-overwrite-"));
    const before = path.join(dir, "before.json");
    // A real migration (one bridged resource), so that without the refusal the export would be overwritten.
    const exported = JSON.stringify({
      version: 3,
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:dev::p::auth0:index/organizationMemberRoles:OrganizationMemberRoles::ada",
            type: "auth0:index/organizationMemberRoles:OrganizationMemberRoles",
            custom: true,
            id: "org_acme000000000001:auth0|ada",
            outputs: {
              organizationId: "org_acme000000000001",
              userId: "auth0|ada",
              roles: ["rol_admin00000000001"],
            },
          },
        ],
      },
    });
    writeFileSync(before, exported);
    // The same export through another path migrates (exit 0): the refusals below are the guard, nothing else.
    const copy = path.join(dir, "copy.json");
    writeFileSync(copy, exported);
    const ok = await cli(["migrate-from-auth0", copy, "--state-out", path.join(dir, "ok.json")]);
    expect(ok.code, ok.stderr).to.equal(0);
    for (const args of [
      ["--state-out", before],
      ["--state-out", path.join(dir, "after.json"), "--config-out", path.join(dir, "before.json")],
      ["--state-out", path.join(dir, "x.json"), "--config-out", path.join(dir, "x.json")],
    ]) {
      const r = await cli(["migrate-from-auth0", before, ...args]);
      expect(r.code, args.join(" ")).to.equal(2);
    }
    expect(readFileSync(before, "utf8")).to.equal(exported);
    // Not an export at all: refused by name (exit 2), not a TypeError.
    writeFileSync(copy, '{"version":3}');
    const wrong = await cli(["migrate-from-auth0", copy, "--state-out", path.join(dir, "w.json")]);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain("has no deployment with a list of resources");
  });

  it("emulator --seed of the wrong shape exits 2 naming what is missing, not a TypeError", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bad-seed-"));
    const seed = path.join(dir, "seed.json");
    writeFileSync(seed, JSON.stringify({ organizations: [{ id: "org_1" }], users: {} }));
    const r = await cli(["emulator", "--seed", seed, "--port", "0"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("not a tenant file").and.contain("organizations.0.name").and.contain("users");
    expect(r.stderr).to.not.contain("TypeError");
  });

  it("missing credentials are a usage error naming the setting, before any request", async () => {
    const missing = await cli(["export-org", "org_acme000000000001"], { AUTH0_DOMAIN: "acme.eu.auth0.com" });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain("AUTH0_CLIENT_ID").and.contain("AUTH0_CLIENT_SECRET");
  });

  it("never prints a credential: a client secret in a failing request's message is masked", async () => {
    const secret = "s3cr3t-value-that-must-not-leak";
    // A domain whose answer fails at once (nothing listens on port 1 of loopback).
    const failed = await cli(["export-org", "org_acme000000000001"], {
      AUTH0_DOMAIN: `http://127.0.0.1:1`,
      AUTH0_CLIENT_ID: "emulator-client",
      AUTH0_CLIENT_SECRET: secret,
      ORG_MEMBER_ROLES_RETRY_BUDGET: "0",
    });
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.contain("auth0-org-member-roles export-org:");
    expect(failed.stdout + failed.stderr).not.to.contain(secret);
  });
});
