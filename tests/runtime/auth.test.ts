import { afterEach, describe, expect, it, vi } from "vitest";
import { bearerAuth, checkAuth, hmacAuth, noAuth, type AuthConfig, type RouteAuth } from "../../runtime/auth.ts";
import { SecretMissingError } from "../../runtime/errors.ts";

const env = { FLIGHTS_TOKEN: "tok-123", GH_SECRET: "It's a Secret to Everybody" };
const encoder = new TextEncoder();
const bearer: AuthConfig = { kind: "bearer", secret: "FLIGHTS_TOKEN" };
const hmac = (prefix = "sha256=", algorithm: "sha256" | "sha1" | "sha512" = "sha256"): AuthConfig => ({
  kind: "hmac",
  secret: "GH_SECRET",
  header: "x-hub-signature-256",
  prefix,
  algorithm,
});

function post(headers: Record<string, string>, body = ""): { request: Request; raw: ArrayBuffer } {
  const raw = encoder.encode(body).buffer as ArrayBuffer;
  return { request: new Request("https://worker.test/hook", { method: "POST", headers, body }), raw };
}

async function sign(body: string, key: string, hash = "SHA-256"): Promise<string> {
  const k = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("auth none", () => {
  it("lets everything through", async () => {
    const { request, raw } = post({});
    expect(await checkAuth(request, raw, {}, { kind: "none" })).toEqual({ ok: true });
  });
});

describe("bearer", () => {
  it("accepts the right token", async () => {
    const { request, raw } = post({ authorization: "Bearer tok-123" });
    expect(await checkAuth(request, raw, env, bearer)).toEqual({ ok: true });
  });

  it("accepts any case of the scheme", async () => {
    const { request, raw } = post({ authorization: "bearer tok-123" });
    expect(await checkAuth(request, raw, env, bearer)).toEqual({ ok: true });
  });

  it.each([
    ["no header", {}],
    ["another scheme", { authorization: "Basic dG9rLTEyMw==" }],
    ["no token", { authorization: "Bearer " }],
  ])("refuses %s as a missing token", async (_, headers) => {
    const { request, raw } = post(headers);
    expect(await checkAuth(request, raw, env, bearer)).toEqual({ ok: false, reason: "missing bearer token" });
  });

  it.each(["tok-124", "tok-1234", "tok-12", "TOK-123"])("refuses the wrong token %j", async (token) => {
    const { request, raw } = post({ authorization: `Bearer ${token}` });
    expect(await checkAuth(request, raw, env, bearer)).toEqual({ ok: false, reason: "invalid bearer token" });
  });

  it("compares fixed-length digests in constant time", async () => {
    const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
    const { request, raw } = post({ authorization: "Bearer a-much-longer-token-than-the-secret" });
    await checkAuth(request, raw, env, bearer);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0]!;
    expect((a as ArrayBuffer).byteLength).toBe(32);
    expect((b as ArrayBuffer).byteLength).toBe(32);
  });

  it("hashes the secret once, and each request's token once", async () => {
    const rotated = { FLIGHTS_TOKEN: "tok-once" };
    const first = post({ authorization: "Bearer tok-once" });
    expect(await checkAuth(first.request, first.raw, rotated, bearer)).toEqual({ ok: true });
    const digest = vi.spyOn(crypto.subtle, "digest");
    for (const token of ["tok-once", "tok-twice"]) {
      const { request, raw } = post({ authorization: `Bearer ${token}` });
      await checkAuth(request, raw, rotated, bearer);
    }
    expect(digest).toHaveBeenCalledTimes(2);
  });

  it("follows a rotated secret: the new one is accepted, the old one refused", async () => {
    const before = post({ authorization: "Bearer tok-old" });
    expect(await checkAuth(before.request, before.raw, { FLIGHTS_TOKEN: "tok-old" }, bearer)).toEqual({ ok: true });
    const rotated = { FLIGHTS_TOKEN: "tok-new" };
    const old = post({ authorization: "Bearer tok-old" });
    const fresh = post({ authorization: "Bearer tok-new" });
    expect(await checkAuth(old.request, old.raw, rotated, bearer)).toEqual({ ok: false, reason: "invalid bearer token" });
    expect(await checkAuth(fresh.request, fresh.raw, rotated, bearer)).toEqual({ ok: true });
  });

  it("throws (a 500 for the caller) when the secret is not configured", async () => {
    const { request, raw } = post({ authorization: "Bearer x" });
    await expect(checkAuth(request, raw, {}, bearer)).rejects.toBeInstanceOf(SecretMissingError);
  });

  it("never puts the secret or the token in the reason", async () => {
    const { request, raw } = post({ authorization: "Bearer tok-999" });
    const result = await checkAuth(request, raw, env, bearer);
    expect(JSON.stringify(result)).not.toMatch(/tok-/);
  });
});

