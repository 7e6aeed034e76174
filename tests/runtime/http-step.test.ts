import { NonRetryableError } from "cloudflare:workflows";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpStepError, HttpStepFatalError, SecretMissingError } from "../../runtime/errors.ts";
import { httpCall, type HttpCallSpec } from "../../runtime/http-step.ts";

const env = { FLIGHT_API_KEY: "key-very-secret" };
const URL_WITH_QUERY = "https://api.example.com/flights/DL264?date=2026-02-23&token=query-secret";

function fakeFetch(...responses: Response[]) {
  const spy = vi.spyOn(globalThis, "fetch");
  for (const response of responses) spy.mockResolvedValueOnce(response);
  return spy;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** The request the step sent, as the fake fetch saw it. */
function sent(spy: ReturnType<typeof fakeFetch>, call = 0): Request {
  const [input, init] = spy.mock.calls[call]!;
  return new Request(input as URL, init as RequestInit);
}

async function failure(spec: HttpCallSpec): Promise<Error> {
  try {
    await httpCall(spec, env);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected httpCall to fail");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("httpCall success", () => {
  it("returns status, lower-cased headers and the parsed JSON body", async () => {
    fakeFetch(jsonResponse(200, { status: "delayed" }, { "X-Request-Id": "r1" }));
    const result = await httpCall({ method: "GET", url: URL_WITH_QUERY }, env);
    expect(result.status).toBe(200);
    expect(result.headers["x-request-id"]).toBe("r1");
    expect(result.headers["content-type"]).toBe("application/json");
    expect(result.body).toEqual({ status: "delayed" });
    expect(structuredClone(result)).toEqual(result);
  });

  it("with what the flow reads, returns just that: no headers or body nobody reads", async () => {
    fakeFetch(
      jsonResponse(200, { status: "delayed", gate: "B12", history: [1, 2, 3] }, { "X-Request-Id": "r1" }),
      jsonResponse(201, { id: "x" }, { "X-Request-Id": "r2" }),
      new Response("not json", { headers: { "content-type": "application/json" } }),
    );
    expect(await httpCall({ method: "GET", url: URL_WITH_QUERY }, env, { body: { status: true, history: true } })).toEqual({ body: { status: "delayed", history: [1, 2, 3] } });
    expect(await httpCall({ method: "GET", url: URL_WITH_QUERY }, env, { status: true, headers: { "x-request-id": true } })).toEqual({ status: 201, headers: { "x-request-id": "r2" } });
    // A body read whole is kept as the full call would give it (here mislabelled text).
    expect(await httpCall({ method: "GET", url: URL_WITH_QUERY }, env, { body: true })).toEqual({ body: "not json" });
  });

  it("still holds an unread body to the size limit", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    fakeFetch(new Response(big, { headers: { "content-type": "text/plain" } }));
    await expect(httpCall({ method: "GET", url: URL_WITH_QUERY }, env, { status: true })).rejects.toBeInstanceOf(HttpStepFatalError);
  });

  it("returns text for other content types and null for an empty body", async () => {
    fakeFetch(new Response("plain", { headers: { "content-type": "text/plain" } }), new Response(null, { status: 204 }));
    expect((await httpCall({ method: "GET", url: "https://a.test/" }, env)).body).toBe("plain");
    expect((await httpCall({ method: "DELETE", url: "https://a.test/" }, env)).body).toBeNull();
  });

  it("refuses a body larger than a step output may hold, without retry", async () => {
    fakeFetch(new Response("x".repeat(1024 * 1024 + 1), { headers: { "content-type": "text/plain" } }));
    const error = await failure({ method: "GET", url: "https://a.test/big" });
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error.message).toContain("more than a step output may hold");
  });

  it("refuses a body that declares more than a step output may hold without reading it, without retry", async () => {
    fakeFetch(new Response("x", { headers: { "content-type": "text/plain", "content-length": String(2 * 1024 * 1024) } }));
    const error = await failure({ method: "GET", url: "https://a.test/big" });
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error.message).toContain("more than a step output may hold");
  });

  it.each([
    ["longer than", "3"],
    ["shorter than", "300"],
  ])("retries a body %s its Content-Length, as a dropped connection", async (_, declared) => {
    fakeFetch(new Response('{"status":"on time"}', { headers: { "content-type": "application/json", "content-length": declared } }));
    const error = await failure({ method: "GET", url: URL_WITH_QUERY });
    expect(error).toBeInstanceOf(HttpStepError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe(
      "GET https://api.example.com/flights/DL264 answered 200, but its body could not be read in full (it did not match its Content-Length, or the connection dropped).",
    );
  });

  it("reads no body for HEAD", async () => {
    fakeFetch(new Response(null, { headers: { "content-length": "10" } }));
    expect((await httpCall({ method: "HEAD", url: "https://a.test/" }, env)).body).toBeNull();
  });

  it("falls back to text when a JSON response does not parse", async () => {
    fakeFetch(new Response("{oops", { headers: { "content-type": "application/json" } }));
    expect((await httpCall({ method: "GET", url: "https://a.test/" }, env)).body).toBe("{oops");
  });

  it.each([200, 201, 204, 299])("accepts %i without expect", async (status) => {
    fakeFetch(new Response(null, { status }));
    expect((await httpCall({ method: "GET", url: "https://a.test/" }, env)).status).toBe(status);
  });

  it("accepts exactly the statuses in expect", async () => {
    fakeFetch(jsonResponse(404, { error: "no such flight" }));
    const result = await httpCall({ method: "GET", url: "https://a.test/", expect: [200, 404] }, env);
    expect(result).toMatchObject({ status: 404, body: { error: "no such flight" } });

    fakeFetch(new Response(null, { status: 201 }));
    await expect(httpCall({ method: "GET", url: "https://a.test/", expect: [200] }, env)).rejects.toBeInstanceOf(NonRetryableError);
  });
});

