import { readSecret } from "./secrets.ts";

/**
 * Authentication of HTTP triggers. The generator writes each trigger's
 * `auth:` as a {@link RouteAuth}: its settings ({@link AuthConfig}) made by
 * noAuth, bearerAuth or hmacAuth, which also attach the check of that kind,
 * so a bundle carries only the checks its triggers use. checkAuth checks a
 * request against settings alone. Every comparison with a secret is
 * constant-time.
 */

export type HmacAlgorithm = "sha256" | "sha1" | "sha512";

export interface HmacAuthConfig {
  readonly kind: "hmac";
  readonly secret: string;
  /** Header carrying the signature (case does not matter). */
  readonly header: string;
  /** Text before the hex digest, e.g. `"sha256="`; may be empty. */
  readonly prefix: string;
  readonly algorithm: HmacAlgorithm;
}

export type AuthConfig = { readonly kind: "none" } | { readonly kind: "bearer"; readonly secret: string } | HmacAuthConfig;

/** `reason` is short and safe to send back: it never contains a secret or a token. */
export type AuthResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Checks a request: `rawBody` as for checkAuth; the secret is read at each check, and a missing one rejects with SecretMissingError. */
export type AuthCheck = (request: Request, rawBody: ArrayBuffer, env: unknown) => Promise<AuthResult>;

/** An http trigger's auth as its route holds it: the settings and the check of their kind. */
export type RouteAuth = AuthConfig & { readonly check: AuthCheck };

/** `auth: none`. */
export const noAuth: RouteAuth = { kind: "none", check: async () => ({ ok: true }) };

/** `auth: { bearer: SECRET }`. */
export function bearerAuth(secret: string): RouteAuth {
  return { kind: "bearer", secret, check: async (request, _rawBody, env) => checkBearer(request, readSecret(env, secret)) };
}

/** `auth: { hmac: … }`. */
export function hmacAuth(settings: Omit<HmacAuthConfig, "kind">): RouteAuth {
  const auth: HmacAuthConfig = { kind: "hmac", ...settings };
  return { ...auth, check: async (request, rawBody, env) => checkHmac(request, rawBody, readSecret(env, auth.secret), auth) };
}

const HASH: Readonly<Record<HmacAlgorithm, string>> = { sha256: "SHA-256", sha1: "SHA-1", sha512: "SHA-512" };
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;
const HEX = /^[0-9a-f]+$/;

const encoder = new TextEncoder();

/**
 * Checks a request against its trigger's auth. `rawBody` must be the exact
 * bytes received (the HMAC is over them, not over a re-serialisation).
 *
 * A missing or empty secret throws `SecretMissingError` rather than answering
 * 401: it is the server's misconfiguration, and the caller answers 500.
 */
export async function checkAuth(
  request: Request,
  rawBody: ArrayBuffer,
  env: unknown,
  auth: AuthConfig,
): Promise<AuthResult> {
  switch (auth.kind) {
    case "none":
      return { ok: true };
    case "bearer":
      return checkBearer(request, readSecret(env, auth.secret));
    case "hmac":
      return checkHmac(request, rawBody, readSecret(env, auth.secret), auth);
  }
}

async function checkBearer(request: Request, secret: string): Promise<AuthResult> {
  const header = request.headers.get("authorization");
  if (header === null) return { ok: false, reason: "missing bearer token" };
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) return { ok: false, reason: "missing bearer token" };
  // Comparing fixed-length digests means neither the secret's length nor the
  // position of the first differing byte can be learnt from timing.
  const [given, expected] = await Promise.all([sha256(token), secretDigest(secret)]);
  return crypto.subtle.timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: "invalid bearer token" };
}

/**
 * SHA-256 of each secret, computed once per isolate and kept by value, so a
 * request hashes only its own token, and a rotated secret is hashed anew.
 * A handful of secrets at most (one per bearer trigger); cleared if it grows.
 */
const secretDigests = new Map<string, ArrayBuffer>();
const MAX_SECRET_DIGESTS = 64;

async function secretDigest(secret: string): Promise<ArrayBuffer> {
  const known = secretDigests.get(secret);
  if (known !== undefined) return known;
  const digest = await sha256(secret);
  if (secretDigests.size >= MAX_SECRET_DIGESTS) secretDigests.clear();
  secretDigests.set(secret, digest);
  return digest;
}

async function checkHmac(request: Request, rawBody: ArrayBuffer, secret: string, auth: HmacAuthConfig): Promise<AuthResult> {
  const header = request.headers.get(auth.header);
  if (header === null) return { ok: false, reason: "missing signature" };
  if (!header.startsWith(auth.prefix)) return { ok: false, reason: "invalid signature" };
  // Senders differ in hex case; the digest is the same.
  const hex = header.slice(auth.prefix.length).trim().toLowerCase();
  if (!HEX.test(hex) || hex.length % 2 !== 0) return { ok: false, reason: "invalid signature" };

  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: HASH[auth.algorithm] }, false, [
    "sign",
  ]);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, rawBody));
  const given = hexToBytes(hex);
  // The digest length is public (fixed by the algorithm), so checking it first leaks nothing.
  if (given.byteLength !== expected.byteLength) return { ok: false, reason: "invalid signature" };
  return crypto.subtle.timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: "invalid signature" };
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Whether a token presented some other way than an `Authorization` header
 * (a WebSocket subprotocol, see websocket-access.ts) is the secret `secret`:
 * the same constant-time digest comparison as bearer auth.
 */
export async function tokenMatches(token: string, secret: string): Promise<boolean> {
  const [given, expected] = await Promise.all([sha256(token), secretDigest(secret)]);
  return crypto.subtle.timingSafeEqual(given, expected);
}

/** The token of an `Authorization: Bearer …` header, if the request has one. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  return header === null ? undefined : BEARER.exec(header)?.[1];
}
