import { SecretMissingError } from "./errors.ts";

/**
 * Reads a Worker secret by name. Flows name secrets (auth, `secret_headers`)
 * but never see their values as expression data; this is the one place they
 * are read.
 *
 * Only a non-empty string counts: an empty bearer token or HMAC key would let
 * anyone through, and anything else (an inherited `toString`, a binding object)
 * is a misconfiguration.
 */
export function readSecret(env: unknown, name: string): string {
  // Reflect.get rather than hasOwn: bindings on `env` may be accessors.
  const value: unknown = typeof env === "object" && env !== null ? Reflect.get(env, name) : undefined;
  if (typeof value !== "string" || value === "") throw new SecretMissingError(name);
  return value;
}
