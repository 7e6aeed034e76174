/**
 * Reads a body stream up to a byte limit. Shared by incoming requests (the
 * trigger's 1 MiB limit) and outgoing responses (a step output must fit the
 * Workflows per-step state limit).
 *
 * Content-Length alone cannot be trusted (it may be absent or wrong), so the
 * stream is counted as it is read and cancelled as soon as it goes over.
 */

export type LimitedBody = { readonly ok: true; readonly bytes: ArrayBuffer } | { readonly ok: false };

/**
 * The body of a request or response, up to a limit. When the message
 * declares its length within the limit and is not content-encoded (a
 * decoded body may be larger than its declared length), the body is read
 * natively in one call; otherwise it is counted as it streams
 * (readBodyLimited). Either way no more than the limit is kept.
 *
 * The native read matters for speed: in a Workflows step, reading a body
 * through a JS stream reader costs far more than the read itself (see
 * BENCHMARKS.md, "Run time").
 */
export async function readMessageBody(message: Request | Response, maxBytes: number): Promise<LimitedBody> {
  const declared = declaredLength(message.headers);
  const encoding = message.headers.get("content-encoding");
  if (declared !== undefined && declared <= maxBytes && (encoding === null || encoding.trim().toLowerCase() === "identity")) {
    const bytes = await message.arrayBuffer();
    return bytes.byteLength <= maxBytes ? { ok: true, bytes } : { ok: false };
  }
  return readBodyLimited(message.body, maxBytes);
}

export async function readBodyLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<LimitedBody> {
  if (stream === null) return { ok: true, bytes: new ArrayBuffer(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes: bytes.buffer };
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
