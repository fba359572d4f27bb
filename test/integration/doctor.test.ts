/**
 * `auth0-org-member-roles doctor` against the emulator, which authorises from Auth0's published scopes
 * (emulator/contract.ts): three applications (every scope, the pipeline's read-only one, the writing one
 * without the optional effective-roles scope), exit codes asserted, and no secret printed. The scopes each
 * application holds are typed here from Auth0's reference pages, not taken from the code under test.
 */
import { expect } from "chai";
import type { EmulatorClient } from "../../emulator/auth";
import { CONTRACT_SCOPES } from "../../emulator/contract";
import { Emulator } from "../../emulator/server";
import { ORG, tenant } from "../helpers/fixtures";
import { runCaptured } from "../helpers/run-cli";

const PREVIEW = ["read:organization_member_roles", "read:organization_members", "read:roles", "read:users"];
const WRITE = ["create:organization_member_roles", "delete:organization_member_roles"];
const app = (clientId: string, scopes: readonly string[]): EmulatorClient & { clientSecret: string } => ({
  clientId,
  clientSecret: `${clientId}-secret-that-must-not-show`,
  scopes,
});
const ALL = app("all-scopes", CONTRACT_SCOPES);
const READ_ONLY = app("preview-only", PREVIEW);
const NO_OPTIONAL = app("no-optional", [...PREVIEW, ...WRITE]);
/** The read-only application of a stack with OrgGroupRoles: Auth0's page of GET .../groups/{id}/roles. */
const GROUP_READER = app("group-reader", [...PREVIEW, "read:organization_group_roles"]);
/** export-org with the summary scope, which Auth0's page of GET /organizations/{id} also accepts. */
/**
 * The access report's application with every scope it reads but the group-members one (reference pages of
 * GET /organizations/{id}, .../members, .../members/{user_id}/roles, .../groups, .../groups/{group_id}/roles,
 * .../members/{user_id}/effective-roles).
 */
const REPORTER_WITHOUT_GROUP_MEMBERS = app("reporter", [
  "read:organization_group_roles",
  "read:organization_groups",
  "read:organization_member_effective_roles",
  "read:organization_member_roles",
  "read:organization_members",
  "read:organizations",
  // Read when granted since --separation-of-duties roles are checked against the tenant's.
  "read:roles",
]);
const SUMMARY_EXPORTER = app("summary-exporter", [
  "read:organization_member_roles",
  "read:organization_members",
  "read:organizations_summary",
  "read:roles",
]);

describe("auth0-org-member-roles doctor: scopes per operation, from the token", function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await Emulator.start({
      fixture: tenant(2),
      clients: [ALL, READ_ONLY, NO_OPTIONAL, GROUP_READER, SUMMARY_EXPORTER, REPORTER_WITHOUT_GROUP_MEMBERS],
    });
  });
  after(async () => emulator.stop());

  async function doctor(client: EmulatorClient & { clientSecret: string }, ...args: string[]) {
    emulator.resetCounters();
    const {
      code,
      stdout: out,
      stderr: err,
    } = await runCaptured(["doctor", ...args], {
      AUTH0_DOMAIN: emulator.url,
      AUTH0_CLIENT_ID: client.clientId,
      AUTH0_CLIENT_SECRET: client.clientSecret,
    });
    const text = out + err;
    expect(text).to.not.contain(client.clientSecret);
    // The token request only: doctor calls nothing else.
    expect(emulator.apiCalls()).to.equal(0);
    return { code, out, text };
  }

  it("every scope: every operation ok, no optional missing, exit 0", async () => {
    const r = await doctor(ALL, "--for", "preview,up,groups,membership,export");
    expect(r.code).to.equal(0);
    expect(r.out).to.not.match(/MISSING|missing:|optional:/);
  });

  it("the read-only application: --for preview exits 0; the default (preview and up) exits 1 naming both write scopes", async () => {
    const preview = await doctor(READ_ONLY, "--for", "preview");
    expect(preview.code).to.equal(0);
    expect(preview.out).to.match(/^preview\s+ok/m);
    expect(preview.out).to.contain("optional: read:organization_member_effective_roles");
    const both = await doctor(READ_ONLY);
    expect(both.code).to.equal(1);
    expect(both.out).to.match(/^up\s+MISSING/m);
    expect(both.out).to.contain(
      "missing:  create:organization_member_roles, delete:organization_member_roles",
    );
  });

  it("the writing application without the optional scope: exit 0, the optional one named", async () => {
    const r = await doctor(NO_OPTIONAL);
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^up\s+ok/m);
    expect(r.out).to.contain("optional: read:organization_member_effective_roles (not granted)");
    // Not asked for: shown, but no reason to fail.
    expect(r.out).to.match(/^groups\s+missing/m);
  });

  it("a read-only application of a stack with groups passes --for preview,groups-preview; without the group scope it fails naming it", async () => {
    const groups = await doctor(GROUP_READER, "--for", "preview,groups-preview");
    expect(groups.code).to.equal(0);
    expect(groups.out).to.match(/^groups-preview\s+ok/m);
    const plain = await doctor(READ_ONLY, "--for", "preview,groups-preview");
    expect(plain.code).to.equal(1);
    expect(plain.out).to.match(/^groups-preview\s+MISSING/m);
    expect(plain.out).to.contain("read:organization_group_roles");
  });

  it("--for report: read:group_members is one of the scopes it reads when granted: ok without it, named as optional", async () => {
    const all = await doctor(ALL, "--for", "report");
    expect(all.code).to.equal(0);
    expect(all.out).to.match(/^report\s+ok/m);
    expect(all.out).to.not.contain("read:group_members (not granted)");
    const without = await doctor(REPORTER_WITHOUT_GROUP_MEMBERS, "--for", "report");
    expect(without.code).to.equal(0);
    expect(without.out).to.match(/^report\s+ok/m);
    // The report's other optional scopes are held: only this one is named.
    expect(without.out).to.match(
      /^report\s+ok[^\n]*\n {2}held:[^\n]*\n {2}optional: read:group_members \(not granted\)$/m,
    );
  });

  it("export with read:organizations_summary instead of read:organizations: allowed, as Auth0's reference lists either", async () => {
    const r = await doctor(SUMMARY_EXPORTER, "--for", "export");
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^export\s+ok/m);
  });

  it("export-org itself runs with read:organizations_summary (the organization read is not refused before it is sent)", async () => {
    const { code, stdout: out } = await runCaptured(["export-org", ORG], {
      AUTH0_DOMAIN: emulator.url,
      AUTH0_CLIENT_ID: SUMMARY_EXPORTER.clientId,
      AUTH0_CLIENT_SECRET: SUMMARY_EXPORTER.clientSecret,
    });
    expect(code).to.equal(0);
    expect(out).to.contain(ORG);
  });

  it("a wrong --for is a usage error (exit 2), and refused credentials exit 1 without the secret", async () => {
    expect((await doctor(ALL, "--for", "previw")).code).to.equal(2);
    const refused = await doctor(
      { ...ALL, clientSecret: "a-revoked-secret-of-this-app" },
      "--for",
      "preview",
    );
    expect(refused.code).to.equal(1);
    expect(refused.text).to.contain("client credentials were rejected");
  });
});