describe("hmac", () => {
  const body = '{"action":"opened"}';

  it("accepts GitHub's sha256= signature of the raw body", async () => {
    const { request, raw } = post({ "x-hub-signature-256": `sha256=${await sign(body, env.GH_SECRET)}` }, body);
    expect(await checkAuth(request, raw, env, hmac())).toEqual({ ok: true });
  });

  it("matches GitHub's documented test vector", async () => {
    const signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    const { request, raw } = post({ "x-hub-signature-256": signature }, "Hello, World!");
    expect(await checkAuth(request, raw, env, hmac())).toEqual({ ok: true });
  });

  it("accepts upper-case hex", async () => {
    const signature = (await sign(body, env.GH_SECRET)).toUpperCase();
    const { request, raw } = post({ "x-hub-signature-256": `sha256=${signature}` }, body);
    expect(await checkAuth(request, raw, env, hmac())).toEqual({ ok: true });
  });

  it("works without a prefix and with other algorithms", async () => {
    const sha1 = await sign(body, env.GH_SECRET, "SHA-1");
    const sha512 = await sign(body, env.GH_SECRET, "SHA-512");
    const one = post({ "x-hub-signature-256": sha1 }, body);
    const five = post({ "x-hub-signature-256": `v1:${sha512}` }, body);
    expect(await checkAuth(one.request, one.raw, env, hmac("", "sha1"))).toEqual({ ok: true });
    expect(await checkAuth(five.request, five.raw, env, hmac("v1:", "sha512"))).toEqual({ ok: true });
  });

  it("refuses a missing header", async () => {
    const { request, raw } = post({}, body);
    expect(await checkAuth(request, raw, env, hmac())).toEqual({ ok: false, reason: "missing signature" });
  });

  it.each([
    ["a signature of another body", async () => `sha256=${await sign("{}", env.GH_SECRET)}`],
    ["a signature with another key", async () => `sha256=${await sign(body, "wrong")}`],
    ["a missing prefix", async () => sign(body, env.GH_SECRET)],
    ["a wrong prefix", async () => `sha1=${await sign(body, env.GH_SECRET)}`],
    ["non-hex text", async () => "sha256=zz"],
    ["a truncated digest", async () => `sha256=${(await sign(body, env.GH_SECRET)).slice(0, 40)}`],
    ["an empty digest", async () => "sha256="],
  ])("refuses %s", async (_, signature) => {
    const { request, raw } = post({ "x-hub-signature-256": await signature() }, body);
    expect(await checkAuth(request, raw, env, hmac())).toEqual({ ok: false, reason: "invalid signature" });
  });

  it("compares the digest in constant time", async () => {
    const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
    const { request, raw } = post({ "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, body);
    expect(await checkAuth(request, raw, env, hmac())).toEqual({ ok: false, reason: "invalid signature" });
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe("route auth (noAuth, bearerAuth, hmacAuth, as generated routes hold it)", () => {
  const body = '{"action":"opened"}';
  const routeOf = (config: AuthConfig): RouteAuth => {
    switch (config.kind) {
      case "none":
        return noAuth;
      case "bearer":
        return bearerAuth(config.secret);
      case "hmac":
        return hmacAuth({ secret: config.secret, header: config.header, prefix: config.prefix, algorithm: config.algorithm });
    }
  };

  it("keeps the settings", () => {
    const { check: _none, ...none } = routeOf({ kind: "none" });
    const { check: _bearer, ...bearerSettings } = routeOf(bearer);
    const { check: _hmac, ...hmacSettings } = routeOf(hmac());
    expect([none, bearerSettings, hmacSettings]).toEqual([{ kind: "none" }, bearer, hmac()]);
  });

  it.each([
    ["none", { kind: "none" } as AuthConfig, async () => ({})],
    ["bearer, right token", bearer, async () => ({ authorization: "Bearer tok-123" })],
    ["bearer, wrong token", bearer, async () => ({ authorization: "Bearer tok-124" })],
    ["bearer, no token", bearer, async () => ({})],
    ["hmac, right signature", hmac(), async () => ({ "x-hub-signature-256": `sha256=${await sign(body, env.GH_SECRET)}` })],
    ["hmac, other key", hmac(), async () => ({ "x-hub-signature-256": `sha256=${await sign(body, "wrong")}` })],
    ["hmac, sha512 without prefix", hmac("", "sha512"), async () => ({ "x-hub-signature-256": await sign(body, env.GH_SECRET, "SHA-512") })],
    ["hmac, no signature", hmac(), async () => ({})],
  ])("%s: answers as checkAuth does", async (_, config, headers) => {
    const h = await headers();
    const viaRoute = post(h, body);
    const viaCheck = post(h, body);
    const expected = await checkAuth(viaCheck.request, viaCheck.raw, env, config);
    expect(await routeOf(config).check(viaRoute.request, viaRoute.raw, env)).toEqual(expected);
  });

  it("a missing secret throws SecretMissingError, read when a request is checked", async () => {
    const route = bearerAuth("FLIGHTS_TOKEN");
    const { request, raw } = post({ authorization: "Bearer tok-123" });
    await expect(route.check(request, raw, {})).rejects.toBeInstanceOf(SecretMissingError);
    expect(await route.check(request, raw, env)).toEqual({ ok: true });
  });
});
