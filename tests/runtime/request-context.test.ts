import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BODY_BYTES, readRequest, type ReadRequestResult } from "../../runtime/request-context.ts";

function request(body: BodyInit | null, contentType?: string, url = "https://worker.test/flights?x=1"): Request {
  return new Request(url, { method: "POST", body, headers: contentType ? { "content-type": contentType } : {} });
}

async function ok(result: Promise<ReadRequestResult>) {
  const r = await result;
  if (!r.ok) throw new Error(`expected ok, got ${r.status} ${r.reason}`);
  return r;
}

async function failure(result: Promise<ReadRequestResult>) {
  const r = await result;
  if (r.ok) throw new Error("expected a failure");
  return r;
}

describe("readRequest", () => {
  it("builds the request context", async () => {
    const req = new Request("https://worker.test/flights/DL1/approve?date=2026-02-23&tag=a&tag=b", {
      method: "POST",
      headers: { "User-Id": "u1", "content-type": "application/json" },
      body: '{"ok":true}',
    });
    const { ctx, rawBody } = await ok(readRequest(req, { id: "DL1" }));
    expect(ctx.method).toBe("POST");
    expect(ctx.path).toBe("/flights/DL1/approve");
    expect(ctx.params).toEqual({ id: "DL1" });
    expect(ctx.query).toEqual({ date: "2026-02-23", tag: "b" });
    expect(ctx.headers["user-id"]).toBe("u1");
    expect(ctx.body).toEqual({ ok: true });
    expect(new TextDecoder().decode(rawBody)).toBe('{"ok":true}');
  });

  it("gives null-prototype records, so inherited names read as undefined", async () => {
    const { ctx } = await ok(readRequest(request('{"a":{"b":1}}', "application/json"), {}));
    const body = ctx.body as Record<string, Record<string, unknown>>;
    expect(body["toString"]).toBeUndefined();
    expect(body["a"]!["hasOwnProperty"]).toBeUndefined();
    expect(ctx.headers["constructor"]).toBeUndefined();
    expect(ctx.query["toString"]).toBeUndefined();
    expect(structuredClone(ctx.body)).toEqual({ a: { b: 1 } });
  });

  it("gives null-prototype objects inside arrays and at any depth, keeping every value", async () => {
    const text = '{"list":[{"a":1},[{"b":{"c":[null,true,"x",2.5]}}]],"__proto__x":1}';
    const { ctx } = await ok(readRequest(request(text, "application/json"), {}));
    const body = ctx.body as { list: [Record<string, unknown>, [{ b: { c: unknown[] } }]] };
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(Object.getPrototypeOf(body.list[0])).toBeNull();
    expect(Object.getPrototypeOf(body.list[1][0])).toBeNull();
    expect(Object.getPrototypeOf(body.list[1][0].b)).toBeNull();
    expect(Array.isArray(body.list[1][0].b.c)).toBe(true);
    expect(JSON.stringify(body)).toBe(text);
  });

  it("refuses a forbidden key nested very deep, and survives nesting too deep to walk", async () => {
    const deep = `${'{"a":'.repeat(2000)}{"constructor":1}${"}".repeat(2000)}`;
    expect((await failure(readRequest(request(deep, "application/json"), {}))).reason).toBe("forbidden key constructor in request body");
    const tooDeep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expect(await failure(readRequest(request(tooDeep, "application/json"), {}))).toMatchObject({ status: 400 });
  });

  it("decodes each body on its own: a malformed body does not affect the next one", async () => {
    const bad = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(await failure(readRequest(request(bad, "application/json"), {}))).toMatchObject({ status: 400 });
    expect((await ok(readRequest(request('{"a":"é"}', "application/json"), {}))).ctx.body).toEqual({ a: "é" });
  });

  it("reads an empty body as null whatever the content type", async () => {
    expect((await ok(readRequest(request(null), {}))).ctx.body).toBeNull();
    expect((await ok(readRequest(request("", "application/xml"), {}))).ctx.body).toBeNull();
    const get = new Request("https://worker.test/x", { method: "GET" });
    expect((await ok(readRequest(get, {}))).ctx.body).toBeNull();
  });

  it.each([
    ["application/json", '[1,"two",null]', [1, "two", null]],
    ["application/json; charset=utf-8", '"text"', "text"],
    ["application/vnd.github+json", '{"action":"opened"}', { action: "opened" }],
    ["application/x-www-form-urlencoded", "flight=DL264&date=2026-02-23&flight=DL1", { flight: "DL1", date: "2026-02-23" }],
    ["text/plain", "héllo", "héllo"],
    ["text/csv; charset=utf-8", "a,b\n1,2", "a,b\n1,2"],
  ])("parses %s", async (type, body, expected) => {
    expect((await ok(readRequest(request(body, type), {}))).ctx.body).toEqual(expected);
  });

  it("answers 400 for invalid JSON", async () => {
    expect(await failure(readRequest(request("{nope", "application/json"), {}))).toEqual({
      ok: false,
      status: 400,
      reason: "request body is not valid JSON",
    });
  });

  it.each(['{"__proto__":{"admin":true}}', '{"a":[{"constructor":{"prototype":{}}}]}', '{"prototype":1}'])(
    "answers 400 for a forbidden key in %s",
    async (body) => {
      const r = await failure(readRequest(request(body, "application/json"), {}));
      expect(r.status).toBe(400);
      expect(r.reason).toMatch(/^forbidden key (__proto__|constructor|prototype) in request body$/);
    },
  );

  it("names __proto__ in the reason", async () => {
    const r = await failure(readRequest(request('{"__proto__":{"polluted":1}}', "application/json"), {}));
    expect(r.reason).toBe("forbidden key __proto__ in request body");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses forbidden keys in forms too", async () => {
    const r = await failure(readRequest(request("__proto__=1", "application/x-www-form-urlencoded"), {}));
    expect(r).toEqual({ ok: false, status: 400, reason: "forbidden key __proto__ in request body" });
  });

  it.each([
    ["application/xml", "<a/>"],
    ["application/octet-stream", "bytes"],
    [undefined, "no type"],
  ])("answers 415 for %s", async (type, body) => {
    const req = new Request("https://worker.test/x", { method: "POST", body: new TextEncoder().encode(body) });
    if (type) req.headers.set("content-type", type);
    const r = await failure(readRequest(req, {}));
    expect(r.status).toBe(415);
  });

  it("answers 415 for an unknown charset", async () => {
    expect((await failure(readRequest(request("x", "text/plain; charset=klingon"), {}))).status).toBe(415);
  });

  it("answers 413 for a declared length over the limit", async () => {
    const body = "x".repeat(MAX_REQUEST_BODY_BYTES + 1);
    const req = request(body, "text/plain");
    req.headers.set("content-length", String(body.length));
    const r = await failure(readRequest(req, {}));
    expect(r).toEqual({ ok: false, status: 413, reason: `request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes` });
  });

  it.each([["3"], ["300"]])("answers 400 when Content-Length says %s but the body is not that long", async (declared) => {
    const req = request('{"ok":true}', "application/json");
    req.headers.set("content-length", declared);
    const r = await failure(readRequest(req, {}));
    expect(r).toEqual({ ok: false, status: 400, reason: "request body could not be read: it does not match its Content-Length, or it was cut short" });
  });

  it("answers 413 for a streamed body over the limit, without trusting Content-Length", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_REQUEST_BODY_BYTES + chunk.length) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const r = await failure(readRequest(request(stream, "text/plain"), {}));
    expect(r.status).toBe(413);
  });

  it("accepts a body of exactly the limit", async () => {
    const body = "x".repeat(MAX_REQUEST_BODY_BYTES);
    expect(typeof (await ok(readRequest(request(body, "text/plain"), {}))).ctx.body).toBe("string");
  });

  it("honours a smaller limit", async () => {
    expect((await failure(readRequest(request("12345", "text/plain"), {}, 4))).status).toBe(413);
  });
});
