import { NonRetryableError } from "cloudflare:workflows";
import { describe, expect, it } from "vitest";
import { HttpStepError, HttpStepFatalError, isNonRetryable, SecretMissingError } from "../../runtime/errors.ts";
import { readSecret } from "../../runtime/secrets.ts";

describe("error classes", () => {
  it("marks what Workflows must not retry", () => {
    expect(new HttpStepFatalError("GET https://x/ answered 404", 404)).toBeInstanceOf(NonRetryableError);
    expect(new SecretMissingError("API_KEY")).toBeInstanceOf(NonRetryableError);
    expect(new HttpStepError("GET https://x/ answered 503", 503)).not.toBeInstanceOf(NonRetryableError);
    expect(isNonRetryable(new SecretMissingError("x"))).toBe(true);
    expect(isNonRetryable(new Error("x"))).toBe(false);
  });

  it("keeps Workflows' name for errors that must not be retried (the engine decides by name), and the status", () => {
    const fatal = new HttpStepFatalError("m", 404);
    expect(fatal.name).toBe("NonRetryableError");
    expect(fatal.status).toBe(404);
    expect(fatal.message).toBe("m");
    expect(new HttpStepError("m").name).toBe("HttpStepError");
    expect(new HttpStepError("m").status).toBeUndefined();
  });
});

describe("readSecret", () => {
  it("returns a configured secret", () => {
    expect(readSecret({ API_KEY: "s3cret" }, "API_KEY")).toBe("s3cret");
  });

  it.each([
    ["missing", {}],
    ["empty", { API_KEY: "" }],
    ["not a string", { API_KEY: { get: () => "x" } }],
    ["no env", undefined],
  ])("throws SecretMissingError when %s", (_, env) => {
    expect(() => readSecret(env, "API_KEY")).toThrow(SecretMissingError);
    expect(() => readSecret(env, "API_KEY")).toThrow(/Secret API_KEY is not set/);
  });

  it("does not treat inherited properties as secrets", () => {
    expect(() => readSecret({}, "toString")).toThrow(SecretMissingError);
  });
});
