import { ManagementClient as Auth0Sdk } from "auth0";
import { expect } from "chai";
import { request } from "undici";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { startEmulator } from "../helpers/emulator";
import {
  ACME,
  ACME_OPS,
  ACME_VIEWER,
  ADA,
  DEVELOPER,
  ENGINEERING,
  GLOBEX,
  GLOBEX_OPS,
  GRACE,
  VIEWER,
  withOrgRoles,
} from "../helpers/org-roles-fixture";

const org = (id: string) => `/api/v2/organizations/${encodeURIComponent(id)}`;
const member = (o: string, u: string) => `${org(o)}/members/${encodeURIComponent(u)}`;

describe("emulator: organization roles, groups and effective roles (real HTTP)", () => {
  const ctx = startEmulator(withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  let token: string;

  async function call(method: string, path: string, body?: unknown) {
    const res = await request(`${ctx.emulator.url}${path}`, {
      method: method as "GET",
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
  }

  beforeEach(() => {
    ctx.emulator.reset();
    token = ctx.emulator.issueToken();
  });

  describe("GET /roles", () => {
    it("gives every role its type, and owner_id to organization roles only", async () => {
      const res = await call("GET", "/api/v2/roles?per_page=100");
      const byId = new Map(res.json.map((r: { id: string }) => [r.id, r]));
      expect(byId.get(VIEWER)).to.deep.include({ type: "tenant" }).and.not.have.property("owner_id");
      expect(byId.get(ACME_OPS)).to.deep.include({ type: "organization", owner_id: ACME });
    });
    it("filters on type=organization and owner_id", async () => {
      const res = await call("GET", `/api/v2/roles?type=organization&owner_id=${ACME}`);
      expect(res.json.map((r: { id: string }) => r.id).sort()).to.deep.equal([ACME_OPS, ACME_VIEWER]);
    });
    it("filters on type=tenant, leaving organization roles out", async () => {
      const res = await call("GET", "/api/v2/roles?type=tenant&name_filter=viewer");
      expect(res.json.map((r: { id: string }) => r.id)).to.deep.equal([VIEWER]);
    });
    it("answers 400 invalid_query_string for type=organization without owner_id, and for an unknown type", async () => {
      for (const q of ["type=organization", "type=global"]) {
        const res = await call("GET", `/api/v2/roles?${q}`);
        expect(res.status, q).to.equal(400);
        expect(res.json.errorCode).to.equal("invalid_query_string");
      }
    });
  });

  describe("member roles with organization roles", () => {
    it("assigns an organization's own role to its member (204)", async () => {
      expect((await call("POST", `${member(ACME, GRACE)}/roles`, { roles: [ACME_OPS] })).status).to.equal(
        204,
      );
      const roles = await call("GET", `${member(ACME, GRACE)}/roles`);
      expect(roles.json).to.deep.equal([{ id: ACME_OPS, name: "ops", description: "Acme operations" }]);
    });
    it("refuses a role owned by another organization with 400 invalid_body naming it and its owner, changing nothing", async () => {
      const res = await call("POST", `${member(ACME, GRACE)}/roles`, { roles: [VIEWER, GLOBEX_OPS] });
      expect(res.status).to.equal(400);
      expect(res.json.errorCode).to.equal("invalid_body");
      expect(res.json.message).to.contain(GLOBEX_OPS).and.contain(GLOBEX);
      expect((await call("GET", `${member(ACME, GRACE)}/roles`)).json).to.deep.equal([]);
    });
  });

  describe("organization groups", () => {
    it("lists the organization's groups by checkpoint", async () => {
      const res = await call("GET", `${org(ACME)}/groups`);
      expect(res.json).to.deep.equal({ groups: [{ id: ENGINEERING, name: "engineering" }] });
      expect((await call("GET", `${org(GLOBEX)}/groups`)).json).to.deep.equal({ groups: [] });
    });
    it("assigns and removes a group's roles (204), and lists them with type", async () => {
      const path = `${org(ACME)}/groups/${ENGINEERING}/roles`;
      expect((await call("POST", path, { roles: [ACME_OPS] })).status).to.equal(204);
      const listed = await call("GET", path);
      expect(listed.json.roles.map((r: { id: string }) => r.id)).to.deep.equal([DEVELOPER, ACME_OPS]);
      expect(listed.json.roles[1]).to.deep.include({ type: "organization", owner_id: ACME });
      expect((await call("DELETE", path, { roles: [DEVELOPER] })).status).to.equal(204);
      expect((await call("GET", path)).json.roles.map((r: { id: string }) => r.id)).to.deep.equal([ACME_OPS]);
    });
    it("counts a group's role writes among the tenant's writes (the benches count writes through it)", async () => {
      const path = `${org(ACME)}/groups/${ENGINEERING}/roles`;
      await call("POST", path, { roles: [ACME_OPS] });
      await call("DELETE", path, { roles: [ACME_OPS] });
      await call("GET", path);
      expect(ctx.emulator.writes()).to.equal(2);
    });
    it("answers 404 for an unknown group and for an unknown organization", async () => {
      const unknownGroup = await call("GET", `${org(ACME)}/groups/grp_nosuchgroup00001/roles`);
      expect(unknownGroup.status).to.equal(404);
      expect(unknownGroup.json.message).to.equal("Group not found.");
      const unknownOrg = await call("POST", `${org("org_nosuch0000000001")}/groups/${ENGINEERING}/roles`, {
        roles: [VIEWER],
      });
      expect(unknownOrg.status).to.equal(404);
      // The group operations document "Organization not found." (OpenAPI description; no recorded traffic).
      expect(unknownOrg.json.message).to.equal("Organization not found.");
    });
    it("refuses another organization's role for a group with 400 invalid_body", async () => {
      const res = await call("POST", `${org(ACME)}/groups/${ENGINEERING}/roles`, { roles: [GLOBEX_OPS] });
      expect(res.status).to.equal(400);
      expect(res.json.message).to.contain(GLOBEX_OPS);
    });
  });

  describe("a group's members (GET /groups/{id}/members)", () => {
    const path = `/api/v2/groups/${ENGINEERING}/members`;
    // Three users in the group, in user ID order (the fixture has ADA only; these two are added here).
    const ZED = "auth0|zzzzzzzzzzzzzzzzzzzzzzzz";
    const inGroup = [ADA, GRACE, ZED];
    beforeEach(() => {
      const g = ctx.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!;
      g.members.add(GRACE);
      g.members.add(ZED);
    });

    it("pages by checkpoint: `take` a page, `next` while members remain, none on the last page", async () => {
      const first = await call("GET", `${path}?take=2`);
      expect(first.status).to.equal(200);
      expect(first.json.members).to.deep.equal([
        { id: ADA, member_type: "user" },
        { id: GRACE, member_type: "user" },
      ]);
      expect(first.json.next).to.be.a("string");
      const second = await call("GET", `${path}?take=2&from=${encodeURIComponent(first.json.next)}`);
      expect(second.json).to.deep.equal({ members: [{ id: ZED, member_type: "user" }] });
      // Default page: 50, so all three at once.
      expect((await call("GET", path)).json.members.map((m: { id: string }) => m.id)).to.deep.equal(inGroup);
    });

    it("refuses take past 100 (400), an unknown group (404), and a token without read:group_members (403)", async () => {
      expect((await call("GET", `${path}?take=101`)).status).to.equal(400);
      expect((await call("GET", "/api/v2/groups/grp_nosuchgroup00001/members")).status).to.equal(404);
      token = ctx.emulator.issueToken(["read:organization_groups", "read:organization_group_roles"]);
      const refused = await call("GET", path);
      expect(refused.status).to.equal(403);
      expect(refused.json.message).to.contain("read:group_members");
    });

    it("is counted under its own route, apart from the organization members listing", async () => {
      ctx.emulator.resetCounters();
      await call("GET", path);
      expect(ctx.emulator.count({ method: "GET", route: "group-members" })).to.equal(1);
      expect(ctx.emulator.count({ method: "GET", route: "members" })).to.equal(0);
    });

    it("reads to the end through the official SDK's pager (npm auth0 7.1.0), one page of one at a time", async () => {
      const client = new Auth0Sdk({
        domain: "tenant.example",
        token,
        fetch: (url: string | URL | Request, init?: RequestInit) =>
          fetch(String(url).replace("https://tenant.example", ctx.emulator.url), init),
      });
      const ids: string[] = [];
      for await (const m of await client.groups.members.get(ENGINEERING, { take: 1 })) ids.push(m.id!);
      expect(ids).to.deep.equal(inGroup);
    });
  });

  describe("effective roles", () => {
    it("keeps group grants out of the member-roles read and lists them under effective-roles with sources", async () => {
      await call("POST", `${member(ACME, ADA)}/roles`, { roles: [VIEWER, DEVELOPER] });
      await call("DELETE", `${member(ACME, ADA)}/roles`, { roles: [DEVELOPER] });
      expect(
        (await call("GET", `${member(ACME, ADA)}/roles`)).json.map((r: { id: string }) => r.id),
      ).to.deep.equal([VIEWER]);
      const effective = await call("GET", `${member(ACME, ADA)}/effective-roles`);
      expect(
        effective.json.roles.map((r: { id: string; sources: string[] }) => [r.id, r.sources]),
      ).to.deep.equal([
        [DEVELOPER, ["groups"]],
        [VIEWER, ["direct"]],
      ]);
    });
    it("gives both sources to a role held directly and through a group", async () => {
      await call("POST", `${member(ACME, ADA)}/roles`, { roles: [DEVELOPER] });
      const effective = await call("GET", `${member(ACME, ADA)}/effective-roles`);
      expect(effective.json.roles).to.deep.equal([
        {
          id: DEVELOPER,
          name: "developer",
          description: "Deploy and manage applications",
          sources: ["direct", "groups"],
        },
      ]);
    });
    it("pages effective roles by checkpoint: next while roles remain, none on the last page", async () => {
      await call("POST", `${member(ACME, ADA)}/roles`, { roles: [VIEWER, ACME_OPS] });
      const first = await call("GET", `${member(ACME, ADA)}/effective-roles?take=2`);
      expect(first.json.roles).to.have.length(2);
      const second = await call("GET", `${member(ACME, ADA)}/effective-roles?take=2&from=${first.json.next}`);
      expect(second.json.roles).to.have.length(1);
      expect(second.json).to.not.have.property("next");
    });
    it("answers the member-roles 404s: a user who is not a member", async () => {
      const res = await call("GET", `${member(GLOBEX, ADA)}/effective-roles`);
      expect(res.status).to.equal(404);
      expect(res.json.message).to.equal("User is not a member of this organization");
    });
  });

  describe("driven by the official SDK (npm auth0 7.1.0)", () => {
    // The SDK builds https://{domain}; its `fetch` option sends the same requests to the emulator instead.
    const sdk = () =>
      new Auth0Sdk({
        domain: "tenant.example",
        token,
        fetch: (url: string | URL | Request, init?: RequestInit) =>
          fetch(String(url).replace("https://tenant.example", ctx.emulator.url), init),
      });

    it("reads roles with type/owner_id, group roles and effective roles in the SDK's own types", async () => {
      const client = sdk();
      const roles = await client.roles.list({ type: "organization", owner_id: ACME, per_page: 100 });
      expect(roles.data.map((r) => r.id).sort()).to.deep.equal([ACME_OPS, ACME_VIEWER]);
      expect((await client.roles.get(ACME_OPS)).owner_id).to.equal(ACME);
      const groups = await client.organizations.groups.list(ACME);
      expect(groups.data.map((g) => g.id)).to.deep.equal([ENGINEERING]);
      await client.organizations.groups.roles.create(ACME, ENGINEERING, { roles: [ACME_OPS] });
      const groupRoles = await client.organizations.groups.roles.list(ACME, ENGINEERING);
      expect(groupRoles.data.map((r) => r.id)).to.deep.equal([DEVELOPER, ACME_OPS]);
      const effective = await client.organizations.members.effectiveRoles.list(ACME, ADA);
      expect(effective.data.map((r) => [r.id, r.sources])).to.deep.equal([
        [DEVELOPER, ["groups"]],
        [ACME_OPS, ["groups"]],
      ]);
    });

    it("surfaces the emulator's refusals as the SDK's typed errors", async () => {
      const client = sdk();
      const foreign = await client.organizations.members.roles
        .assign(ACME, GRACE, { roles: [GLOBEX_OPS] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(foreign).to.have.property("statusCode", 400);
      const unknownGroup = await client.organizations.groups.roles.list(ACME, "grp_nosuchgroup00001").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(unknownGroup).to.have.property("statusCode", 404);
      expect((unknownGroup as Error).constructor.name).to.equal("NotFoundError");
    });
  });
});
