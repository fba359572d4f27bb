import { existsSync, readFileSync } from "node:fs";
import type { AssertionCredential, EmulatorClient } from "../../emulator/auth";
import { RATE_LIMIT_PROFILES } from "../../emulator/buckets";
import { CONTRACT_SCOPES, PRIVATE_KEY_JWT, PUBLISHED_LIMITS } from "../../emulator/contract";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { ASSERTION_CLIENT_ID, assertionClient, DEFAULT_CLIENT, Emulator } from "../../emulator/server";
import { realClock, scaledClock } from "../clock";
import { nearest } from "../model/nearest";
import { commandOf, EXIT, UsageError } from "./command";
import { wholeNumber } from "./files";

const help = `Usage: auth0-org-member-roles emulator [options]

Runs the local Auth0 Management API emulator on loopback until interrupted (Ctrl-C), and prints its URL
and the client credentials it accepts: the emulator's fixed test application, no secret of yours. Point
auth0:domain (or AUTH0_DOMAIN) at the URL. Auth0's statuses, paging, rate limits, groups, faults, counters.

  auth0-org-member-roles emulator --port 4010 --profile enterprise

Options:
  --port N                    port (default 4010; 0 for any free port)
  --host HOST                 address to listen on (default 127.0.0.1)
  --seed FILE                 the tenant to start from (default: the package's seed, two organizations)
  --state FILE                keep the tenant in this file: loaded when it exists, written on change
  --profile NAME              rate limits: ${Object.keys(RATE_LIMIT_PROFILES).join(", ")} (default enterprise)
  --time-scale N              run the clock N times faster (default 1)
  --clock-origin MS           with --time-scale: the scaled clock's start, in ms since 1970
  --role-cap N                roles a member may hold (default ${PUBLISHED_LIMITS.memberRoleCap})
  --group-role-cap N          roles an organization group may hold (default ${PUBLISHED_LIMITS.groupRoleCap})
  --non-member-effective-roles 404|empty
                              what effective roles answer for a non-member (default 404; Auth0
                              documents neither)
  --faults JSON               faults to inject, e.g. '{"failRate":{"fraction":0.1}}'
  --token-lifetime SECONDS    access tokens' lifetime (default 86400)
  --assertion-public-key FILE also accept a Private Key JWT application holding this public key
  --assertion-alg ALG         its algorithm: ${PRIVATE_KEY_JWT.algorithms.join(", ")} (default RS256)
  --application ID=SCOPES     also accept an application ID holding only SCOPES (comma-separated Management
                              API scopes, or "all"); its secret is ID-secret. Repeat for several, e.g. the
                              pipeline's read-only application:
                              --application previewer=read:organization_member_roles,read:organization_members,read:roles,read:users
  -h, --help                  this help

Exit codes: 0 stopped by a signal; 1 it could not start (the port is taken); 2 a wrong command line or file.
`;

/** `--non-member-effective-roles`: one of the two answers Auth0's reference allows. */
function nonMemberAnswer(value: string | undefined): "404" | "empty" {
  if (value === "404" || value === "empty") return value;
  throw new UsageError(`--non-member-effective-roles must be 404 or empty, got ${value}`);
}

/**
 * `--application ID=SCOPES`: an application holding only the scopes named, so a least-privilege set-up can be
 * tried before a real tenant. A scope no published operation accepts is refused, naming the nearest.
 */
export function applicationOf(value: string): EmulatorClient & { clientSecret: string } {
  const at = value.indexOf("=");
  const id = at > 0 ? value.slice(0, at).trim() : "";
  if (!/^[A-Za-z0-9_.-]+$/.test(id))
    throw new UsageError(
      `--application must be ID=SCOPES, like previewer=read:organization_member_roles,read:roles; got ${value}`,
    );
  const listed = value
    .slice(at + 1)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const scopes = listed.length === 1 && listed[0] === "all" ? [...CONTRACT_SCOPES] : listed;
  for (const scope of scopes)
    if (!CONTRACT_SCOPES.includes(scope)) {
      const near = nearest(scope, CONTRACT_SCOPES);
      throw new UsageError(
        `--application ${id}: ${scope} is no scope of the Management API operations this emulator serves${near ? ` (did you mean ${near}?)` : ""}`,
      );
    }
  if (id === DEFAULT_CLIENT.clientId || id === ASSERTION_CLIENT_ID)
    throw new UsageError(`--application ${id}: that ID is the emulator's own application; choose another`);
  return { clientId: id, clientSecret: `${id}-secret`, scopes };
}

