import { expect } from "chai";
import fc from "fast-check";
import { request } from "undici";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { startEmulator } from "../helpers/emulator";

describe("emulator under arbitrary and malformed requests (fast-check)", function () {
  this.timeout(60_000);
  const ctx = startEmulator(loadFixture(DEFAULT_SEED_PATH));

  it("never crashes: every answer is JSON in the API's envelope (or 204), and it keeps serving", async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        "api",
        "v2",
        "organizations",
        "org_acme000000000001",
        "members",
        "roles",
        "oauth",
        "token",
        "%7C",
        "%",
        "..",
      ),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const path = fc.array(segment, { minLength: 0, maxLength: 7 }).map((s) => `/${s.join("/")}`);
    const query = fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 30 }).map((q) => `?${encodeURIComponent(q)}`),
      fc.constantFrom("?per_page=-1", "?take=1000", "?from=%%%", "?page=abc&include_totals=true"),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom('{"roles":[]}', '{"roles":"x"}', '{"members":[1,2]}', "{", "null", "[]"),
    );
    const method = fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH");
    const auth = fc.constantFrom("none", "valid", "garbage");
    await fc.assert(
      fc.asyncProperty(method, path, query, body, auth, fc.boolean(), async (m, p, q, b, a, form) => {
        const headers: Record<string, string> = {};
        if (a === "valid") headers["authorization"] = `Bearer ${ctx.emulator.issueToken()}`;
        if (a === "garbage") headers["authorization"] = "Bearer x.y.z";
        if (b !== undefined)
          headers["content-type"] = form ? "application/x-www-form-urlencoded" : "application/json";
        const res = await request(`${ctx.emulator.url}${p}${q}`, {
          method: m as "GET",
          headers,
          body: b ?? null,
        });
        const text = await res.body.text();
        expect(res.statusCode).to.be.within(200, 599);
        if (res.statusCode === 204) {
          expect(text).to.equal("");
          return;
        }
        const json = JSON.parse(text) as Record<string, unknown>;
        if (res.statusCode >= 400 && !p.startsWith("/oauth")) {
          expect(json).to.include.keys("statusCode", "error", "message");
          expect(json["statusCode"]).to.equal(res.statusCode);
        }
        expect(res.statusCode).not.to.equal(500);
      }),
      { numRuns: 1000 },
    );
    const alive = await request(`${ctx.emulator.url}/api/v2/roles`, {
      headers: { authorization: `Bearer ${ctx.emulator.issueToken()}` },
    });
    expect(alive.statusCode).to.equal(200);
    await alive.body.text();
  });
});
