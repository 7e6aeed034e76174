import { parseSignedDuration } from "./durations.ts";
import { ExpressionError, isRecord, num, str, typeName } from "./expr-values.ts";

/**
 * The built-in functions of `${{ }}` expressions. Names and arities must
 * match generator/expressions/functions.ts (a test compares the two lists).
 * Text arguments go through `str` (null reads as ""), number arguments
 * through `num`; a value of a kind a function cannot handle is an
 * ExpressionError naming the function, never a bare TypeError.
 */

function fail(fn: string, message: string): never {
  throw new ExpressionError(`${fn}(): ${message}`);
}

export function length(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isRecord(value)) return Object.keys(value).length;
  return fail("length", `expected a string, array or object, got ${typeName(value)}`);
}

/** Substring of a string, element (strict equality) of an array, own key of an object; false for null. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (haystack === null || haystack === undefined) return false;
  if (typeof haystack === "string") return haystack.includes(str(needle));
  if (Array.isArray(haystack)) return haystack.includes(needle);
  if (isRecord(haystack)) return Object.hasOwn(haystack, str(needle));
  return fail("contains", `expected a string, array or object to search, got ${typeName(haystack)}`);
}

export function startsWith(text: unknown, prefix: unknown): boolean {
  return str(text).startsWith(str(prefix));
}

export function endsWith(text: unknown, suffix: unknown): boolean {
  return str(text).endsWith(str(suffix));
}

export function lower(text: unknown): string {
  return str(text).toLowerCase();
}

export function upper(text: unknown): string {
  return str(text).toUpperCase();
}

export function trim(text: unknown): string {
  return str(text).trim();
}

export function split(text: unknown, separator: unknown): string[] {
  return str(text).split(str(separator));
}

/** Items joined as text (each through `str`); null joins to "". */
export function join(items: unknown, separator: unknown = ","): string {
  if (items === null || items === undefined) return "";
  if (!Array.isArray(items)) return fail("join", `expected an array, got ${typeName(items)}`);
  return items.map(str).join(str(separator));
}

/** JSON text of the value; undefined (a missing field) gives "null". */
export function toJSON(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

export function fromJSON(text: unknown): unknown {
  if (typeof text !== "string") return fail("fromJSON", `expected JSON text, got ${typeName(text)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const preview = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    return fail("fromJSON", `the text is not valid JSON: ${JSON.stringify(preview)}`);
  }
}

/** Half away from zero at `digits` decimals (JavaScript's Math.round rounds -2.5 to -2). */
export function round(value: unknown, digits: unknown = 0): number {
  const n = num(value);
  const d = Math.trunc(num(digits));
  if (!Number.isFinite(n) || !Number.isFinite(d)) return n;
  // Shifting the decimal point in the text, not by multiplying, keeps 1.005 → 1.01.
  const rounded = Math.round(shift(Math.abs(n), d));
  return Math.sign(n) * shift(rounded, -d) || 0;
}

function shift(n: number, digits: number): number {
  const [mantissa, exponent = "0"] = String(n).split("e");
  return Number(`${mantissa}e${Number(exponent) + digits}`);
}

export function floor(value: unknown): number {
  return Math.floor(num(value));
}

export function ceil(value: unknown): number {
  return Math.ceil(num(value));
}

/**
 * One array argument is the list; otherwise the arguments are. Null and
 * undefined items are ignored; all strings compare as text (timestamps),
 * otherwise as numbers. An empty list gives null.
 */
function extreme(fn: string, args: readonly unknown[], sign: 1 | -1): number | string | null {
  const first = args[0];
  const items = (args.length === 1 && Array.isArray(first) ? first : args).filter((v) => v !== null && v !== undefined);
  if (items.length === 0) return null;
  if (items.every((v): v is string => typeof v === "string")) {
    return items.reduce((best, v) => ((sign === 1 ? v < best : v > best) ? v : best));
  }
  const numbers = items.map(num);
  if (numbers.some(Number.isNaN)) return fail(fn, "expected numbers, or strings only");
  return sign === 1 ? Math.min(...numbers) : Math.max(...numbers);
}

export function min(...values: unknown[]): number | string | null {
  return extreme("min", values, 1);
}

export function max(...values: unknown[]): number | string | null {
  return extreme("max", values, -1);
}

export function keys(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "object") return Object.keys(value);
  return fail("keys", `expected an object, got ${typeName(value)}`);
}

export function values(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "object") return Object.values(value);
  return fail("values", `expected an object, got ${typeName(value)}`);
}

export function now(): string {
  return new Date().toISOString();
}

export function uuid(): string {
  return crypto.randomUUID();
}

/**
 * Moves an ISO timestamp (or epoch milliseconds) by a duration such as
 * "90 minutes" or "-2 days". A month is 30 days and a year 365 days, as in
 * sleep, delay and timeout (runtime/durations.ts), so `sleep_until:
 * addDuration(t, '1 month')` and `sleep: 1 month` wait the same time.
 */
export function addDuration(timestamp: unknown, duration: unknown): string {
  const ms = typeof timestamp === "number" ? timestamp : typeof timestamp === "string" ? Date.parse(timestamp) : Number.NaN;
  if (!Number.isFinite(ms)) return fail("addDuration", `expected an ISO timestamp, got ${JSON.stringify(timestamp) ?? "nothing"}`);
  const parsed = typeof duration === "string" ? parseSignedDuration(duration) : undefined;
  if (!parsed) {
    return fail("addDuration", `expected a duration such as '1 hour' or '-2 days', got ${JSON.stringify(duration) ?? "nothing"}`);
  }
  return new Date(ms + parsed.sign * parsed.seconds * 1000).toISOString();
}

/** Every built-in function by name: the list tests compare with the generator's. */
export const functions = {
  length,
  contains,
  startsWith,
  endsWith,
  lower,
  upper,
  trim,
  split,
  join,
  toJSON,
  fromJSON,
  round,
  floor,
  ceil,
  min,
  max,
  keys,
  values,
  now,
  addDuration,
  uuid,
} as const;
