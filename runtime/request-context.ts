import { isJsonMediaType, mediaType, readMessageBody, type BodyProblem } from "./read-body.ts";
import { emptyRecord, parseUntrustedForm, parseUntrustedJson } from "./safe-json.ts";

/**
 * Turns an incoming trigger request into the `request` value flow expressions
 * see (`request.body`, `request.headers['user-id']`, …), plus the raw bytes
 * HMAC auth needs.
 */

/** Larger trigger bodies are refused with 413; workflow params are small by design. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export interface RequestContext {
  /** Parsed body: JSON value, form record, text, or null when empty. */
  readonly body: unknown;
  /** Header names lower-cased; repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameters; a repeated name keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** Path parameters from the trigger's path, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly method: string;
  readonly path: string;
}

export type ReadRequestResult =
  | { readonly ok: true; readonly ctx: RequestContext; readonly rawBody: ArrayBuffer }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly reason: string };

const UNSUPPORTED = "unsupported content type: send application/json, application/x-www-form-urlencoded or text/plain";

/**
 * Reads and parses a request. Body rules: over `maxBytes` → 413; not the
 * length its Content-Length says → 400; empty → null; JSON (`application/json`
 * or `+json`) → its value; urlencoded form → record; `text/*` → string; any
 * other body → 415. Every record is null-prototype (see safe-json.ts).
 */
export async function readRequest(
  request: Request,
  params: Readonly<Record<string, string>>,
  maxBytes: number = MAX_REQUEST_BODY_BYTES,
  /** `new URL(request.url)`, when the caller has parsed it already. */
  parsedUrl?: URL,
): Promise<ReadRequestResult> {
  const read = await readMessageBody(request, maxBytes);
  if (!read.ok) return { ok: false, ...bodyRefusal(read.problem, maxBytes) };

  const body = parseBody(request.headers, read.bytes);
  if (!body.ok) return body;

  const url = parsedUrl ?? new URL(request.url);
  const headers = emptyRecord<string>();
  for (const [name, value] of request.headers) headers[name] = value;
  const query = emptyRecord<string>();
  for (const [name, value] of url.searchParams) query[name] = value;
  const ownParams = emptyRecord<string>();
  for (const [name, value] of Object.entries(params)) ownParams[name] = value;

  const ctx: RequestContext = { body: body.value, headers, query, params: ownParams, method: request.method, path: url.pathname };
  return { ok: true, ctx, rawBody: read.bytes };
}

/**
 * The answer to a body that could not be read: 413 when it is over the
 * limit (declared or counted), 400 when it does not match its Content-Length
 * or was cut short.
 */
export function bodyRefusal(problem: BodyProblem, maxBytes: number = MAX_REQUEST_BODY_BYTES): { readonly status: 400 | 413; readonly reason: string } {
  return problem === "too-large"
    ? { status: 413, reason: `request body is larger than ${maxBytes} bytes` }
    : { status: 400, reason: "request body could not be read: it does not match its Content-Length, or it was cut short" };
}

type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly status: 400 | 415; readonly reason: string };

function parseBody(headers: Headers, bytes: ArrayBuffer): ParsedBody {
  if (bytes.byteLength === 0) return { ok: true, value: null };
  const type = mediaType(headers);

  if (isJsonMediaType(type)) {
    const text = decode(bytes, "utf-8");
    if (text === undefined) return { ok: false, status: 400, reason: "request body is not valid JSON" };
    return badRequestUnlessOk(parseUntrustedJson(text, "request body"));
  }
  if (type === "application/x-www-form-urlencoded") {
    const text = decode(bytes, "utf-8");
    if (text === undefined) return { ok: false, status: 400, reason: "request body is not valid UTF-8" };
    return badRequestUnlessOk(parseUntrustedForm(text, "request body"));
  }
  if (type.startsWith("text/")) {
    const charset = charsetOf(headers) ?? "utf-8";
    let text: string | undefined;
    try {
      text = decode(bytes, charset);
    } catch {
      return { ok: false, status: 415, reason: "unsupported charset" };
    }
    if (text === undefined) return { ok: false, status: 400, reason: `request body is not valid ${charset}` };
    return { ok: true, value: text };
  }
  return { ok: false, status: 415, reason: UNSUPPORTED };
}

function badRequestUnlessOk(parsed: { ok: true; value: unknown } | { ok: false; reason: string }): ParsedBody {
  return parsed.ok ? parsed : { ok: false, status: 400, reason: parsed.reason };
}

/** Strict UTF-8, the charset of nearly every body; a decoder keeps no state between whole-buffer calls. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes strictly; undefined on malformed bytes. Throws RangeError for an unknown charset label. */
function decode(bytes: ArrayBuffer, charset: string): string | undefined {
  const decoder = charset === "utf-8" ? strictUtf8 : new TextDecoder(charset, { fatal: true, ignoreBOM: false });
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function charsetOf(headers: Headers): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(headers.get("content-type") ?? "");
  return match?.[1]?.toLowerCase();
}
