import { HttpStepError, HttpStepFatalError } from "./errors.ts";
import { isJsonMediaType, mediaType, readMessageBody } from "./read-body.ts";
import { readSecret } from "./secrets.ts";
import { keepRead, type ReadTree } from "./step-values.ts";

/**
 * The `http:` step (and the agent-side `http:` action): one outgoing request
 * whose result is the step output `{ status, headers, body }`.
 *
 * Failures are classified for Workflows: what a retry may fix (408, 429, 5xx,
 * network errors) throws `HttpStepError`; everything else throws
 * `HttpStepFatalError`, a `NonRetryableError`, so the instance fails at once.
 * Error messages name the method, the URL without query string or
 * credentials, and the status, never header values or secrets.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface HttpCallSpec {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** header name → secret name; read from `env` at call time, winning over `headers`. */
  readonly secretHeaders?: Readonly<Record<string, string>>;
  /** Sent as JSON unless it is a string and the author set a non-JSON content-type. Ignored for GET/HEAD. */
  readonly body?: unknown;
  /** Statuses that succeed; absent means any 2xx. */
  readonly expect?: readonly number[];
}

export interface HttpCallResult {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
  /** Parsed JSON when the response says JSON (and parses), else text; null when empty. */
  readonly body: unknown;
}

/** A step's output is persisted by Workflows, which limits it to 1 MiB; larger bodies cannot be stored. */
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;

// RFC 9110 token for names; values may hold tab, visible ASCII and obs-text, never CR/LF/NUL.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/**
 * Sends the request and returns `{ status, headers, body }`; with `read`, only
 * the parts of it that the flow reads (see keepRead): a workflow step persists
 * its result, and the generator knows which parts later expressions use. The
 * body is read in full (and held to the size limit) either way.
 */
export function httpCall(spec: HttpCallSpec, env: unknown): Promise<HttpCallResult>;
export function httpCall(spec: HttpCallSpec, env: unknown, read: ReadTree | undefined): Promise<Partial<HttpCallResult>>;
export async function httpCall(spec: HttpCallSpec, env: unknown, read?: ReadTree): Promise<Partial<HttpCallResult>> {
  const url = parseUrl(spec.url, spec.method);
  const where = `${spec.method} ${url.origin}${url.pathname}`;
  const secrets: string[] = [];
  const headers = new Headers();

  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    checkHeaderName(name, where);
    if (!HEADER_VALUE.test(value)) {
      throw new HttpStepFatalError(`${where}: header ${name} has an invalid value (line breaks or control characters).`);
    }
    headers.set(name, value);
  }
  for (const [name, secretName] of Object.entries(spec.secretHeaders ?? {})) {
    checkHeaderName(name, where);
    const value = readSecret(env, secretName);
    if (!HEADER_VALUE.test(value)) {
      throw new HttpStepFatalError(`${where}: secret ${secretName} for header ${name} contains characters not allowed in a header.`);
    }
    secrets.push(value);
    headers.set(name, value);
  }

  const isExpected = (status: number): boolean =>
    spec.expect ? spec.expect.includes(status) : status >= 200 && status <= 299;
  const request: OutgoingRequest = { url, method: spec.method, headers, body: encodeBody(spec, headers) };
  let response: Response;
  try {
    response = await sendFollowingRedirects(request, Object.keys(spec.secretHeaders ?? {}), isExpected, where);
  } catch (error) {
    if (error instanceof HttpStepFatalError) throw error;
    const detail = error instanceof Error ? redact(error.message, [spec.url, url.href, url.search, ...secrets]) : "unknown error";
    throw new HttpStepError(`${where} failed: ${detail}`);
  }

  const status = response.status;
  const ok = isExpected(status);
  if (!ok) {
    await response.body?.cancel();
    const wanted = spec.expect ? `expected ${spec.expect.join(" or ")}` : "expected 2xx";
    const message = `${where} answered ${status} (${wanted}).`;
    if (isRetryableStatus(status)) throw new HttpStepError(message, status);
    throw new HttpStepFatalError(message, status);
  }

  if (read === undefined || read === true) {
    return { status, headers: Object.fromEntries(response.headers), body: await readResponseBody(response, spec.method, where, true) };
  }
  // Parts nobody reads are not built: no header record, no decoding of an unread body.
  const body = await readResponseBody(response, spec.method, where, read["body"] !== undefined);
  const answered = read["headers"] !== undefined ? Object.fromEntries(response.headers) : {};
  return keepRead({ status, headers: answered, body }, read) as Partial<HttpCallResult>;
}

