import { constants, createPrivateKey, type KeyObject, randomUUID, sign } from "node:crypto";
import { CLIENT_ASSERTION_ALGORITHMS, CLIENT_ASSERTION_RSA_BITS } from "../api/limits";
import { CLIENT_ASSERTION_LIFETIME_S } from "./defaults";

/**
 * Private Key JWT client authentication (RFC 7523, as Auth0 documents it in "Authenticate with Private Key
 * JWT"): the application proves who it is with a short-lived JWT signed by its private key instead of a
 * client secret. Built on Node's crypto, no JOSE dependency: the three algorithms Auth0 accepts are RSA
 * signatures that `crypto.sign` makes directly.
 *
 * @example
 * const key = loadAssertionKey(pem, "RS256");
 * const jwt = signClientAssertion({ key, alg: "RS256", clientId: "abc", audience: "https://acme.eu.auth0.com/" });
 */

export type AssertionAlgorithm = (typeof CLIENT_ASSERTION_ALGORITHMS)[number];

/** Why a key or algorithm cannot be used. The message names the setting and the fix, never the key. */
export class AssertionSettingError extends Error {}

const KEY_SETTING = "auth0:clientAssertionPrivateKey (AUTH0_CLIENT_ASSERTION_PRIVATE_KEY)";
const ALG_SETTING = "auth0:clientAssertionSigningAlg (AUTH0_CLIENT_ASSERTION_SIGNING_ALG)";
const ALGORITHMS_TEXT = CLIENT_ASSERTION_ALGORITHMS.join(", ");

/** The signing algorithm setting, checked against the ones Auth0 accepts for a credential. */
export function parseAssertionAlgorithm(value: string): AssertionAlgorithm {
  const alg = value.trim();
  if ((CLIENT_ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) return alg as AssertionAlgorithm;
  // The value is never echoed: a key pasted into the wrong setting would land in the error and the logs.
  const looksLikeKey = /-----BEGIN|PRIVATE KEY|^MII/.test(alg) || alg.length > 16;
  throw new AssertionSettingError(
    `${ALG_SETTING} is not one of ${ALGORITHMS_TEXT}${looksLikeKey ? " (it looks like a key: were the private key and the algorithm swapped?)" : ""}. Set it to the algorithm chosen for the application's credential (Dashboard > Applications > Credentials).`,
  );
}

/**
 * Reads the PEM private key once, before any request, so a wrong format fails with a clear error instead of
 * a token request Auth0 rejects. Accepts what `openssl genrsa` writes (PKCS#1 or PKCS#8, unencrypted RSA).
 */
export function loadAssertionKey(pem: string, alg: AssertionAlgorithm): KeyObject {
  const text = pem.trim();
  const fail = (problem: string, fix: string) =>
    new AssertionSettingError(`${KEY_SETTING} ${problem}. ${fix}`);
  const fromFile =
    "Set it from the file: `pulumi config set --secret auth0:clientAssertionPrivateKey < private.pem`.";
  if (!text.includes("\n") && text.includes("\\n"))
    throw fail("has literal \\n sequences instead of line breaks", fromFile);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type: 4,ENCRYPTED/.test(text))
    throw fail(
      "is encrypted with a passphrase, which neither this project nor @pulumi/auth0 can use",
      "Decrypt it (`openssl pkey -in encrypted.pem -out private.pem`) and store the result as a stack secret.",
    );
  if (/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(text))
    throw fail(
      "holds a public key or a certificate: that half is the one registered in Auth0",
      `Give the private key it was made from. ${fromFile}`,
    );
  if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(text))
    throw fail(
      "is in OpenSSH's own format; a PEM private key is expected",
      `Convert a copy with \`ssh-keygen -p -m PEM -f copy_of_key\`. ${fromFile}`,
    );
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(text))
    throw fail(
      text.startsWith("{")
        ? "looks like a JWK (JSON); a PEM private key is expected"
        : "is not a PEM private key (no -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- line)",
      `Generate one with \`openssl genrsa -out private.pem 2048\`. ${fromFile}`,
    );
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: "pem" });
  } catch {
    // Node's message is not shown: it adds nothing a user can act on, and must never carry key material.
    throw fail("could not be read: the PEM body is damaged or truncated", fromFile);
  }
  if (key.asymmetricKeyType !== "rsa")
    throw fail(
      `is a${key.asymmetricKeyType === "ec" ? "n EC" : ` ${key.asymmetricKeyType ?? "non-RSA"}`} key; ${alg} needs an RSA key (Auth0 accepts only RSA credentials: ${ALGORITHMS_TEXT})`,
      "Generate one with `openssl genrsa -out private.pem 2048` and register its public key on the application.",
    );
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < CLIENT_ASSERTION_RSA_BITS.min || bits > CLIENT_ASSERTION_RSA_BITS.max)
    throw fail(
      `is a ${bits}-bit RSA key; Auth0 accepts ${CLIENT_ASSERTION_RSA_BITS.min} to ${CLIENT_ASSERTION_RSA_BITS.max} bits`,
      "Generate one with `openssl genrsa -out private.pem 2048`.",
    );
  return key;
}

export interface AssertionInput {
  key: KeyObject;
  alg: AssertionAlgorithm;
  clientId: string;
  /** The tenant (or custom domain) receiving it, with the trailing slash: `https://acme.eu.auth0.com/`. */
  audience: string;
  /** Seconds since the epoch; default now. */
  nowSeconds?: number;
  lifetimeSeconds?: number;
  jti?: string;
}

const HASHES: Record<AssertionAlgorithm, string> = { RS256: "sha256", RS384: "sha384", PS256: "sha256" };

/**
 * A fresh client assertion: `iss` = `sub` = client ID, `aud`, `iat`, `exp` (two minutes later), a random
 * UUID `jti`. Auth0 accepts each assertion once, so sign one per token request.
 */
export function signClientAssertion(input: AssertionInput): string {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = encodePart({ alg: input.alg, typ: "JWT" });
  const payload = encodePart({
    iss: input.clientId,
    sub: input.clientId,
    aud: input.audience,
    iat: now,
    exp: now + (input.lifetimeSeconds ?? CLIENT_ASSERTION_LIFETIME_S),
    jti: input.jti ?? randomUUID(),
  });
  const signingInput = `${header}.${payload}`;
  const signature = sign(
    HASHES[input.alg],
    Buffer.from(signingInput),
    // RFC 7518 section 3.5: PSS with MGF1 and a salt as long as the hash.
    input.alg === "PS256"
      ? { key: input.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : input.key,
  );
  return `${signingInput}.${signature.toString("base64url")}`;
}

function encodePart(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
