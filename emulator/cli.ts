#!/usr/bin/env node
/**
 * `npm run emulator -- [--port 4010] [--seed file] [--state file] [--profile enterprise] [--time-scale 1]
 *   [--role-cap 100] [--faults '{"failRate":{"fraction":0.1}}'] [--token-lifetime 86400]
 *   [--assertion-public-key public.pem] [--assertion-alg RS256]`
 * Starts the emulator on loopback and prints its URL and the client credentials it accepts. With
 * `--assertion-public-key`, it also registers a Private Key JWT application holding that public key.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { realClock, scaledClock } from "../src/clock";
import type { AssertionCredential } from "./auth";
import { RATE_LIMIT_PROFILES } from "./buckets";
import { PRIVATE_KEY_JWT, PUBLISHED_LIMITS } from "./contract";
import { DEFAULT_SEED_PATH, loadFixture } from "./index";
import { ASSERTION_CLIENT_ID, assertionClient, DEFAULT_CLIENT, Emulator } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string", default: DEFAULT_SEED_PATH },
      state: { type: "string" },
      profile: { type: "string", default: "enterprise" },
      "time-scale": { type: "string", default: "1" },
      "clock-origin": { type: "string" },
      "role-cap": { type: "string", default: String(PUBLISHED_LIMITS.memberRoleCap) },
      faults: { type: "string" },
      "token-lifetime": { type: "string", default: "86400" },
      "assertion-public-key": { type: "string" },
      "assertion-alg": { type: "string", default: "RS256" },
    },
  });
  const profile = RATE_LIMIT_PROFILES[values.profile as keyof typeof RATE_LIMIT_PROFILES];
  if (!profile)
    throw new Error(
      `--profile must be one of ${Object.keys(RATE_LIMIT_PROFILES).join(", ")}, got ${values.profile}`,
    );
  const alg = values["assertion-alg"] as AssertionCredential["alg"];
  if (!PRIVATE_KEY_JWT.algorithms.includes(alg))
    throw new Error(`--assertion-alg must be one of ${PRIVATE_KEY_JWT.algorithms.join(", ")}, got ${alg}`);
  const publicKeyFile = values["assertion-public-key"];
  const clients = publicKeyFile
    ? [DEFAULT_CLIENT, assertionClient(readFileSync(publicKeyFile, "utf8"), alg)]
    : [DEFAULT_CLIENT];
  const scale = Number(values["time-scale"]);
  const fixtureFile = values.state && existsSync(values.state) ? values.state : values.seed;
  const emulator = await Emulator.start({
    fixture: loadFixture(fixtureFile),
    host: values.host,
    port: Number(values.port),
    rateLimits: profile,
    clock:
      scale === 1
        ? realClock
        : scaledClock(scale, values["clock-origin"] ? Number(values["clock-origin"]) : Date.now()),
    roleCap: Number(values["role-cap"]),
    clients,
    tokenLifetimeSeconds: Number(values["token-lifetime"]),
    ...(values.state ? { stateFile: values.state } : {}),
    ...(values.faults ? { faults: JSON.parse(values.faults) } : {}),
  });
  console.log(`Auth0 Management API emulator listening on ${emulator.url}`);
  console.log(`  seeded from ${fixtureFile}; rate limits: ${profile.name}; time scale: ${scale}`);
  console.log(`  client_id=${DEFAULT_CLIENT.clientId} client_secret=${DEFAULT_CLIENT.clientSecret}`);
  if (publicKeyFile)
    console.log(
      `  client_id=${ASSERTION_CLIENT_ID} Private Key JWT (${alg}) with the key of ${publicKeyFile}`,
    );
  const stop = () => {
    emulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
