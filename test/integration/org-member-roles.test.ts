import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { PROVIDER_SOURCE } from "../../src/provider/shell";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { configureFor, destroy, impl, providerSuite, refresh, type Stored, up } from "../helpers/drive";
import { SECRET } from "../helpers/emulator";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const declare = (members: Record<string, string[]>, extra: Record<string, unknown> = {}) => ({
  organizationId: ORG,
  members,
  ...extra,
});

describe("OrgMemberRoles provider against the emulator (exact call counts)", () => {
  const e = providerSuite(tenant(1000, 10));

  it("create, 3 members x 2 roles, none assigned: 3 POSTs and no other write", async () => {
    await up(
      undefined,
      declare({
        [user(0)]: [role(1), role(2)],
        [user(1)]: [role(1), role(3)],
        [user(2)]: [role(2), role(3)],
      }),
    );
    expect(e().count({ method: "POST", route: "member-roles" })).to.equal(3);
    expect(e().writes()).to.equal(3);
    expect(e().rolesOf(ORG, user(1))).to.deep.equal([role(1), role(3)]);
  });

  it("create over an existing assignment adopts it: one POST carrying only the missing role", async () => {
    e().setRolesOf(ORG, user(0), [role(1)]);
    e().resetCounters();
    await up(undefined, declare({ [user(0)]: [role(1), role(2)] }));
    const posts = e().requests.filter((r) => r.method === "POST");
    expect(posts).to.have.length(1);
    expect(posts[0]!.body).to.deep.equal({ roles: [role(2)] });
    expect(e().writes()).to.equal(1);
  });

  it("create removes nothing, even in authoritative mode: extra roles stay until a refresh shows them", async () => {
    e().setRolesOf(ORG, user(0), [role(1), role(9)]);
    let s = await up(undefined, declare({ [user(0)]: [role(1)] }));
    expect(e().rolesOf(ORG, user(0))).to.deep.equal([role(1), role(9)]);
    expect(e().writes()).to.equal(0);
    s = await refresh(s);
    expect(s.outputs.members[user(0)]).to.deep.equal([role(1), role(9)]);
    await up(s, declare({ [user(0)]: [role(1)] }));
    expect(e().rolesOf(ORG, user(0))).to.deep.equal([role(1)]);
  });

  it("create with bad input (a non-member, an unknown role) fails at check, before any write, naming each", async () => {
    e().tenant.members.get(ORG)!.delete(user(30));
    e().resetCounters();
    const bad = declare({
      [user(0)]: [role(1)],
      [user(30)]: [role(1)],
      [user(31)]: [role(2), "rol_doesnotexist0001"],
    });
    const err = await up(undefined, bad).catch((x: Error) => x);
    expect(String(err)).to.contain(user(30)).and.contain("not a member").and.contain(ORG);
    expect(String(err))
      .to.contain(user(31))
      .and.contain("rol_doesnotexist0001")
      .and.contain("does not exist");
    expect(e().writes()).to.equal(0);
    // With validation at preview turned off, create still refuses before writing.
    await configureFor(e(), { "orgMemberRoles:previewValidation": "false" });
    const off = await up(undefined, bad).catch((x: Error) => x);
    expect(String(off))
      .to.contain("nothing was changed")
      .and.contain(user(30))
      .and.contain("rol_doesnotexist0001");
    expect(e().writes()).to.equal(0);
    expect(e().rolesOf(ORG, user(0))).to.deep.equal([]);
    await configureFor(e());
  });

  it("the same role sets in another order, with repeats: no change and no API call", async () => {
    const s = await up(undefined, declare({ [user(0)]: [role(1), role(2)], [user(1)]: [role(3)] }));
    e().resetCounters();
    const again = await up(
      s,
      declare({ [user(1)]: [role(3), role(3)], [user(0)]: [role(2), role(1), role(2)] }),
    );
    expect(again).to.equal(s);
    expect(e().count()).to.equal(0);
  });

  it("1,000 members, one gains a role and another loses one: 1 POST, 1 DELETE, and 3 reads to check them (2 members' effective roles, which give their direct roles too, and 1 role by ID)", async () => {
    const members = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [user(i), [role(i % 10), role((i + 1) % 10)].sort()]),
    );
    const s = await up(undefined, declare(members));
    expect(e().count({ method: "POST", route: "member-roles" })).to.equal(1000);
    e().resetCounters();
    const changed = { ...members, [user(10)]: [...members[user(10)]!, role(5)], [user(20)]: [role(0)] };
    await up(s, declare(changed));
    expect(e().count({ method: "POST", route: "member-roles" })).to.equal(1);
    expect(e().count({ method: "DELETE", route: "member-roles" })).to.equal(1);
    // Validation reads only the two changing members and the one role gained (by ID), not the 1,000-member
    // organization nor the tenant's roles.
    expect(e().count({ method: "GET", route: "role" })).to.equal(1);
    expect(e().count({ method: "GET", route: "roles" })).to.equal(0);
    // One effective-roles read each: their direct roles for validation and create, and what a group grants
    // them for the preview; no member-roles read besides.
    expect(e().count({ method: "GET", route: "effective-roles" })).to.equal(2);
    expect(e().count({ method: "GET", route: "member-roles" })).to.equal(0);
    expect(e().apiCalls()).to.equal(5);
    expect(e().rolesOf(ORG, user(10))).to.include(role(5));
    expect(e().rolesOf(ORG, user(20))).to.deep.equal([role(0)]);
  });

  it("a member removed from the map: one DELETE of the roles declared for it, nothing else", async () => {
    e().setRolesOf(ORG, user(1), [role(7)]);
    const s = await up(undefined, declare({ [user(0)]: [role(1)], [user(1)]: [role(1), role(2)] }));
    e().resetCounters();
    await up(s, declare({ [user(0)]: [role(1)] }));
    const deletes = e().requests.filter((r) => r.method === "DELETE");
    expect(deletes).to.have.length(1);
    expect(deletes[0]!.body).to.deep.equal({ roles: [role(1), role(2)] });
    expect(e().writes()).to.equal(1);
    expect(e().rolesOf(ORG, user(1))).to.deep.equal([role(7)]);
  });

  it("refresh of 1,000 members: 10 listing calls, and one primary-store read per member it shows drifting; roles added and removed out of band appear as drift", async () => {
    const members = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [user(i), [role(1)]]));
    let s = await up(undefined, declare(members));
    e().setRolesOf(ORG, user(3), [role(1), role(8)]);
    e().setRolesOf(ORG, user(4), []);
    e().resetCounters();
    s = await refresh(s);
    expect(e().count({ route: "members" })).to.equal(10);
    expect(e().count({ route: "member-roles" })).to.equal(2);
    expect(s.outputs.members[user(3)]).to.deep.equal([role(1), role(8)]);
    expect(s.outputs.members[user(4)]).to.deep.equal([]);
    // What the resource owns of user 3 differs from what it holds now: stored apart from `members`.
    expect(s.outputs.declaredDiffers).to.deep.equal({ [user(3)]: [role(1)] });
    e().resetCounters();
    await up(s, declare(members));
    expect(e().writes()).to.equal(2);
    expect(e().rolesOf(ORG, user(3))).to.deep.equal([role(1)]);
    expect(e().rolesOf(ORG, user(4))).to.deep.equal([role(1)]);
  });

  it("refresh: a member who left the organization is drift, not a crash; the next up names them", async () => {
    let s = await up(undefined, declare({ [user(0)]: [role(1)], [user(1)]: [role(1)] }));
    e().tenant.members.get(ORG)!.delete(user(1));
    s = await refresh(s);
    expect(s.outputs.members).to.deep.equal({ [user(0)]: [role(1)] });
    const err = await up(s, declare({ [user(0)]: [role(1)], [user(1)]: [role(1)] })).catch((x: Error) => x);
    expect(String(err)).to.contain(user(1)).and.contain("not a member");
  });

  it("create reads up to 100 changing members from the primary store: a member the lagging listing hides is found and adopted", async () => {
    const members = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [user(i), [role(1)]]));
    e().tenant.members.get(ORG)!.delete(user(5));
    e().setFaults({ listingLagMs: 60_000 }); // the search index is a snapshot from now on, lagging one minute
    e().setRolesOf(ORG, user(5), [role(2)]); // joins with a role: the listing does not show them yet
    const s = await up(undefined, declare(members));
    // Each member once, from its effective roles (the primary store, as member-roles), not from the listing.
    expect(e().count({ method: "GET", route: "effective-roles" })).to.equal(10);
    expect(e().count({ method: "GET", route: "member-roles" })).to.equal(0);
    // The 9 with no role yet: an empty effective-roles answer does not prove membership, so the listing (one
    // call) does; user 5, hidden from it, proved it by a direct role.
    expect(e().count({ method: "GET", route: "members" })).to.equal(1);
    expect(
      e().requests.find((r) => r.method === "POST" && r.path.includes(encodeURIComponent(user(5))))?.body,
    ).to.deep.equal({
      roles: [role(1)],
    });
    expect(e().rolesOf(ORG, user(5))).to.deep.equal([role(1), role(2)]);
    expect(s.outputs.members[user(5)]).to.deep.equal([role(1)]);
    expect(s.outputs.tenantDiffers?.[user(5)]).to.deep.equal({ missing: [], extra: [role(2)] });
  });

  it("delete removes the declared roles; roles assigned outside stay", async () => {
    e().setRolesOf(ORG, user(0), [role(9)]);
    const s = await up(undefined, declare({ [user(0)]: [role(1)], [user(1)]: [role(2), role(3)] }));
    e().resetCounters();
    await destroy(s);
    expect(e().count({ method: "DELETE", route: "member-roles" })).to.equal(2);
    expect(e().rolesOf(ORG, user(0))).to.deep.equal([role(9)]);
    expect(e().rolesOf(ORG, user(1))).to.deep.equal([]);
  });

  it("changing organizationId replaces the resource", async () => {
    const s = await up(undefined, declare({ [user(0)]: [role(1)] }));
    const diff = await impl.diff(s.id, s.outputs, {
      organizationId: "org_other00000000001",
      members: s.outputs.members,
      mode: "authoritative",
    });
    expect(diff.changes).to.equal(true);
    expect(diff.replaces).to.deep.equal(["organizationId"]);
  });

  it("bad input fails check, naming the path, with no API call", async () => {
    e().resetCounters();
    const tooMany = Array.from({ length: 101 }, (_, i) => `rol_${String(i).padStart(16, "a")}`);
    const result = await impl.check(
      {},
      {
        organizationId: "acme",
        members: { "auth0|ok": ["rol_0000000000000001", "", "admin"], "": [], "auth0|cap": tooMany },
      },
    );
    const properties = (result.failures ?? []).map((f) => f.property);
    expect(properties).to.include("organizationId");
    expect(properties).to.include('members["auth0|ok"][1]');
    expect(properties).to.include('members["auth0|ok"][2]');
    const reasons = (result.failures ?? []).map((f) => f.reason).join("\n");
    expect(reasons).to.contain("must be a role ID like rol_");
    const cap = await impl.check({}, { organizationId: ORG, members: { "auth0|cap": tooMany } });
    expect(cap.failures?.[0]?.property).to.equal('members["auth0|cap"]');
    expect(cap.failures?.[0]?.reason).to.contain("101 roles");
    expect(e().count()).to.equal(0);
  });

  it("members failing among many (5xx past the retries): others applied, the state records what was applied, the next up converges", async () => {
    await configureFor(e(), { "orgMemberRoles:concurrency": "1" });
    const members = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [user(i), [role(1)]]));
    const s = await up(undefined, declare(members));
    const wanted = { ...members, [user(3)]: [role(1), role(3)], [user(4)]: [role(2)], [user(5)]: [role(5)] };
    // Validation (check) reads first; then the first member's writes fail past its retries.
    impl.startRun();
    const checked = await impl.check(s.outputs as unknown as Record<string, unknown>, declare(wanted));
    expect(checked.failures ?? []).to.deep.equal([]);
    e().setFaults({ failNext: { count: 6, status: 503 } });
    const err = await impl.update(s.id, s.outputs, checked.inputs).catch((x: Error) => x);
    e().setFaults({});
    expect(err).to.be.instanceOf(Error);
    expect(String(err)).to.contain("1 of 3 members failed").and.contain(user(3)).and.contain("503");
    const partial = (err as unknown as { properties: Stored["outputs"] }).properties;
    // The engine keeps the old inputs after a failed update, so `members` stays the old map and what was
    // applied is recorded as where the tenant differs from it. A 5xx may hide a write that landed: user 3 is
    // marked uncertain and read again by the next up.
    expect(partial.members).to.deep.equal(s.outputs.members);
    expect(partial.tenantDiffers).to.deep.equal({
      [user(3)]: { missing: [], extra: [], uncertain: true },
      [user(4)]: { missing: [role(1)], extra: [role(2)] },
      [user(5)]: { missing: [role(1)], extra: [role(5)] },
    });
    expect(e().rolesOf(ORG, user(4))).to.deep.equal([role(2)]);
    const converged = await up({ id: s.id, outputs: partial }, declare(wanted));
    for (const [u, roles] of Object.entries(wanted)) expect(e().rolesOf(ORG, u)).to.deep.equal(roles);
    expect(converged.outputs.tenantDiffers ?? {}).to.deep.equal({});
    await configureFor(e());
  });

  it("addMissingMembers: check lists who will join, up adds them (10 a request) before their roles, destroy keeps memberships", async () => {
    const newcomers = Array.from({ length: 12 }, (_, i) => user(900 + i));
    for (const u of newcomers) e().tenant.members.get(ORG)!.delete(u);
    const members = Object.fromEntries(newcomers.map((u) => [u, [role(1)]]));
    impl.startRun();
    const refused = await impl.check({}, declare(members));
    expect(refused.failures).to.have.length(12);
    expect(refused.failures![0]!.reason).to.contain("addMissingMembers");
    const planned = await impl.check({}, declare(members, { addMissingMembers: true }));
    expect((planned.inputs as { addedMembers: string[] }).addedMembers).to.deep.equal([...newcomers].sort());
    e().resetCounters();
    const s = await up(undefined, declare(members, { addMissingMembers: true }));
    expect(e().count({ method: "POST", route: "members" })).to.equal(2);
    expect(s.outputs.addedMembers).to.deep.equal([...newcomers].sort());
    for (const u of newcomers) expect(e().rolesOf(ORG, u)).to.deep.equal([role(1)]);
    await destroy(s);
    for (const u of newcomers) expect(e().rolesOf(ORG, u)).to.deep.equal([]); // still members, no roles
  });

  it("additive mode ensures declared roles and leaves others alone, also after a refresh", async () => {
    e().setRolesOf(ORG, user(0), [role(9)]);
    let s = await up(undefined, declare({ [user(0)]: [role(1)] }, { mode: "additive" }));
    s = await refresh(s);
    expect(s.outputs.members[user(0)]).to.deep.equal([role(1)]);
    e().resetCounters();
    const same = await up(s, declare({ [user(0)]: [role(1)] }, { mode: "additive" }));
    expect(e().count()).to.equal(0);
    await up(same, declare({ [user(0)]: [role(2)] }, { mode: "additive" }));
    expect(e().rolesOf(ORG, user(0))).to.deep.equal([role(2), role(9)]);
  });

  it("the provider stored in the state is one line with no secret and no path, and loads in a fresh process as the dynamic-provider host loads it", async () => {
    const text = PROVIDER_SOURCE;
    expect(text).not.to.contain(SECRET);
    expect(text).not.to.contain(process.cwd());
    expect(text).not.to.match(/\/work\/|\/home\/|\/root\//);
    expect(text.trim().split("\n")).to.have.length(1);
    const root = path.resolve(__dirname, "../../..");
    const script = `
      const provider = require("require-from-string")(process.env.PROVIDER_TEXT).handler();
      provider.check({}, { organizationId: "${ORG}", members: { "auth0|b": ["rol_0000000000000002", "rol_0000000000000001"] } })
        .then((r) => console.log(JSON.stringify(r.inputs.members)));`;
    const out = execFileSync(process.execPath, ["-e", script], {
      cwd: root,
      env: { ...process.env, PROVIDER_TEXT: text, ORG_MEMBER_ROLES_PREVIEW_VALIDATION: "false" },
    });
    expect(JSON.parse(out.toString())).to.deep.equal({
      "auth0|b": ["rol_0000000000000001", "rol_0000000000000002"],
    });
  });

  it("has its own type token", () => {
    expect(RESOURCE_TYPE_TOKEN).to.equal("pulumi-nodejs:dynamic/auth0:OrgMemberRoles");
  });

  it("preview: role IDs not known yet are skipped by validation (checked during up), known ones are checked", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    impl.startRun();
    e().resetCounters();
    const onlyUnknown = await impl.check({}, { organizationId: ORG, members: { [user(0)]: [unknown] } });
    expect(onlyUnknown.failures ?? []).to.deep.equal([]);
    expect(e().count({ route: "role" }) + e().count({ route: "roles" })).to.equal(0); // nothing to look up
    const mixed = await impl.check({}, { organizationId: ORG, members: { [user(0)]: [unknown, role(1)] } });
    expect(mixed.failures ?? []).to.deep.equal([]);
    expect(e().count({ route: "role" })).to.equal(1); // the one known role, by ID
    expect(e().count({ method: "GET", route: "effective-roles" })).to.equal(1); // read once this run
    // It holds no role: its membership is confirmed once, from member-roles (an empty effective answer proves none).
    expect(e().count({ method: "GET", route: "member-roles" })).to.equal(1);
  });

  it("an organization deleted from the tenant: refresh reports the resource gone", async () => {
    const s: Stored = await up(undefined, declare({ [user(0)]: [role(1)] }));
    const r = await impl.read(s.id, { ...s.outputs, organizationId: "org_gone000000000001" });
    expect(r.id).to.equal("");
  });
});