/** A file the user named: missing or malformed, it is theirs to fix. */
function readUserFile<T>(file: string, flag: string, read: (f: string) => T): T {
  try {
    return read(file);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${(err as Error).message}`);
  }
}

export const command = commandOf(
  {
    help,
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string", default: DEFAULT_SEED_PATH },
      state: { type: "string" },
      profile: { type: "string", default: "enterprise" },
      "time-scale": { type: "string", default: "1" },
      "clock-origin": { type: "string" },
      "role-cap": { type: "string", default: String(PUBLISHED_LIMITS.memberRoleCap) },
      "group-role-cap": { type: "string", default: String(PUBLISHED_LIMITS.groupRoleCap) },
      "non-member-effective-roles": { type: "string", default: "404" },
      faults: { type: "string" },
      "token-lifetime": { type: "string", default: "86400" },
      "assertion-public-key": { type: "string" },
      "assertion-alg": { type: "string", default: "RS256" },
      application: { type: "string", multiple: true, default: [] },
    },
  },
  async ({ values }, io) => {
    const profile = RATE_LIMIT_PROFILES[values.profile as keyof typeof RATE_LIMIT_PROFILES];
    if (!profile)
      throw new UsageError(
        `--profile must be one of ${Object.keys(RATE_LIMIT_PROFILES).join(", ")}, got ${values.profile}`,
      );
    const alg = values["assertion-alg"] as AssertionCredential["alg"];
    if (!PRIVATE_KEY_JWT.algorithms.includes(alg))
      throw new UsageError(
        `--assertion-alg must be one of ${PRIVATE_KEY_JWT.algorithms.join(", ")}, got ${alg}`,
      );
    const scale = Number(values["time-scale"]);
    if (!(scale > 0))
      throw new UsageError(`--time-scale must be a number above 0, got ${values["time-scale"]}`);
    const publicKeyFile = values["assertion-public-key"];
    const clients: EmulatorClient[] = publicKeyFile
      ? [
          DEFAULT_CLIENT,
          assertionClient(
            readUserFile(publicKeyFile, "--assertion-public-key", (f) => readFileSync(f, "utf8")),
            alg,
          ),
        ]
      : [DEFAULT_CLIENT];
    const applications = (values.application ?? []).map(applicationOf);
    const ids = applications.map((a) => a.clientId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new UsageError(`--application ${twice} is given twice; give each ID once`);
    clients.push(...applications);
    const fixtureFile = values.state && existsSync(values.state) ? values.state : values.seed;
    const fixture = readUserFile(
      fixtureFile,
      values.state === fixtureFile ? "--state" : "--seed",
      loadFixture,
    );
    const faults = values.faults
      ? readUserFile(values.faults, "--faults", (text) => JSON.parse(text) as object)
      : undefined;
    const emulator = await Emulator.start({
      fixture,
      host: values.host,
      port: wholeNumber(values.port, "--port", 0, 65_535),
      rateLimits: profile,
      clock:
        scale === 1
          ? realClock
          : scaledClock(scale, values["clock-origin"] ? Number(values["clock-origin"]) : Date.now()),
      roleCap: wholeNumber(values["role-cap"], "--role-cap", 1, 1_000_000),
      groupRoleCap: wholeNumber(values["group-role-cap"], "--group-role-cap", 1, 1_000_000),
      nonMemberEffectiveRoles: nonMemberAnswer(values["non-member-effective-roles"]),
      clients,
      tokenLifetimeSeconds: wholeNumber(values["token-lifetime"], "--token-lifetime", 1, 10 * 365 * 86_400),
      ...(values.state ? { stateFile: values.state } : {}),
      ...(faults ? { faults } : {}),
    });
    const out = (line: string) => io.stdout.write(`${line}\n`);
    out(`Auth0 Management API emulator listening on ${emulator.url}`);
    out(`  seeded from ${fixtureFile}; rate limits: ${profile.name}; time scale: ${scale}`);
    out(`  client_id=${DEFAULT_CLIENT.clientId} client_secret=${DEFAULT_CLIENT.clientSecret}`);
    for (const a of applications)
      out(
        `  client_id=${a.clientId} client_secret=${a.clientSecret} scopes: ${a.scopes.join(" ") || "(none)"}`,
      );
    if (publicKeyFile)
      out(`  client_id=${ASSERTION_CLIENT_ID} Private Key JWT (${alg}) with the key of ${publicKeyFile}`);
    await io.interrupted();
    await emulator.stop();
    return EXIT.ok;
  },
);
