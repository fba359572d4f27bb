/**
 * A read older than a write of the same run is stale (issue 23, case 4). The engine checks a resource whose
 * inputs wait on another resource's output late: its `check` may read a member while another resource's
 * DELETE of that member is on the wire, and its `create` then used that cached read, skipped the POST and
 * recorded a role the tenant no longer held. The interleaving is forced here with a proxy in front of the
 * emulator that holds the DELETE until the read has been answered, and the read's answer until the DELETE's
 * resource has finished.
 */
import { type IncomingMessage, request, type ServerResponse } from "node:http";
import { expect } from "chai";
import { DEFAULT_CLIENT, Emulator } from "../../emulator/server";
import { impl } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { HostileApi } from "../helpers/hostile-api";

const ADA = user(0);
const GRACE = user(1);
const ADMIN = role(1);
const BILLING = role(2);
const ADA_ROLES = `/api/v2/organizations/${ORG}/members/${encodeURIComponent(ADA)}/roles`;
/** Check reads a changing member from here (direct and group-held roles in one call). */
const ADA_EFFECTIVE = `/api/v2/organizations/${ORG}/members/${encodeURIComponent(ADA)}/effective-roles`;

/** A promise and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("reads kept past another resource's write in the same run", function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let api: HostileApi;

  before(async () => {
    emulator = await Emulator.start({ fixture: tenant(4, 4) });
    api = await HostileApi.start(emulator.url);
  });
  after(async () => {
    await impl.configureWith({});
    await api.stop();
    await emulator.stop();
  });

  it("a member read by a late check while another resource's DELETE of it is in flight is read again before create skips a POST", async () => {
    await impl.configureWith({
      "auth0:domain": api.url,
      "auth0:clientId": DEFAULT_CLIENT.clientId,
      "auth0:clientSecret": DEFAULT_CLIENT.clientSecret,
      "auth0:audience": `${emulator.url}/api/v2/`,
    });
    const old = {
      organizationId: ORG,
      mode: "authoritative",
      members: { [ADA]: [ADMIN], [GRACE]: [BILLING] },
    };
    impl.startRun();
    const first = await impl.check({}, old);
    const created = await impl.create(first.inputs as Record<string, unknown>);

    // The next run: Ada moves from "old" to "new"; "new" is checked only after "old" has started writing.
    impl.startRun();
    const deleteArrived = latch();
    const readAnswered = latch();
    const oldDone = latch();
    let heldRead = false;
    let deleteSeen = false;
    api.misbehave((req, res, url) => {
      if (url.pathname !== ADA_ROLES && url.pathname !== ADA_EFFECTIVE) return false;
      if (req.method === "DELETE" && url.pathname === ADA_ROLES) {
        deleteSeen = true;
        deleteArrived.open();
        const body = bodyOf(req);
        // Bounded: a late check that sends no read (it trusted the old resource's read of Ada, from its own
        // check) must fail the assertions below, not hang the test.
        const orLater = new Promise<void>((resolve) => setTimeout(resolve, 3000));
        void Promise.race([readAnswered.promise, orLater]).then(() => forward(emulator.url, req, body, res));
        return true;
      }
      // The late check's read (the old resource's own check reads Ada too, as a member it drops).
      if (req.method === "GET" && !heldRead && deleteSeen) {
        heldRead = true;
        void forward(emulator.url, req, bodyOf(req), res, async () => {
          readAnswered.open();
          await oldDone.promise;
        });
        return true;
      }
      return false;
    });
    const newsOld = { organizationId: ORG, mode: "authoritative", members: { [GRACE]: [BILLING] } };
    const checkedOld = await impl.check(old, newsOld);
    const updating = impl.update(created.id, created.outs, checkedOld.inputs as Record<string, unknown>);
    await deleteArrived.promise;
    const newInputs = { organizationId: ORG, mode: "authoritative", members: { [ADA]: [ADMIN] } };
    const checking = impl.check({}, newInputs);
    await updating;
    oldDone.open();
    const checkedNew = await checking;
    expect(checkedNew.failures ?? []).to.deep.equal([]);
    const made = await impl.create(checkedNew.inputs as Record<string, unknown>);

    expect(emulator.rolesOf(ORG, ADA), "Ada's role, as the new resource declares").to.deep.equal([ADMIN]);
    expect((made.outs as { members: Record<string, string[]> }).members[ADA]).to.deep.equal([ADMIN]);
  });
});

/** The body of `req`, collected from now on (the proxy discards what nobody listens to). */
function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Sends `req` on to `upstream` and its answer back to `res`; `beforeAnswer` runs once the upstream answered
 * and before the client gets the answer.
 */
async function forward(
  upstream: string,
  req: IncomingMessage,
  body: Promise<Buffer>,
  res: ServerResponse,
  beforeAnswer: () => Promise<void> = async () => {},
): Promise<void> {
  const sent = await body;
  const target = new URL(req.url ?? "/", upstream);
  const { status, headers, answer } = await new Promise<{
    status: number;
    headers: IncomingMessage["headers"];
    answer: Buffer;
  }>((resolve, reject) => {
    const out = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (a) => {
        const chunks: Buffer[] = [];
        a.on("data", (c: Buffer) => chunks.push(c));
        a.on("end", () =>
          resolve({ status: a.statusCode ?? 502, headers: a.headers, answer: Buffer.concat(chunks) }),
        );
      },
    );
    out.on("error", reject);
    out.end(sent);
  });
  await beforeAnswer();
  res.writeHead(status, headers);
  res.end(answer);
}