describe("httpCall request", () => {
  it("JSON-encodes the body with a JSON content type", async () => {
    const spy = fakeFetch(new Response(null, { status: 201 }));
    await httpCall({ method: "POST", url: "https://a.test/bookings", body: { flight: "DL264", seats: [1, 2] } }, env);
    const request = sent(spy);
    expect(request.method).toBe("POST");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(await request.json()).toEqual({ flight: "DL264", seats: [1, 2] });
  });

  it("keeps the author's content type, and sends a string as is when it is not JSON", async () => {
    const spy = fakeFetch(new Response(null), new Response(null));
    await httpCall({ method: "PUT", url: "https://a.test/", headers: { "Content-Type": "text/plain" }, body: "hello" }, env);
    await httpCall({ method: "PATCH", url: "https://a.test/", headers: { "content-type": "application/merge-patch+json" }, body: "hello" }, env);
    expect(await sent(spy, 0).text()).toBe("hello");
    expect(sent(spy, 0).headers.get("content-type")).toBe("text/plain");
    expect(await sent(spy, 1).text()).toBe('"hello"');
  });

  it("sends no body for GET", async () => {
    const spy = fakeFetch(new Response(null));
    await httpCall({ method: "GET", url: "https://a.test/", body: { ignored: true } }, env);
    expect(sent(spy).body).toBeNull();
  });

  it("reads secret headers from env", async () => {
    const spy = fakeFetch(new Response(null));
    await httpCall(
      { method: "GET", url: "https://a.test/", headers: { accept: "application/json" }, secretHeaders: { "x-api-key": "FLIGHT_API_KEY" } },
      env,
    );
    expect(sent(spy).headers.get("x-api-key")).toBe("key-very-secret");
    expect(sent(spy).headers.get("accept")).toBe("application/json");
  });

  it("fails without retry when a secret is missing", async () => {
    vi.spyOn(globalThis, "fetch");
    const error = await failure({ method: "GET", url: "https://a.test/", secretHeaders: { authorization: "NOPE" } });
    expect(error).toBeInstanceOf(SecretMissingError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });
});

describe("httpCall failures", () => {
  it.each([400, 401, 403, 404, 409, 422])("%i fails without retry", async (status) => {
    fakeFetch(jsonResponse(status, {}));
    const error = await failure({ method: "GET", url: URL_WITH_QUERY });
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as HttpStepFatalError).status).toBe(status);
    expect(error.message).toBe(`GET https://api.example.com/flights/DL264 answered ${status} (expected 2xx).`);
  });

  it.each([408, 429, 500, 502, 503])("%i is retried", async (status) => {
    fakeFetch(new Response("busy", { status }));
    const error = await failure({ method: "POST", url: URL_WITH_QUERY, expect: [200, 404] });
    expect(error).toBeInstanceOf(HttpStepError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect((error as HttpStepError).status).toBe(status);
    expect(error.message).toContain(`answered ${status} (expected 200 or 404)`);
  });

  it("retries network errors, without the query string or secrets in the message", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(new TypeError(`connect failed to ${URL_WITH_QUERY} with key-very-secret`));
    const error = await failure({ method: "GET", url: URL_WITH_QUERY, secretHeaders: { "x-api-key": "FLIGHT_API_KEY" } });
    expect(error).toBeInstanceOf(HttpStepError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect(error.message).toMatch(/^GET https:\/\/api\.example\.com\/flights\/DL264 failed: /);
    expect(error.message).not.toContain("query-secret");
    expect(error.message).not.toContain("key-very-secret");
  });

  it("never puts header values or secrets in error messages", async () => {
    fakeFetch(jsonResponse(403, { echo: "key-very-secret" }));
    const error = await failure({
      method: "GET",
      url: URL_WITH_QUERY,
      headers: { "x-trace": "trace-value" },
      secretHeaders: { authorization: "FLIGHT_API_KEY" },
    });
    expect(error.message).not.toContain("key-very-secret");
    expect(error.message).not.toContain("trace-value");
    expect(error.message).not.toContain("query-secret");
    expect(error.message).not.toContain("FLIGHT_API_KEY=");
  });

  it.each(["ftp://a.test/file", "/relative/path", "not a url", "javascript:alert(1)", "file:///etc/passwd"])(
    "refuses the URL %s without retry",
    async (url) => {
      vi.spyOn(globalThis, "fetch");
      const error = await failure({ method: "GET", url });
      expect(error).toBeInstanceOf(HttpStepFatalError);
      expect(error.message).toContain("must be an absolute http:// or https:// URL");
      expect(globalThis.fetch).not.toHaveBeenCalled();
    },
  );

  it("does not show credentials or query of a refused URL", async () => {
    const error = await failure({ method: "GET", url: "ftp://user:pw@a.test/x?token=t" });
    expect(error.message).toBe("GET ftp://a.test/x: the URL must be an absolute http:// or https:// URL.");
  });

  it.each([
    ["a CRLF in a value", { "x-a": "ok\r\nx-injected: 1" }, "x-a"],
    ["a LF in a value", { "x-b": "ok\nmore" }, "x-b"],
    ["a NUL in a value", { "x-c": "a\u0000b" }, "x-c"],
    ["a CRLF in a name", { "x-d\r\nx-injected": "1" }, "x-d"],
    ["a space in a name", { "x e": "1" }, "x e"],
  ])("refuses %s without retry, naming the header", async (_, headers, name) => {
    vi.spyOn(globalThis, "fetch");
    const error = await failure({ method: "GET", url: "https://a.test/", headers });
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain("injected: 1");
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });

  it("refuses a secret that would inject a header, naming the secret but not its value", async () => {
    vi.spyOn(globalThis, "fetch");
    const error = await httpCall({ method: "GET", url: "https://a.test/", secretHeaders: { authorization: "BAD" } }, { BAD: "x\r\nevil: 1" }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error?.message).toContain("BAD");
    expect(error?.message).not.toContain("evil");
  });
});

