/**
 * Several provider processes on one tenant (the shard stacks of a pipeline's matrix): Auth0's buckets, and
 * so `x-ratelimit-remaining`, are tenant-wide, and the emulator's are too. Each process here is a real
 * Node process with its own ManagementClient at the provider's defaults (8 requests in flight, 50 retries
 * a minute), on Auth0's Enterprise buckets time-compressed 60×, writing to its own organization.
 */
import { execFile } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { RATE_LIMIT_PROFILES } from "../../emulator/buckets";
import { DEFAULT_CLIENT, Emulator } from "../../emulator/server";
import type { TenantFixture } from "../../emulator/tenant";
import { scaledClock } from "../../src/clock";

const run = promisify(execFile);
const SCALE = 60;
const ROLE = "rol_sharedbucket0001";
const orgId = (p: number) => `org_sharedbucket${String(p).padStart(4, "0")}`;
const userId = (p: number, j: number) => `auth0|shared${p}x${String(j).padStart(6, "0")}`;

function fixture(processes: number, perProcess: number): TenantFixture {
  const organizations = Array.from({ length: processes }, (_, p) => ({
    id: orgId(p),
    name: `o${p}`,
    display_name: `O ${p}`,
  }));
  const users = organizations.flatMap((_, p) =>
    Array.from({ length: perProcess }, (_, j) => ({
      user_id: userId(p, j),
      email: `s${p}x${j}@example.com`,
      name: `S ${p} ${j}`,
    })),
  );
  const members = Object.fromEntries(
    organizations.map((o, p) => [
      o.id,
      Object.fromEntries(Array.from({ length: perProcess }, (_, j) => [userId(p, j), []])),
    ]),
  );
  return { organizations, users, roles: [{ id: ROLE, name: "shared" }], members };
}

interface WorkerResult {
  ok: number;
  failures: string[];
  stats: { requests: number; retries: number; rateLimited: number };
}

/** A proxy in front of `upstream` that removes every `x-ratelimit-*` header from the answers, as some do. */
async function strippingProxy(upstream: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const forwarded = request(
      new URL(req.url ?? "/", upstream),
      { method: req.method, headers: req.headers },
      (answer) => {
        const headers = { ...answer.headers };
        for (const k of Object.keys(headers)) if (k.startsWith("x-ratelimit")) delete headers[k];
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function sharedRun(processes: number, perProcess: number, options: { stripHeaders?: boolean } = {}) {
  const origin = Date.now();
  const emulator = await Emulator.start({
    fixture: fixture(processes, perProcess),
    rateLimits: RATE_LIMIT_PROFILES.enterprise,
    clock: scaledClock(SCALE, origin),
  });
  const proxy = options.stripHeaders ? await strippingProxy(emulator.url) : undefined;
  try {
    const worker = path.join(__dirname, "../helpers/shared-bucket-worker.js");
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: processes }, async (_, p) => {
        const input = {
          url: proxy?.url ?? emulator.url,
          audience: `${emulator.url}/api/v2/`,
          clientId: DEFAULT_CLIENT.clientId,
          clientSecret: DEFAULT_CLIENT.clientSecret,
          organizationId: orgId(p),
          users: Array.from({ length: perProcess }, (_, j) => userId(p, j)),
          roleId: ROLE,
          scale: SCALE,
          origin,
        };
        const { stdout } = await run(process.execPath, [worker], {
          env: { ...process.env, WORKER: JSON.stringify(input) },
        });
        return JSON.parse(stdout) as WorkerResult;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const posts = emulator.count({ method: "POST", route: "member-roles" });
    const rateLimited = emulator.count({ status: 429 });
    let held = 0;
    for (let p = 0; p < processes; p++)
      for (let j = 0; j < perProcess; j++)
        if (emulator.rolesOf(orgId(p), userId(p, j))?.includes(ROLE)) held++;
    return { results, seconds, posts, rateLimited, held };
  } finally {
    await proxy?.stop();
    await emulator.stop();
  }
}

describe("several provider processes sharing the tenant's buckets", function () {
  this.timeout(120_000);

  for (const processes of [1, 4, 8])
    it(`${processes} process(es) × 150 writes: every write lands, no process exhausts its retry budget, and probes spread past the reset`, async () => {
      const perProcess = 150;
      const r = await sharedRun(processes, perProcess);
      const failures = r.results.flatMap((x) => x.failures);
      console.log(
        `      ${processes} processes: ${r.posts} POSTs, ${r.rateLimited} answered 429, ${r.seconds.toFixed(1)} s; retries per process ${r.results.map((x) => x.stats.retries).join(", ")}`,
      );
      expect(failures, failures.slice(0, 3).join("\n")).to.deep.equal([]);
      expect(r.held).to.equal(processes * perProcess);
      // No process ran out of its retry budget (50 a minute): that is what would fail a run, and `failures`
      // above would name it. Times and retry rates are printed, not asserted: this machine is shared and noisy
      // (a timed bound here failed under load); bench/many-orgs.ts measures the wall against the bound.
      // Pacing for a shared bucket (src/client/rate-limit.ts): with every process waking at the same
      // whole-second reset, 8 processes saw 42 to 47% of their calls answered 429 here; with the spread after a
      // 429 alone, 18.5% (4 processes) and 29% (8); with a share of `remaining`, one blind request per group and
      // a spread of every wait, 4 to 9% and 10 to 18% (2026-12-07, 9 runs, loaded machine).
      expect(r.rateLimited / r.posts).to.be.below(processes <= 4 ? 0.15 : 0.25);
    });

  it("1 process × 400 writes behind a proxy that strips x-ratelimit-*: every write lands (a 429 without a usable reset pauses the whole group, not one request)", async () => {
    // Before: the other requests kept sending into the empty bucket and each 429 spent a retry, so the budget
    // (50 a minute) ran out: 17 to 69 of 150 writes failed in each of 6 runs (break-it finding, 2026-12-07).
    const r = await sharedRun(1, 400, { stripHeaders: true });
    const failures = r.results.flatMap((x) => x.failures);
    console.log(
      `      headers stripped: ${r.posts} POSTs, ${r.rateLimited} answered 429, ${r.seconds.toFixed(1)} s`,
    );
    expect(failures, failures.slice(0, 3).join("\n")).to.deep.equal([]);
    expect(r.held).to.equal(400);
    // The group pauses together: 0.5 to 3% of calls answered 429 here, against 17 to 26% (and a run in three
    // failing) when only the refused request waited.
    expect(r.rateLimited / r.posts).to.be.below(0.1);
  });
});
