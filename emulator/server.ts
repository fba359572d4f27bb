import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Clock, realClock } from "../src/clock";
import { adminAnswer } from "./admin";
import { type Answer, ApiError, envelope, rateHeaders, send, tooManyRequests, withHeaders } from "./answers";
import { type AssertionCredential, ClientAuthenticator, type EmulatorClient, TokenIssuer } from "./auth";
import { RATE_LIMIT_PROFILES, RateLimiter, type RateLimitProfile } from "./buckets";
import { CONTRACT, CONTRACT_SCOPES, LISTING_ROLES_SCOPE, type Operation, RECORDED_TEXTS } from "./contract";
import { type EndpointOptions, TenantEndpoints } from "./endpoints";
import { type FaultConfig, type FaultDecision, FaultInjector, faultAt, NO_FAULT } from "./faults";
import { type RequestBody, readBody } from "./http-body";
import { type Matched, match, type Route } from "./routes";
import { cloneMemberships, type Memberships, Tenant, type TenantFixture } from "./tenant";
import { fieldsIncludeRoles } from "./validation";

export { envelope } from "./answers";
export { ENDPOINT_GROUPS, type Route } from "./routes";

export interface EmulatorOptions {
  fixture: TenantFixture;
  clients?: EmulatorClient[];
  rateLimits?: RateLimitProfile;
  clock?: Clock;
  /** Roles one member may hold; past it POST answers 409. Default 100. */
  roleCap?: number;
  /** Roles one organization group may hold; past it POST answers 409. Default 10 (Auth0's entity limit). */
  groupRoleCap?: number;
  /** What effective roles answer for a non-member: `404` (default) or `empty` (`200 {"roles": []}`). */
  nonMemberEffectiveRoles?: "404" | "empty";
  /**
   * Largest page actually served, whatever `per_page` asks (public-cloud docs say it may be capped at 50);
   * `limit` still echoes `per_page`, as documented. Default 100.
   */
  perPageCap?: number;
  tokenLifetimeSeconds?: number;
  maxBodyBytes?: number;
  /** Persist the tenant to this file after every write. */
  stateFile?: string;
  faults?: FaultConfig;
  host?: string;
  /** 0 for a free port. */
  port?: number;
}

/** The client the default seed and the main job use. Not a secret worth protecting: it only opens the emulator. */
export const DEFAULT_CLIENT: EmulatorClient & { clientSecret: string } = {
  clientId: "emulator-client",
  clientSecret: "emulator-client-secret-not-for-production",
  scopes: CONTRACT_SCOPES,
};

/**
 * The `auth0:*` settings that point the provider or the client at an emulator at `url`.
 *
 * @example
 * const settings = emulatorSettings(emulator.url);
 * await impl.configure({ config: { get: (k) => settings[k] } });
 */
export function emulatorSettings(url: string): Record<string, string> {
  return {
    "auth0:domain": url,
    "auth0:clientId": DEFAULT_CLIENT.clientId,
    "auth0:clientSecret": DEFAULT_CLIENT.clientSecret,
  };
}

/** The Private Key JWT application of tests and `--assertion-public-key`: no secret, one credential. */
export const ASSERTION_CLIENT_ID = "emulator-jwt-client";

/**
 * An application that authenticates with Private Key JWT only, with `publicKey` (PEM) registered for `alg`.
 *
 * @example
 * const emulator = await Emulator.start({ fixture, clients: [DEFAULT_CLIENT, assertionClient(publicPem)] });
 */
export function assertionClient(
  publicKey: string,
  alg: AssertionCredential["alg"] = "RS256",
  clientId: string = ASSERTION_CLIENT_ID,
): EmulatorClient {
  return { clientId, credentials: [{ publicKey, alg }], scopes: CONTRACT_SCOPES };
}

/** The `auth0:*` settings for the Private Key JWT application of `assertionClient` (key as PEM). */
export function emulatorAssertionSettings(
  url: string,
  privateKey: string,
  alg: AssertionCredential["alg"] = "RS256",
  clientId: string = ASSERTION_CLIENT_ID,
): Record<string, string> {
  return {
    "auth0:domain": url,
    "auth0:clientId": clientId,
    "auth0:clientAssertionPrivateKey": privateKey,
    "auth0:clientAssertionSigningAlg": alg,
  };
}

/**
 * A local emulator of the Management API endpoints this project uses, over real HTTP on loopback.
 * Where Auth0's behaviour is unconfirmed it follows docs/auth0-api.md and says so next to the code.
 *
 * @example
 * const emulator = await Emulator.start({ fixture: syntheticTenant({ members: 3, roles: 5 }) });
 * // ... point the client at emulator.url ...
 * await emulator.stop();
 */
