/**
 * Reads a body stream up to a byte limit. Shared by incoming requests (the
 * trigger's 1 MiB limit) and outgoing responses (a step output must fit the
 * Workflows per-step state limit).
 *
 * Content-Length alone cannot be trusted: it may be absent, or wrong when the
 * message was built in-process (a service binding, a test) rather than framed
 * by HTTP. Whatever it says, a body over the limit or of another length than
 * declared is never accepted, and a request is never buffered past either.
 */

/**
 * The bytes, or why there are none: `too-large` (over the limit), or
 * `unreadable` (the body does not match its Content-Length, or its stream
 * failed part-way, as when the sender goes away).
 */
export type LimitedBody = { readonly ok: true; readonly bytes: ArrayBuffer } | { readonly ok: false; readonly problem: BodyProblem };
export type BodyProblem = "too-large" | "unreadable";

const TOO_LARGE = { ok: false, problem: "too-large" } as const;
const UNREADABLE = { ok: false, problem: "unreadable" } as const;

/**
 * The body of a request or response, up to a limit. When the message
 * declares its length within the limit and is not content-encoded (a
 * decoded body may be larger than its declared length), the body is read
 * natively in one call and must have exactly that length; otherwise it is
 * counted as it streams (readBodyLimited).
 *
 * Where a wrong Content-Length can come from decides how the native read is
 * guarded. A response reached us through the runtime's HTTP client, which
 * reads exactly the length the server declared (only a Response built in
 * this isolate, a test's fake, can disagree with its header), so it is read
 * as it is and checked after. A request may come from a caller in-process
 * (a service binding), which can send any header with any body, so it is
 * read through a FixedLengthStream of the declared length: a body longer
 * than declared fails as soon as it overruns, and no false Content-Length
 * makes us buffer more than it said.
 *
 * The native read matters for speed: in a Workflows step, reading a body
 * through a JS stream reader costs far more than the read itself (see
 * BENCHMARKS.md, "Run time"), and so does the FixedLengthStream pipe (about
 * 70 µs against 17 µs for a small body, in workerd), so responses, read in
 * every http step, do without it.
 */
export async function readMessageBody(message: Request | Response, maxBytes: number): Promise<LimitedBody> {
  const declared = declaredLength(message.headers);
  if (declared !== undefined && declared > maxBytes) {
    await cancelQuietly(message.body);
    return TOO_LARGE;
  }
  const encoding = message.headers.get("content-encoding");
  if (declared === undefined || (encoding !== null && encoding.trim().toLowerCase() !== "identity")) {
    return readBodyLimited(message.body, maxBytes);
  }
  // A message without a body (HEAD-like, 204, 304) may still declare the length it would have had.
  if (message.body === null) return { ok: true, bytes: new ArrayBuffer(0) };
  try {
    const source = message instanceof Request ? new Response(message.body.pipeThrough(new FixedLengthStream(declared))) : message;
    const bytes = await source.arrayBuffer();
    return bytes.byteLength === declared ? { ok: true, bytes } : UNREADABLE;
  } catch {
    return UNREADABLE;
  }
}

/** Counts the stream as it is read and cancels it as soon as it goes over `maxBytes`. */
export async function readBodyLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<LimitedBody> {
  if (stream === null) return { ok: true, bytes: new ArrayBuffer(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return TOO_LARGE;
      }
      chunks.push(value);
    }
  } catch {
    return UNREADABLE;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes: bytes.buffer };
}

async function cancelQuietly(stream: ReadableStream<Uint8Array> | null): Promise<void> {
  await stream?.cancel().catch(() => undefined);
}

/** `Content-Length` when present and valid; lets a too-large body be refused unread. */
export function declaredLength(headers: Headers): number | undefined {
  const text = headers.get("content-length");
  if (text === null || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The lower-cased media type without parameters (`"application/json"`), or "" when absent. */
export function mediaType(headers: Headers): string {
  const value = headers.get("content-type") ?? "";
  return (value.split(";", 1)[0] ?? "").trim().toLowerCase();
}

/** True for `application/json` and structured-syntax `+json` types (`application/problem+json`). */
export function isJsonMediaType(type: string): boolean {
  return type === "application/json" || (type.endsWith("+json") && type.includes("/"));
}
