/**
 * A changing member costs one read before `up` writes it: check reads its effective roles, which give both
 * the direct roles that validation and create need and what a group grants it, which the preview shows.
 * Where the tenant has no groups (the effective-roles endpoint answers a plain 404), the reads fall back to
 * the member-roles endpoint for the rest of the run, and the preview says group roles were not read.
 */
import { expect } from "chai";
import { DEFAULT_CLIENT, Emulator } from "../../emulator/server";
import { impl } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { HostileApi, json } from "../helpers/hostile-api";

describe("one read per changing member: effective roles serve validation, create and the preview", function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let api: HostileApi;
  const count = (suffix: string, method = "GET") =>
    api.requests.filter((r) => r.method === method && r.path.split("?")[0]!.endsWith(suffix)).length;

  beforeEach(async () => {
    emulator = await Emulator.start({ fixture: tenant(6, 4) });
    api = await HostileApi.start(emulator.url);
    await impl.configureWith({
      "auth0:domain": api.url,
      "auth0:clientId": DEFAULT_CLIENT.clientId,
      "auth0:clientSecret": DEFAULT_CLIENT.clientSecret,
      "auth0:audience": `${emulator.url}/api/v2/`,
    });
  });
  afterEach(async () => {
    await impl.configureWith({});
    await api.stop();
    await emulator.stop();
  });

  const inputs = (n: number) => ({
    organizationId: ORG,
    mode: "authoritative",
    members: Object.fromEntries(Array.from({ length: n }, (_, i) => [user(i), [role(1)]])),
  });

  it("first apply of 4 members: 4 effective-roles reads, no member-roles read, then 4 POSTs", async () => {
    impl.startRun();
    const checked = await impl.check({}, inputs(4));
    expect(checked.failures ?? []).to.deep.equal([]);
    await impl.create(checked.inputs as Record<string, unknown>);
    expect(count("/effective-roles")).to.equal(4);
    expect(count("/roles")).to.equal(0);
    expect(count("/roles", "POST")).to.equal(4);
    for (let i = 0; i < 4; i++) expect(emulator.rolesOf(ORG, user(i))).to.deep.equal([role(1)]);
  });

  it("groups off (plain 404 from effective-roles): reads fall back to member-roles, the preview says groups were not read, and create applies", async () => {
    api.misbehave((_req, res, url) => {
      if (!url.pathname.endsWith("/effective-roles")) return false;
      json(res, 404, { statusCode: 404, error: "Not Found", message: "Not Found" });
      return true;
    });
    impl.startRun();
    const checked = await impl.check({}, inputs(4));
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(checked.inputs["groupRolesUnread"]).to.match(/effective-roles endpoint with 404/);
    // Each member read from member-roles; the 404s are bounded by the reads already on the wire.
    expect(count("/roles")).to.equal(4);
    expect(count("/effective-roles")).to.be.within(1, 4);
    await impl.create(checked.inputs as Record<string, unknown>);
    expect(count("/roles")).to.equal(4);
    for (let i = 0; i < 4; i++) expect(emulator.rolesOf(ORG, user(i))).to.deep.equal([role(1)]);
  });

  it("a member who is not one is still named at preview when read through effective roles", async () => {
    emulator.tenant.members.get(ORG)!.delete(user(5));
    impl.startRun();
    const checked = await impl.check({}, inputs(6));
    expect((checked.failures ?? []).map((f) => f.reason).join("\n")).to.contain("not a member");
    expect(count("/roles")).to.equal(0);
  });

  it("a role whose source it does not know (a new label, or none): that member's direct roles are read from member-roles, so the state records every one", async () => {
    emulator.setRolesOf(ORG, user(0), [role(3)]);
    api.misbehave((req, res, url) => {
      if (req.method !== "GET" || !url.pathname.endsWith(`${encodeURIComponent(user(0))}/effective-roles`))
        return false;
      json(res, 200, { roles: [{ id: role(3), sources: ["organization"] }] });
      return true;
    });
    impl.startRun();
    const checked = await impl.check({}, inputs(2));
    expect(checked.failures ?? []).to.deep.equal([]);
    const made = await impl.create(checked.inputs as Record<string, unknown>);
    expect(count(`${encodeURIComponent(user(0))}/roles`)).to.equal(1);
    // user 1 holds no role: its empty effective answer does not prove membership; member-roles does.
    expect(count(`${encodeURIComponent(user(1))}/roles`)).to.equal(1);
    const outs = made.outs as { tenantDiffers?: Record<string, unknown> };
    expect(outs.tenantDiffers?.[user(0)]).to.deep.equal({ missing: [], extra: [role(3)] });
  });

  it("a member holding a role whose effective roles answer empty (a lagging index): the membership read's roles are recorded, not the empty answer", async () => {
    // Found by a break-it run: the read that proves membership read the role, and it was thrown away.
    emulator.setRolesOf(ORG, user(0), [role(3)]);
    api.misbehave((req, res, url) => {
      if (req.method !== "GET" || !url.pathname.endsWith(`${encodeURIComponent(user(0))}/effective-roles`))
        return false;
      json(res, 200, { roles: [] });
      return true;
    });
    impl.startRun();
    const checked = await impl.check({}, inputs(1));
    expect(checked.failures ?? []).to.deep.equal([]);
    const made = await impl.create(checked.inputs as Record<string, unknown>);
    const outs = made.outs as { tenantDiffers?: Record<string, unknown> };
    // The tenant held role 3 before the create; the declaration is role 1 (authoritative: role 3 is extra).
    expect(outs.tenantDiffers?.[user(0)]).to.deep.equal({ missing: [], extra: [role(3)] });
    expect(emulator.rolesOf(ORG, user(0))).to.include(role(1));
  });
});