export class Emulator {
  tenant: Tenant;
  readonly faults = new FaultInjector();
  private readonly counters = new Map<string, number>();
  /** Every access token issued by /oauth/token, so tests can prove none of them leaked. */
  readonly issuedTokens: string[] = [];
  /** Every client assertion accepted by /oauth/token, for the same proof. */
  readonly acceptedAssertions: string[] = [];
  /** The last requests answered (method, route, path, body), newest last: tests read what was sent. */
  readonly requests: Array<{ method: string; route: Route; path: string; status: number; body: unknown }> =
    [];
  private readonly issuer = new TokenIssuer();
  private readonly authenticator = new ClientAuthenticator(() => this.clients);
  private readonly clock: Clock;
  private limiter: RateLimiter;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private baseUrl = "";
  private listingIndex: Memberships | undefined;
  private readonly listingJournal: Array<{ at: number; apply: (m: Memberships) => void }> = [];
  private persistTimer: NodeJS.Timeout | undefined;
  private initialFixture: TenantFixture;
  private readonly endpoints: TenantEndpoints;
  /** What the operations enforce; changed in place by the setters, read on every request. */
  private readonly endpointOptions: EndpointOptions;

  private constructor(private readonly options: EmulatorOptions) {
    this.clock = options.clock ?? realClock;
    this.initialFixture = structuredClone(options.fixture);
    this.tenant = Tenant.fromFixture(options.fixture);
    this.limiter = new RateLimiter(options.rateLimits ?? RATE_LIMIT_PROFILES.none, this.clock.now());
    if (options.faults) this.setFaults(options.faults);
    this.endpointOptions = {
      roleCap: options.roleCap,
      perPageCap: options.perPageCap,
      groupRoleCap: options.groupRoleCap,
      nonMemberEffectiveRoles: options.nonMemberEffectiveRoles,
    };
    this.endpoints = new TenantEndpoints(
      {
        tenant: () => this.tenant,
        write: (apply) => this.write(apply),
        listingView: () => this.listingView(),
      },
      this.endpointOptions,
    );
  }

  /** Switches what effective roles answer for a user who is not a member (both are allowed by the reference). */
  setNonMemberEffectiveRoles(answer: "404" | "empty"): void {
    this.endpointOptions.nonMemberEffectiveRoles = answer;
  }

  /** Starts listening on loopback (port 0 by default) and resolves once it accepts connections. */
  static async start(options: EmulatorOptions): Promise<Emulator> {
    const emulator = new Emulator(options);
    await emulator.listen();
    return emulator;
  }

  /** `http://127.0.0.1:<port>`: the value for `auth0:domain`. */
  get url(): string {
    return this.baseUrl;
  }

