/**
 * What a real tenant does that our own endpoint table once hid (issue 34), against the emulator authorising
 * from its contract of Auth0's published reference (emulator/contract.ts):
 * - the token's scopes decide, before the first call, what is called: a required scope missing fails with one
 *   error naming every one, nothing called; the effective-roles read, optional, is skipped without a call;
 * - effective roles refused (403 `insufficient_scope`, `insufficient_entitlement`, a 400) or a plain 404
 *   degrade to member-roles for the run, in preview and in `up`, also with preview validation off;
 * - an empty effective-roles answer does not pass a non-member, under both answers the reference allows;
 * - Auth0's 10 roles per enterprise group, at preview, with a message about the group.
 * Expected scopes are typed from Auth0's reference pages, not taken from the code under test.
 */
import { expect } from "chai";
import type { EmulatorClient } from "../../emulator/auth";
import { CONTRACT_SCOPES } from "../../emulator/contract";
import { Emulator } from "../../emulator/server";
import { impl } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { HostileApi, json } from "../helpers/hostile-api";

const EFFECTIVE = "read:organization_member_effective_roles";
/** The read-only scopes the README lists, typed here from Auth0's reference pages. */
const README_PREVIEW = [
  "read:organization_member_roles",
  "read:organization_members",
  "read:roles",
  "read:users",
];
const WRITES = ["create:organization_member_roles", "delete:organization_member_roles"];

const app = (clientId: string, scopes: readonly string[]): EmulatorClient & { clientSecret: string } => ({
  clientId,
  clientSecret: `${clientId}-secret-0123456789`,
  scopes,
});
const PREVIEWER = app("previewer", README_PREVIEW);
const APPLIER = app("applier", [...README_PREVIEW, ...WRITES]);
const FULL = app("full", CONTRACT_SCOPES);
const NO_MEMBER_ROLES = app("no-member-roles", ["read:organization_members", "read:roles"]);

const inputs = (members: Record<string, string[]>) => ({
  organizationId: ORG,
  mode: "authoritative",
  members,
});
const reasons = (r: { failures?: Array<{ reason: string }> }) =>
  (r.failures ?? []).map((f) => f.reason).join("\n");

