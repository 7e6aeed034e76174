import { HttpStepFatalError } from "./errors.ts";

/**
 * Places run-time values into an http request's URL (dsl.md §10.9). The
 * generator decides, from the literal text of the `url:` template, where each
 * `${{ }}` sits and wraps it in one of these helpers:
 *
 * - `urlStart`: the whole URL or its start (`${{ env.API_BASE }}/…`); the
 *   value must be an absolute http(s) URL and is used exactly as given;
 * - `urlSegment`: inside the path; the value becomes one path segment;
 * - `urlComponent`: inside the query (or fragment); the value becomes one
 *   query component, so it can never add a parameter.
 *
 * Each takes `where`, the expression as the author wrote it, so a failure
 * names it. Failures throw HttpStepFatalError: retrying cannot change the
 * value. Messages never include the value itself (it may be private data).
 */

/** A value placed in a URL must be text, a number or a boolean; anything else fails the step. */
function text(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  const what = value === null || value === undefined ? "is missing (null)" : Array.isArray(value) ? "is a list" : "is an object";
  throw new HttpStepFatalError(
    `the URL's ${where} ${what}; a value placed in a URL must be text, a number or a boolean.`,
  );
}

/**
 * Percent-encodes every UTF-8 byte except RFC 3986's unreserved characters
 * (letters, digits, `-._~`). That is stricter than either a path segment or
 * a query component needs, so one encoder serves both: `/ ? # & = + % \`,
 * spaces, CR/LF and non-ASCII all become `%XX`. TextEncoder turns a lone
 * surrogate into U+FFFD, so every string encodes (encodeURIComponent throws).
 */
export function encodeStrictly(value: string): string {
  let out = "";
  for (const byte of utf8.encode(value)) {
    out += UNRESERVED[byte] ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

const utf8 = new TextEncoder();
const HEX = "0123456789ABCDEF";
const UNRESERVED: readonly boolean[] = Array.from({ length: 256 }, (_, b) => /^[A-Za-z0-9\-._~]$/.test(String.fromCharCode(b)));

/** Whole URL or its start: an absolute http(s) URL, returned unchanged so the literal text after it joins as written. */
export function urlStart(value: unknown, where: string): string {
  const url = text(value, `start \${{ ${where} }}`);
  const parsed = URL.parse(url);
  if (parsed === null || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new HttpStepFatalError(
      `the URL's start \${{ ${where} }} must give an absolute http:// or https:// URL; it gave ${describeNotHttp(url, parsed)}.`,
    );
  }
  return url;
}

/** What a refused start value was, without showing it: only a scheme, which holds no data. */
function describeNotHttp(url: string, parsed: URL | null): string {
  if (url === "") return "empty text";
  if (parsed !== null) return `a ${parsed.protocol} URL`;
  return url.startsWith("//") ? "a URL without a scheme" : "a relative or malformed URL";
}

/**
 * One path segment. `.` and `..` are refused rather than encoded: URL parsers
 * (WHATWG, and so fetch) treat `%2E` and `%2E%2E` as dot-segments too, so no
 * encoding of them stays a plain segment.
 */
export function urlSegment(value: unknown, where: string): string {
  const segment = text(value, `path \${{ ${where} }}`);
  if (segment === "." || segment === "..") {
    throw new HttpStepFatalError(
      `the URL's path \${{ ${where} }} is '${segment}', which would move up or stay in the path instead of naming one segment.`,
    );
  }
  return encodeStrictly(segment);
}

/** One query (or fragment) component: `&`, `=`, `#`, `+` and the rest are encoded, so no parameter can be added. */
export function urlComponent(value: unknown, where: string): string {
  return encodeStrictly(text(value, `query \${{ ${where} }}`));
}
