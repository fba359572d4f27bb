import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * Answers one request the hostile way, or returns false to pass it on (to the upstream emulator, if any,
 * else 404).
 */
export type Misbehaviour = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/**
 * A real HTTP server on loopback, port 0, that misbehaves as a test tells it to, and forwards everything else
 * to an upstream (the emulator), so the provider's other calls see a faithful tenant behind it.
 *
 * @example
 * const api = await HostileApi.start(emulator.url);
 * api.misbehave((req, res, url) => url.pathname.endsWith("/roles") && (tooManyRequests(res, {...}), true));
 */
export class HostileApi {
  /** Every request received, in order: method and path with query. */
  readonly requests: Array<{ method: string; path: string }> = [];
  private misbehaviour: Misbehaviour = () => false;
  private decoration: (url: URL) => Record<string, string> = () => ({});
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly upstream: string | undefined,
  ) {}

  static async start(upstream?: string): Promise<HostileApi> {
    let api: HostileApi | undefined;
    const server = createServer((req, res) => api!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    api = new HostileApi(server, `http://127.0.0.1:${port}`, upstream);
    server.on("connection", (socket) => {
      api!.sockets.add(socket);
      socket.on("close", () => api!.sockets.delete(socket));
    });
    return api;
  }

  misbehave(misbehaviour: Misbehaviour): void {
    this.misbehaviour = misbehaviour;
  }

  /** Headers added to every forwarded answer (e.g. `x-ratelimit-*` values that cannot be right). */
  decorate(decoration: (url: URL) => Record<string, string>): void {
    this.decoration = decoration;
  }

  /** Requests whose path starts with `prefix` (and method, if given). */
  count(prefix: string, method?: string): number {
    return this.requests.filter((r) => r.path.startsWith(prefix) && (!method || r.method === method)).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.misbehaviour = () => false;
    this.decoration = () => ({});
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    this.requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}` });
    res.on("error", () => {});
    if (this.misbehaviour(req, res, url)) {
      req.resume();
      return;
    }
    if (!this.upstream) {
      json(res, 404, { statusCode: 404, error: "Not Found", message: "Not Found" });
      req.resume();
      return;
    }
    const target = new URL(req.url ?? "/", this.upstream);
    const { host: _host, ...headers } = req.headers;
    const out = forward(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...this.decoration(url) });
      answer.pipe(res);
    });
    out.on("error", () => res.destroy());
    req.pipe(out);
  }
}

/** Writes a JSON answer. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Auth0's documented 429, with the `x-ratelimit-*` (and any other) headers given. */
export function tooManyRequests(res: ServerResponse, headers: Record<string, string>): void {
  json(
    res,
    429,
    {
      statusCode: 429,
      error: "Too Many Requests",
      message: "Global limit has been reached",
      errorCode: "too_many_requests",
    },
    headers,
  );
}

/** Sends the headers at once, then `body` one byte every `everyMs`: a body that is never idle but never done. */
export function trickle(res: ServerResponse, body: string, everyMs: number): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || i >= body.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body[i++]);
  }, everyMs);
  res.on("close", () => clearInterval(timer));
}