interface OutgoingRequest {
  url: URL;
  method: HttpMethod;
  readonly headers: Headers;
  body: string | undefined;
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * Follows redirects by hand (as fetch would) so that secret headers are
 * dropped when a redirect leaves the original origin — fetch only drops
 * `authorization`, and an API key in `x-api-key` must not reach a stranger.
 * A redirect status the step expects is returned, not followed.
 */
async function sendFollowingRedirects(
  request: OutgoingRequest,
  secretHeaders: readonly string[],
  isExpected: (status: number) => boolean,
  where: string,
): Promise<Response> {
  const origin = request.url.origin;
  for (let hop = 0; ; hop++) {
    const init: RequestInit = { method: request.method, headers: request.headers, redirect: "manual" };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetch(request.url, init);
    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || location === null || isExpected(response.status)) return response;
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) throw new HttpStepFatalError(`${where}: more than ${MAX_REDIRECTS} redirects.`);
    const next = URL.parse(location, request.url.href);
    if (next === null || (next.protocol !== "http:" && next.protocol !== "https:")) {
      throw new HttpStepFatalError(`${where}: redirected to a URL that is not http(s).`);
    }
    if (next.origin !== origin) for (const name of [...secretHeaders, "authorization", "cookie"]) request.headers.delete(name);
    // As browsers do: 303, and 301/302 after POST, continue as a GET without body.
    const toGet = response.status === 303 ? request.method !== "HEAD" : response.status <= 302 && request.method === "POST";
    if (toGet) {
      request.method = "GET";
      request.body = undefined;
      request.headers.delete("content-type");
    }
    request.url = next;
  }
}

/** 408 and 429 ask to come back later; 5xx are the server's trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function parseUrl(text: string, method: HttpMethod): URL {
  const url = URL.parse(text);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new HttpStepFatalError(`${method} ${describeBadUrl(text)}: the URL must be an absolute http:// or https:// URL.`);
  }
  return url;
}

/** The part of a bad URL that is safe to show: no query, fragment or credentials. */
function describeBadUrl(text: string): string {
  const base = text.split(/[?#]/, 1)[0] ?? "";
  const shown = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1").slice(0, 200);
  return shown === "" ? "(empty URL)" : shown;
}

function checkHeaderName(name: string, where: string): void {
  if (!HEADER_NAME.test(name)) {
    // The name may itself carry an injection attempt; show it escaped.
    throw new HttpStepFatalError(`${where}: ${JSON.stringify(name).slice(0, 100)} is not a valid header name.`);
  }
}

function encodeBody(spec: HttpCallSpec, headers: Headers): string | undefined {
  if (spec.body === undefined || spec.method === "GET" || spec.method === "HEAD") return undefined;
  const type = headers.get("content-type");
  if (typeof spec.body === "string" && type !== null && !isJsonMediaType(mediaType(headers))) return spec.body;
  if (type === null) headers.set("content-type", "application/json");
  return JSON.stringify(spec.body);
}

const utf8 = new TextDecoder();

/** The body, parsed when JSON (`parse: false` when nobody reads it: it is still read, within the limit, but not decoded). */
async function readResponseBody(response: Response, method: HttpMethod, where: string, parse: boolean): Promise<unknown> {
  if (method === "HEAD") {
    await response.body?.cancel();
    return null;
  }
  const read = await readMessageBody(response, MAX_RESPONSE_BODY_BYTES);
  if (!read.ok && read.problem === "too-large") {
    throw new HttpStepFatalError(
      `${where} answered ${response.status} with a body over ${MAX_RESPONSE_BODY_BYTES} bytes, more than a step output may hold.`,
      response.status,
    );
  }
  if (!read.ok) {
    // Cut short, as when the connection drops: a network error, so the step is retried.
    throw new HttpStepError(`${where} answered ${response.status}, but its body could not be read in full (it did not match its Content-Length, or the connection dropped).`, response.status);
  }
  if (read.bytes.byteLength === 0 || !parse) return null;
  const text = utf8.decode(read.bytes);
  if (isJsonMediaType(mediaType(response.headers))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A server that mislabels its body still answered; give the flow the text.
      return text;
    }
  }
  return text;
}

function redact(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (value !== "") out = out.split(value).join("[redacted]");
  return out.slice(0, 300);
}