  get clients(): EmulatorClient[] {
    return this.options.clients ?? [DEFAULT_CLIENT];
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        // A bug in a handler must not crash the emulator: answer 500 in the API's envelope.
        if (!res.headersSent) send(res, envelope(500, `Internal error: ${(err as Error).message}`));
        else res.destroy();
      });
    });
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    this.server = server;
    const { port, address } = server.address() as AddressInfo;
    this.baseUrl = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  }

  /** Stops listening, closes every connection and flushes the state file. */
  async stop(): Promise<void> {
    this.flushState();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Replaces the fault plan (from a test). */
  setFaults(config: FaultConfig): void {
    const lagBefore = this.faults.listingLagMs;
    this.faults.set(config);
    if (this.faults.listingLagMs > 0 && lagBefore === 0)
      this.listingIndex = cloneMemberships(this.tenant.members);
    if (this.faults.listingLagMs === 0) {
      this.listingIndex = undefined;
      this.listingJournal.length = 0;
    }
  }

  /** Switches the rate-limit profile; buckets start full. */
  setRateLimits(profile: RateLimitProfile): void {
    this.limiter = new RateLimiter(profile, this.clock.now());
  }

  /** Refills every rate-limit bucket, keeping the profile. */
  refillRateLimits(): void {
    this.setRateLimits(this.limiter.profile);
  }

  /** Back to the seed (or a new fixture): tenant, counters, faults. */
  reset(fixture?: TenantFixture): void {
    if (fixture) this.initialFixture = structuredClone(fixture);
    this.tenant = Tenant.fromFixture(structuredClone(this.initialFixture));
    this.resetCounters();
    this.setFaults({});
    this.limiter = new RateLimiter(this.limiter.profile, this.clock.now());
  }

  /** Requests answered, keyed `METHOD route status` (status "reset" for a dropped connection). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  /** Requests matching every given part, e.g. `count({ method: "POST", route: "member-roles" })`. */
  count(filter: { method?: string; route?: Route; status?: number | "reset" } = {}): number {
    let total = 0;
    for (const [key, n] of this.counters) {
      const [method, route, status] = key.split(" ");
      if (filter.method && filter.method !== method) continue;
      if (filter.route && filter.route !== route) continue;
      if (filter.status !== undefined && String(filter.status) !== status) continue;
      total += n;
    }
    return total;
  }

  resetCounters(): void {
    this.counters.clear();
    this.requests.length = 0;
  }

  /** Calls that change the tenant (POST and DELETE on member roles, members and group roles). */
  writes(): number {
    return (
      this.count({ method: "POST", route: "member-roles" }) +
      this.count({ method: "DELETE", route: "member-roles" }) +
      this.count({ method: "POST", route: "members" }) +
      this.count({ method: "DELETE", route: "members" }) +
      this.count({ method: "POST", route: "group-roles" }) +
      this.count({ method: "DELETE", route: "group-roles" })
    );
  }

  /** Every API call but the token endpoint. */
  apiCalls(): number {
    return this.count() - this.count({ route: "token" });
  }

  /** A token for tests, with chosen scopes and lifetime (seconds, may be negative for an expired one). */
  issueToken(scopes: readonly string[] = CONTRACT_SCOPES, lifetimeSeconds = 86_400): string {
    return this.issuer.issue({
      sub: "test@clients",
      scope: scopes.join(" "),
      exp: this.clock.now() + lifetimeSeconds * 1000,
    });
  }

  /** Role IDs of a member, sorted, or undefined when the user is not a member. */
  rolesOf(org: string, user: string): string[] | undefined {
    const roles = this.tenant.memberRoles(org, user);
    return roles ? [...roles].sort() : undefined;
  }

  /** Changes a member's roles behind the API's back (out-of-band drift in tests). */
  setRolesOf(org: string, user: string, roles: string[]): void {
    this.write((m) => {
      const members = m.get(org);
      if (members) members.set(user, new Set(roles));
    });
  }

  /** A user leaves the organization behind the API's back (deleted, or removed in the Dashboard). */
  removeMember(org: string, user: string): void {
    this.write((m) => m.get(org)?.delete(user));
  }

  /** A user joins the organization (with no roles) behind the API's back. */
  addMember(org: string, user: string): void {
    this.write((m) => {
      const members = m.get(org);
      if (members && !members.has(user)) members.set(user, new Set());
    });
  }

  private count1(method: string, route: Route, status: number | "reset"): void {
    const key = `${method} ${route} ${status}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    let url: URL;
    try {
      // Concatenated, not resolved: a path such as "//x" would otherwise be read as a host.
      url = new URL(`http://emulator.local${req.url?.startsWith("/") ? req.url : "/"}`);
    } catch {
      req.resume();
      this.count1(method, "unknown", 400);
      return send(res, envelope(400, "Path validation error: invalid request target.", "invalid_uri"));
    }
    const segments = url.pathname.split("/").slice(1);
    const matched = match(method, segments);
    const { route } = matched;
    if (route === "admin") return this.handleAdmin(req, res, method, segments.slice(1).join("/"));
    if (route === "unknown") {
      req.resume();
      this.count1(method, route, 404);
      return send(res, envelope(404, "Not Found"));
    }
    const isApi = route !== "token";
    const decision = isApi ? this.faults.decide(method) : NO_FAULT;
    if (isApi) {
      const delay = this.faults.delayMs();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      // Tokens issued until now expire; the next one issued is valid.
      if (this.faults.expireTokensNow()) this.issuer.expireAll();
    }
    if (faultAt("arrival", decision) === "drop") {
      this.count1(method, route, "reset");
      req.socket.destroy();
      return;
    }
    let body: RequestBody;
    try {
      body = await readBody(req, this.options.maxBodyBytes ?? 1_048_576);
    } catch (err) {
      const answer = err instanceof ApiError ? err.answer : envelope(400, "Bad request");
      this.count1(method, route, answer.status);
      res.setHeader("connection", "close");
      return send(res, answer);
    }
    const answer =
      route === "token"
        ? method === "POST"
          ? this.token(body)
          : envelope(404, "Not Found")
        : this.answer(matched, url.searchParams, body, req, decision);
    this.count1(method, route, answer.status);
    if (route !== "token") {
      this.requests.push({
        method,
        route,
        path: url.pathname,
        status: answer.status,
        body: body.kind === "empty" ? undefined : body.value,
      });
      if (this.requests.length > 20_000) this.requests.splice(0, 10_000);
    }
    send(res, answer);
  }

  /**
   * An API request past its body: the endpoint, then authentication, scope, rate limit and the handler, with
   * the request's fault applied at each stage by `faultAt`.
   */
  private answer(
    matched: Matched,
    query: URLSearchParams,
    body: RequestBody,
    req: IncomingMessage,
    decision: FaultDecision,
  ): Answer {
    if (!matched.operation) return envelope(404, "Not Found");
    const op: Operation = CONTRACT[matched.operation];
    const group = op.bucket;
    const now = this.clock.now();
    const auth = this.issuer.check(req.headers.authorization, now);
    if (!auth.ok)
      return withHeaders(
        envelope(401, auth.message, undefined, { attributes: { error: auth.message } }),
        rateHeaders(this.limiter.reading(group, now)),
      );
    // Any one of the operation's published scopes authorises it; roles in the members listing need theirs too.
    // A token without a `scope` claim (or with another type there) holds none: 403, as Auth0 answers.
    const scope: unknown = auth.claims.scope;
    const held = new Set(typeof scope === "string" ? scope.split(/\s+/) : []);
    const refused = [
      op.scopes,
      ...(matched.operation === "get_organization_members" && fieldsIncludeRoles(query)
        ? [[LISTING_ROLES_SCOPE]]
        : []),
    ].find((anyOf) => !anyOf.some((s) => held.has(s)));
    if (refused)
      return withHeaders(
        envelope(403, RECORDED_TEXTS.insufficientScope(refused.join(",")), "insufficient_scope"),
        rateHeaders(this.limiter.reading(group, now)),
      );
    const storm = faultAt("authorised", decision, {
      now,
      limit: () => this.limiter.reading(group, now).limit,
    });
    if (storm) return storm;
    const verdict = this.limiter.check(group, now);
    if (!verdict.ok) return withHeaders(tooManyRequests(), rateHeaders(verdict.reading));
    const headers = rateHeaders(verdict.reading);
    const failBefore = faultAt("admitted", decision);
    if (failBefore) return withHeaders(failBefore, headers);
    let answer: Answer;
    try {
      answer = this.endpoints.handlers[matched.operation](matched.params, query, body);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      answer = err.answer;
    }
    return withHeaders(faultAt("handled", decision) ?? answer, headers);
  }

  private async handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    let body: RequestBody;
    try {
      body = await readBody(req, 64 * 1_048_576);
    } catch (err) {
      return send(res, err instanceof ApiError ? err.answer : envelope(400, "Bad request"));
    }
    send(res, adminAnswer(this, method, path, body));
  }

  private token(body: RequestBody): Answer {
    const fields = body.kind === "empty" ? {} : (body.value as Record<string, unknown>);
    const tokenError = (status: number, error: string, description: string): Answer => ({
      status,
      body: { error, error_description: description },
    });
    if (typeof fields !== "object" || fields === null || Array.isArray(fields))
      return tokenError(400, "invalid_request", "Invalid request body");
    if (fields["grant_type"] !== "client_credentials")
      return fields["grant_type"] === undefined
        ? tokenError(400, "invalid_request", "Missing required parameter: grant_type")
        : tokenError(
            400,
            "unsupported_grant_type",
            `Unsupported grant type: ${String(fields["grant_type"])}`,
          );
    const authenticated = this.authenticator.authenticate(fields, `${this.baseUrl}/`, this.clock.now());
    if (!authenticated.ok)
      return tokenError(authenticated.status, authenticated.error, authenticated.description);
    const { client } = authenticated;
    const audience = fields["audience"];
    if (audience !== `${this.baseUrl}/api/v2/`)
      return tokenError(403, "access_denied", `Service not enabled within domain: ${String(audience)}`);
    const lifetime = this.options.tokenLifetimeSeconds ?? 86_400;
    const access_token = this.issuer.issue(
      {
        sub: `${client.clientId}@clients`,
        scope: client.scopes.join(" "),
        exp: this.clock.now() + lifetime * 1000,
      },
      this.clock.now(),
    );
    this.issuedTokens.push(access_token);
    if (authenticated.assertion) this.acceptedAssertions.push(authenticated.assertion);
    return {
      status: 200,
      body: { access_token, expires_in: lifetime, scope: client.scopes.join(" "), token_type: "Bearer" },
    };
  }

  /** Applies a write to the primary store and, lagged, to the listing's search index. */
  private write(apply: (m: Memberships) => void): void {
    apply(this.tenant.members);
    if (this.listingIndex) this.listingJournal.push({ at: this.clock.now(), apply });
    this.schedulePersist();
  }

  private listingView(): Memberships {
    if (!this.listingIndex) return this.tenant.members;
    const visibleBefore = this.clock.now() - this.faults.listingLagMs;
    while (this.listingJournal.length > 0 && this.listingJournal[0]!.at <= visibleBefore)
      this.listingJournal.shift()!.apply(this.listingIndex);
    return this.listingIndex;
  }

  private schedulePersist(): void {
    if (!this.options.stateFile || this.persistTimer) return;
    this.persistTimer = setTimeout(() => this.flushState(), 50);
    this.persistTimer.unref();
  }

  private flushState(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (this.options.stateFile)
      writeFileSync(this.options.stateFile, `${JSON.stringify(this.tenant.toFixture(), null, 2)}\n`);
  }
}
