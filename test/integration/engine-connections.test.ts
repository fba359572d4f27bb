/**
 * Why a real-engine test once lost resources or failed with `14 UNAVAILABLE: No connection established`
 * (issue 37), reproduced with the SDK's own gRPC clients and two real gRPC servers standing in for two
 * engines that the OS gave the same port: a client the SDK leaves open after its run keeps retrying its dead
 * engine, and a later run's new client to that port shares its failed connection (grpc-js pools connections
 * by address across the process). scripts/engine.ts `isolateEngineConnections` gives each client a pool of
 * its own. The control case pins the SDK's behaviour: when a release closes its clients or stops sharing,
 * it fails, and the isolation can go.
 */
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { isolateEngineConnections } from "../../scripts/engine";

// The SDK's generated gRPC code and options, as its runtime loads them (not in its declarations).
const services = require("@pulumi/pulumi/proto/resource_grpc_pb") as {
  ResourceMonitorService: grpc.ServiceDefinition;
  ResourceMonitorClient: new (
    address: string,
    credentials: grpc.ChannelCredentials,
    options?: object,
  ) => grpc.Client;
};
const messages = require("@pulumi/pulumi/proto/resource_pb") as {
  SupportsFeatureRequest: new () => { setId(id: string): unknown };
  SupportsFeatureResponse: new () => { setHassupport(v: boolean): unknown };
};
const settings = require("@pulumi/pulumi/runtime/settings") as {
  grpcChannelOptions: Record<string, unknown>;
  grpcClientOptions: Record<string, unknown>;
};

/** A resource monitor that answers one call, on `port` (0: any). */
function engine(port: number): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  server.addService(services.ResourceMonitorService, {
    supportsFeature: (_call: unknown, done: (e: null, r: unknown) => void) => {
      const answer = new messages.SupportsFeatureResponse();
      answer.setHassupport(true);
      done(null, answer);
    },
  });
  return new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve({ server, port: bound }),
    ),
  );
}

/** "ok", or the failure's code and details. */
function ask(client: grpc.Client): Promise<string> {
  const request = new messages.SupportsFeatureRequest();
  request.setId("secrets");
  return new Promise((resolve) =>
    (
      client as unknown as {
        supportsFeature: (r: unknown, cb: (e: grpc.ServiceError | null) => void) => void;
      }
    ).supportsFeature(request, (err) => resolve(err ? `${err.code} ${err.details}` : "ok")),
  );
}

describe("in-process engine runs: a run's gRPC client never meets an earlier run's dead connection (issue 37)", () => {
  const clients: grpc.Client[] = [];
  const servers: grpc.Server[] = [];
  const client = (port: number, options: object) => {
    const c = new services.ResourceMonitorClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
      options,
    );
    clients.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) s.forceShutdown();
  });

  /** Run 1's engine on a port, its client left open after the engine exited and retrying it; run 2's engine on that port. */
  async function portReused(): Promise<number> {
    const first = await engine(0);
    const leaked = client(first.port, { ...settings.grpcChannelOptions });
    expect(await ask(leaked)).to.equal("ok");
    first.server.forceShutdown();
    expect(await ask(leaked)).to.match(/^14 /);
    servers.push((await engine(first.port)).server);
    return first.port;
  }

  it("with the SDK's default options, run 2's new client fails at once: 14 UNAVAILABLE, No connection established", async () => {
    const port = await portReused();
    expect(await ask(client(port, { ...settings.grpcChannelOptions }))).to.match(
      /^14 No connection established/,
    );
  });

  it("with isolateEngineConnections (every stack the tests and the main job open), run 2's client reaches its engine", async () => {
    isolateEngineConnections();
    expect(settings.grpcClientOptions["grpc.use_local_subchannel_pool"]).to.equal(1);
    const port = await portReused();
    expect(await ask(client(port, settings.grpcClientOptions))).to.equal("ok");
  });
});