describe("a real tenant's contract: scopes from the token, optional reads that degrade, membership, group caps", function () {
  this.timeout(30_000);
  let emulator: Emulator;

  async function use(client: EmulatorClient & { clientSecret: string }, extra: Record<string, string> = {}) {
    await impl.configureWith({
      "auth0:domain": emulator.url,
      "auth0:clientId": client.clientId,
      "auth0:clientSecret": client.clientSecret,
      ...extra,
    });
    impl.startRun();
  }

  beforeEach(async () => {
    emulator = await Emulator.start({
      fixture: tenant(6, 12, (i) => (i < 3 ? [1] : [])),
      clients: [PREVIEWER, APPLIER, FULL, NO_MEMBER_ROLES],
    });
  });
  afterEach(async () => {
    await impl.configureWith({});
    await emulator.stop();
  });

  it("a required scope missing: one error at preview naming every missing scope and the calls needing it, nothing called", async () => {
    await use(NO_MEMBER_ROLES);
    const err = await impl
      .check({}, inputs({ [user(0)]: [role(1), role(2)], "user4@example.com": [role(3)] }))
      .catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    const text = String(err);
    expect(text).to.contain("read:organization_member_roles").and.contain("read:users");
    expect(text).to.contain("/users-by-email").and.contain("/members/{user}/roles");
    expect(text).to.not.contain("read:organization_members:");
    expect(emulator.apiCalls()).to.equal(0);
  });

  it("the README's preview scopes: a change previews with member-roles reads, no effective-roles call, and one note naming the scope; up applies", async () => {
    await use(PREVIEWER);
    const checked = await impl.check({}, inputs({ [user(0)]: [role(1), role(2)] }));
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(String(checked.inputs["groupRolesUnread"])).to.contain(EFFECTIVE);
    expect(emulator.count({ route: "effective-roles" })).to.equal(0);
    expect(emulator.count({ method: "GET", route: "member-roles", status: 200 })).to.equal(1);
    expect(emulator.count({ status: 403 })).to.equal(0);

    await use(APPLIER);
    const again = await impl.check({}, inputs({ [user(0)]: [role(1), role(2)] }));
    await impl.create(again.inputs as Record<string, unknown>);
    expect(emulator.rolesOf(ORG, user(0))).to.deep.equal([role(1), role(2)]);
    expect(emulator.count({ route: "effective-roles" })).to.equal(0);
    expect(emulator.count({ status: 403 })).to.equal(0);
  });

  it("up with the read-only application fails before any write, naming both write scopes", async () => {
    await use(PREVIEWER);
    const checked = await impl.check({}, inputs({ [user(0)]: [role(2)] }));
    emulator.resetCounters();
    const err = await impl.create(checked.inputs as Record<string, unknown>).catch((e: Error) => e);
    expect(String(err))
      .to.contain("create:organization_member_roles")
      .and.contain("delete:organization_member_roles");
    expect(String(err)).to.contain("nothing was called");
    expect(emulator.writes()).to.equal(0);
    expect(emulator.count({ status: 403 })).to.equal(0);
  });

  it("a static API token (a JWT) without the effective-roles scope: its scope claim is read, and nothing is called that it lacks", async () => {
    const token = emulator.issueToken([...README_PREVIEW, ...WRITES]);
    await impl.configureWith({ "auth0:domain": emulator.url, "auth0:apiToken": token });
    impl.startRun();
    const checked = await impl.check({}, inputs({ [user(1)]: [role(1), role(4)] }));
    expect(checked.failures ?? []).to.deep.equal([]);
    await impl.create(checked.inputs as Record<string, unknown>);
    expect(emulator.count({ route: "effective-roles" })).to.equal(0);
    expect(emulator.count({ status: 403 })).to.equal(0);
    expect(emulator.rolesOf(ORG, user(1))).to.deep.equal([role(1), role(4)]);
  });

  describe("effective roles refused or missing: member-roles for the rest of the run, in preview and in up", () => {
    let api: HostileApi;
    afterEach(async () => api?.stop());
    const answers: Array<[string, number, Record<string, unknown>]> = [
      [
        "403 insufficient_scope",
        403,
        { errorCode: "insufficient_scope", message: `Insufficient scope, expected any of: ${EFFECTIVE}` },
      ],
      [
        "403 insufficient_entitlement",
        403,
        {
          errorCode: "insufficient_entitlement",
          message: "Please upgrade your subscription to use effective roles",
        },
      ],
      ["a plain 404", 404, { message: "Not Found" }],
      ["a 400", 400, { errorCode: "invalid_query_string", message: "Query validation error" }],
    ];
    for (const [name, status, body] of answers)
      for (const validation of ["true", "false"])
        it(`${name}, preview validation ${validation}: the preview passes and says so, up applies`, async () => {
          api = await HostileApi.start(emulator.url);
          api.misbehave((_req, res, url) => {
            if (!url.pathname.endsWith("/effective-roles")) return false;
            json(res, status, { statusCode: status, error: "Refused", ...body });
            return true;
          });
          await use(FULL, {
            "auth0:domain": api.url,
            "auth0:audience": `${emulator.url}/api/v2/`,
            "orgMemberRoles:previewValidation": validation,
          });
          const desired = inputs({ [user(3)]: [role(1), role(3)], [user(4)]: [role(5)] });
          const checked = await impl.check({}, desired);
          expect(reasons(checked)).to.equal("");
          if (validation === "true")
            expect(String(checked.inputs["groupRolesUnread"]).length).to.be.greaterThan(10);
          await impl.create(checked.inputs as Record<string, unknown>);
          expect(emulator.rolesOf(ORG, user(3))).to.deep.equal([role(1), role(3)]);
          expect(emulator.rolesOf(ORG, user(4))).to.deep.equal([role(5)]);
          // Bounded: once refused, the run stops asking (at most the reads already on the wire).
          const asked = api.requests.filter((r) => r.path.split("?")[0]!.endsWith("/effective-roles")).length;
          expect(asked).to.be.within(validation === "true" ? 1 : 0, 2);
        });
  });

  for (const answer of ["404", "empty"] as const)
    it(`a non-member fails at preview when effective roles answer a non-member with ${answer === "404" ? "404" : "200 {roles: []}"}`, async () => {
      emulator.setNonMemberEffectiveRoles(answer);
      emulator.removeMember(ORG, user(5));
      await use(FULL);
      const checked = await impl.check({}, inputs({ [user(4)]: [role(2)], [user(5)]: [role(2)] }));
      const text = reasons(checked);
      expect(text).to.contain(user(5)).and.contain("not a member");
      expect(text).to.not.contain(user(4));
      expect(emulator.writes()).to.equal(0);
    });

  it("members with no roles yet, under the empty answer: membership confirmed at the fewest calls, and up converges", async () => {
    emulator.setNonMemberEffectiveRoles("empty");
    await use(FULL);
    const desired = inputs({ [user(3)]: [role(2)], [user(4)]: [role(2)], [user(5)]: [role(2)] });
    const checked = await impl.check({}, desired);
    expect(reasons(checked)).to.equal("");
    // Three effective-roles reads, then the three members' memberships from member-roles (one each: up to 3).
    expect(emulator.count({ route: "effective-roles" })).to.equal(3);
    expect(emulator.count({ method: "GET", route: "member-roles" })).to.equal(3);
    await impl.create(checked.inputs as Record<string, unknown>);
    for (const i of [3, 4, 5]) expect(emulator.rolesOf(ORG, user(i))).to.deep.equal([role(2)]);
  });
});