describe("httpCall redirects", () => {
  it("follows a same-origin redirect keeping secret headers", async () => {
    const spy = fakeFetch(new Response(null, { status: 302, headers: { location: "/v2/flights" } }), jsonResponse(200, { ok: 1 }));
    const result = await httpCall({ method: "GET", url: "https://a.test/flights", secretHeaders: { "x-api-key": "FLIGHT_API_KEY" } }, env);
    expect(result.body).toEqual({ ok: 1 });
    expect(sent(spy, 1).url).toBe("https://a.test/v2/flights");
    expect(sent(spy, 1).headers.get("x-api-key")).toBe("key-very-secret");
  });

  it("drops secret headers when a redirect leaves the origin", async () => {
    const spy = fakeFetch(new Response(null, { status: 307, headers: { location: "https://elsewhere.test/x" } }), new Response(null));
    await httpCall({ method: "GET", url: "https://a.test/flights", secretHeaders: { "x-api-key": "FLIGHT_API_KEY" } }, env);
    expect(sent(spy, 1).headers.get("x-api-key")).toBeNull();
  });

  it("turns a POST into a GET after 303", async () => {
    const spy = fakeFetch(new Response(null, { status: 303, headers: { location: "/result" } }), new Response("done"));
    await httpCall({ method: "POST", url: "https://a.test/jobs", body: { a: 1 } }, env);
    expect(sent(spy, 1).method).toBe("GET");
    expect(sent(spy, 1).body).toBeNull();
  });

  it("returns a redirect the step expects instead of following it", async () => {
    const spy = fakeFetch(new Response(null, { status: 302, headers: { location: "/next" } }));
    const result = await httpCall({ method: "GET", url: "https://a.test/", expect: [302] }, env);
    expect(result.status).toBe(302);
    expect(result.headers["location"]).toBe("/next");
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("gives up after too many redirects", async () => {
    const spy = vi.spyOn(globalThis, "fetch");
    spy.mockImplementation(async () => new Response(null, { status: 302, headers: { location: "/loop" } }));
    const error = await failure({ method: "GET", url: "https://a.test/" });
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error.message).toContain("redirects");
  });
});
