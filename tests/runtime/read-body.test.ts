import { afterEach, describe, expect, it, vi } from "vitest";
import { readBodyLimited, readMessageBody, type LimitedBody } from "../../runtime/read-body.ts";

/**
 * readMessageBody's two paths: a message that declares its length (within
 * the limit, not content-encoded) is read natively in one call; any other is
 * counted as it streams. Whatever Content-Length says, no more than the
 * limit is kept, a wrong one is refused rather than trusted, and nothing
 * hangs. (The trigger's answers to these bodies: reliability-hostile.test.ts.)
 */

const KIB = 1024;
const LIMIT = 64 * KIB;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A pull stream of `total` bytes (byte i is i % 251) in `chunk`-sized pieces, counting what was pulled. */
function source(total: number, chunk = 4 * KIB, options: { failAfter?: number } = {}) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (options.failAfter !== undefined && seen.pulled >= options.failAfter) return controller.error(new Error("connection reset"));
      if (seen.pulled >= total) return controller.close();
      const size = Math.min(chunk, total - seen.pulled);
      controller.enqueue(Uint8Array.from({ length: size }, (_, i) => (seen.pulled + i) % 251));
      seen.pulled += size;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function expected(total: number): Uint8Array {
  return Uint8Array.from({ length: total }, (_, i) => i % 251);
}

function response(body: BodyInit | null, headers: Record<string, string> = {}): Response {
  return new Response(body, { headers });
}

function request(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("https://worker.test/in", { method: "POST", body, headers });
}

function bytesOf(result: LimitedBody): Uint8Array {
  if (!result.ok) throw new Error(`expected the body, got ${result.problem}`);
  return new Uint8Array(result.bytes);
}