describe("Auth0's 10 roles per enterprise group, at preview", function () {
  this.timeout(30_000);
  const GROUP = "grp_0123456789abcd";
  let emulator: Emulator;
  beforeEach(async () => {
    const fixture = tenant(2, 14);
    fixture.groups = {
      [ORG]: [{ id: GROUP, name: "engineering", members: [], roles: [role(1), role(2)] }],
    } as never;
    emulator = await Emulator.start({ fixture });
    await impl.configureWith({
      "auth0:domain": emulator.url,
      "auth0:clientId": "emulator-client",
      "auth0:clientSecret": "emulator-client-secret-not-for-production",
    });
    impl.startRun();
  });
  afterEach(async () => {
    await impl.configureWith({});
    await emulator.stop();
  });
  const groups = (roles: string[], mode = "authoritative") => ({
    organizationId: ORG,
    groups: { [GROUP]: roles },
    mode,
  });
  const roles = (n: number) => Array.from({ length: n }, (_, i) => role(i + 1));

  it("11 roles declared for one group: refused at preview, naming the group and the cap, nothing called", async () => {
    emulator.resetCounters();
    const checked = await impl.groupRoles.check({}, groups(roles(11)));
    const text = reasons(checked);
    expect(text).to.contain(GROUP).and.contain("at most 10 role assignments per enterprise group");
    expect(text).to.not.contain("per organization member");
    expect(emulator.apiCalls()).to.equal(0);
  });

  it("additive: 9 declared beside 2 held outside makes 11, refused at preview with nothing written", async () => {
    const checked = await impl.groupRoles.check({}, groups(roles(14).slice(3, 12), "additive"));
    expect(reasons(checked)).to.contain("would hold 11 roles").and.contain(GROUP);
    expect(emulator.writes()).to.equal(0);
  });

  it("authoritative create: 9 declared beside 2 held outside makes 11 (a create removes nothing), refused at preview", async () => {
    // The fixture's group holds roles 1 and 2; roles 4-12 are declared. A create adopts what a group holds
    // and shows no removal, so up would leave 11: Auth0's 409 (the old rule counted only what is declared).
    const checked = await impl.groupRoles.check({}, groups(roles(12).slice(3)));
    expect(reasons(checked)).to.contain("would hold 11 roles").and.contain(GROUP);
    expect(emulator.writes()).to.equal(0);
  });

  it("10 roles: applied; the emulator itself refuses an 11th with Auth0's group 409, which the client tells from the member cap", async () => {
    const checked = await impl.groupRoles.check({}, groups(roles(10)));
    expect(reasons(checked)).to.equal("");
    await impl.groupRoles.create(checked.inputs as Record<string, unknown>);
    const token = emulator.issueToken();
    const res = await fetch(`${emulator.url}/api/v2/organizations/${ORG}/groups/${GROUP}/roles`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ roles: [role(11)] }),
    });
    expect(res.status).to.equal(409);
    expect(((await res.json()) as { message: string }).message).to.equal(
      "No more roles can be assigned to this organization group.",
    );
  });
});
