/**
 * The value model of compiled `${{ }}` expressions: null-safe reads, text
 * and number conversion. Runs in the Worker and in Node (the generator's
 * tests evaluate compiled expressions), so it uses no platform APIs.
 */

/**
 * An expression could not be evaluated (e.g. `fromJSON` of text that is not
 * JSON). Plain Error on purpose: this module must not import
 * `cloudflare:workflows`; callers decide whether it is retryable.
 */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
}

/** `null`, `array`, `object`, `string`, … — for error messages. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `base[k1][k2]…`, null-safe: a missing key, or reading from null,
 * undefined or a primitive, gives `undefined` instead of throwing. Only own
 * properties are seen, so `x.constructor` or `x.__proto__` never reach a
 * prototype. Strings answer `length` and character indexes.
 */
export function at(base: unknown, ...path: unknown[]): unknown {
  let current = base;
  for (const key of path) {
    if (typeof key !== "string" && typeof key !== "number") return undefined;
    if (typeof current === "string") {
      if (key === "length") current = current.length;
      else current = isIndex(key) ? current[Number(key)] : undefined;
    } else if (typeof current === "object" && current !== null) {
      current = Object.hasOwn(current, key) ? (current as Record<string | number, unknown>)[key] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}

function isIndex(key: string | number): boolean {
  return typeof key === "number" ? Number.isInteger(key) && key >= 0 : /^(0|[1-9]\d*)$/.test(key);
}

/**
 * Text of a value for templates and string functions: null and undefined
 * give "" (so a missing field interpolates as nothing rather than
 * "undefined"), objects and arrays give JSON, everything else `String()`.
 */
export function str(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value) ?? "";
  return String(value);
}

/**
 * JavaScript's `Number()` for the values JSON can hold: numeric strings
 * parse ("" is 0), booleans are 1/0, null is 0; undefined, arrays and
 * objects are NaN (never their `toString()`).
 */
export function num(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" || typeof value === "boolean") return Number(value);
  if (value === null) return 0;
  return Number.NaN;
}

/**
 * The identity. Compiled code wraps constants in it where TypeScript would
 * otherwise reject a test it can decide statically (`'x' || y`).
 */
export function val<T>(value: T): T {
  return value;
}

/**
 * A guard (`if:`, `repeat.until`) takes true or false only (dsl.md §10.7):
 * reading "false" or 0 as a JavaScript truth value would run or skip the
 * wrong steps without a word. `where` names the step and field in the error.
 */
export function guard(value: unknown, where: string): boolean {
  if (typeof value === "boolean") return value;
  const shown = value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));
  const text = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
  // A plain Error: thrown outside any step, it fails the run with this message as it is.
  throw new Error(`${where} must be true or false, but it was ${text} (${value === undefined ? "missing" : typeName(value)})`);
}