/** Resolves with `promise`, or fails the test if it takes longer than `ms` (a hang; generous, as the machine may be loaded). */
async function within<T>(promise: Promise<T>, ms = 20_000): Promise<T> {
  let timer = 0;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("readMessageBody: the declared-length fast path", () => {
  // Messages built in-process carry no Content-Length of their own (workerd adds it when sending); received ones do.
  it.each([
    ["a response", (body: Uint8Array) => response(body, { "content-length": String(body.byteLength) })],
    ["a request", (body: Uint8Array) => request(body, { "content-length": String(body.byteLength) })],
  ])("returns exactly the body of %s, read natively (no JS stream reader)", async (_, make) => {
    const body = expected(10 * KIB);
    const message = make(body);
    const getReader = vi.spyOn(ReadableStream.prototype, "getReader");
    expect(bytesOf(await readMessageBody(message, LIMIT))).toEqual(body);
    expect(getReader).not.toHaveBeenCalled();
  });

  it("returns a streamed body whose Content-Length is right, in order", async () => {
    const { stream } = source(20 * KIB, 3 * KIB);
    expect(bytesOf(await readMessageBody(response(stream, { "content-length": String(20 * KIB) }), LIMIT))).toEqual(expected(20 * KIB));
  });

  it("accepts a body of exactly the limit, and an empty one", async () => {
    expect(bytesOf(await readMessageBody(response(expected(LIMIT), { "content-length": String(LIMIT) }), LIMIT))).toEqual(expected(LIMIT));
    expect(bytesOf(await readMessageBody(response("", { "content-length": "0" }), LIMIT))).toHaveLength(0);
    expect(bytesOf(await readMessageBody(response(null, { "content-length": "0" }), LIMIT))).toHaveLength(0);
  });

  it("reads a message without a body as empty, whatever length it declares (a 304, a HEAD answer)", async () => {
    expect(bytesOf(await readMessageBody(response(null, { "content-length": "10" }), LIMIT))).toHaveLength(0);
  });
});

describe("readMessageBody: a Content-Length that lies", () => {
  const both = [
    ["a request", request],
    ["a response", response],
  ] as const;

  it.each(both)("refuses %s whose body is longer than declared as unreadable, not as what it says", async (_, make) => {
    expect(await within(readMessageBody(make("0123456789", { "content-length": "3" }), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
  });

  it.each(both)("refuses %s whose body is shorter than declared, without waiting for bytes that never come", async (_, make) => {
    expect(await within(readMessageBody(make("0123456789", { "content-length": "30" }), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
    const { stream } = source(10 * KIB);
    expect(await within(readMessageBody(make(stream, { "content-length": String(20 * KIB) }), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
  });

  it.each(both)("refuses %s whose body fails part-way as unreadable", async (_, make) => {
    const { stream } = source(20 * KIB, 4 * KIB, { failAfter: 8 * KIB });
    expect(await within(readMessageBody(make(stream, { "content-length": String(20 * KIB) }), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
  });

  // A request may come from a caller in-process that sends any header with any body.
  it("stops a huge request body that declares a small length as soon as it overruns, and cancels it", async () => {
    const { stream, seen } = source(64 * 1024 * KIB, 16 * KIB);
    expect(await within(readMessageBody(request(stream, { "content-length": "5" }), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
    // Nowhere near 64 MiB, and not even the limit: the overrun is noticed at the first chunk past 5 bytes.
    await vi.waitFor(() => expect(seen.cancelled).toBe(true));
    expect(seen.pulled).toBeLessThan(LIMIT);
  });
});

describe("readMessageBody: bodies over the limit", () => {
  it("with Content-Length: too large, refused unread", async () => {
    const { stream, seen } = source(LIMIT + 1);
    expect(await readMessageBody(response(stream, { "content-length": String(LIMIT + 1) }), LIMIT)).toEqual({ ok: false, problem: "too-large" });
    // At most the one chunk the stream pulls on its own when created.
    expect(seen.pulled).toBeLessThanOrEqual(4 * KIB);
    expect(seen.cancelled).toBe(true);
  });

  it("a request with a Content-Length under the limit that lies: refused, never buffered much past the limit", async () => {
    const { stream, seen } = source(64 * 1024 * KIB, 8 * KIB);
    const result = await within(readMessageBody(request(stream, { "content-length": String(LIMIT) }), LIMIT));
    expect(result).toEqual({ ok: false, problem: "unreadable" });
    // The source is cancelled (the pipe does it just after the read fails), having given the
    // limit plus the few chunks a pipe reads ahead: nowhere near the 64 MiB on offer.
    await vi.waitFor(() => expect(seen.cancelled).toBe(true));
    expect(seen.pulled).toBeLessThanOrEqual(LIMIT + 8 * 8 * KIB);
  });

  // Over HTTP a response is held to its Content-Length by the client; one built in-process is read, then refused.
  it("a response with a Content-Length under the limit that lies: refused", async () => {
    const { stream } = source(2 * LIMIT, 8 * KIB);
    expect(await within(readMessageBody(response(stream, { "content-length": String(LIMIT) }), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
  });

  it("without Content-Length: too large once the count crosses the limit, and the stream is cancelled", async () => {
    const { stream, seen } = source(64 * 1024 * KIB, 16 * KIB);
    expect(await within(readMessageBody(response(stream), LIMIT))).toEqual({ ok: false, problem: "too-large" });
    expect(seen.pulled).toBeLessThanOrEqual(LIMIT + 16 * KIB);
    expect(seen.cancelled).toBe(true);
  });

  it("content-encoded (so the declared length is not the decoded one): counted, and too large past the limit", async () => {
    const { stream } = source(LIMIT + 1);
    const headers = { "content-length": "100", "content-encoding": "gzip" };
    expect(await within(readMessageBody(response(stream, headers), LIMIT))).toEqual({ ok: false, problem: "too-large" });
  });
});

describe("readMessageBody: chunked bodies (no Content-Length)", () => {
  it.each([
    ["one chunk", 1 * KIB, 4 * KIB],
    ["many small chunks", 10 * KIB + 7, 100],
    ["chunks that end exactly at the limit", LIMIT, 8 * KIB],
  ])("returns %s joined in order", async (_, total, chunk) => {
    const { stream } = source(total, chunk);
    const message = response(stream);
    expect(message.headers.get("content-length")).toBeNull();
    expect(bytesOf(await readMessageBody(message, LIMIT))).toEqual(expected(total));
  });

  it("returns a content-encoded body by counting, whatever length it declares", async () => {
    const { stream } = source(5 * KIB);
    expect(bytesOf(await readMessageBody(response(stream, { "content-length": "3", "content-encoding": "br" }), LIMIT))).toEqual(expected(5 * KIB));
  });

  it("refuses a chunked body that fails part-way as unreadable", async () => {
    const { stream } = source(20 * KIB, 4 * KIB, { failAfter: 8 * KIB });
    expect(await within(readMessageBody(request(stream), LIMIT))).toEqual({ ok: false, problem: "unreadable" });
  });

  it("reads no body at all as empty", async () => {
    expect(bytesOf(await readMessageBody(request(null), LIMIT))).toHaveLength(0);
    expect(bytesOf(await readBodyLimited(null, LIMIT))).toHaveLength(0);
  });
});
