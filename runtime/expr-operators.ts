import { num, str } from "./expr-values.ts";

/**
 * The operators of `${{ }}` expressions, for operands TypeScript only knows
 * as `unknown`. Semantics follow JavaScript, with two deliberate changes:
 * `+` turns null/undefined/objects into text the way templates do (`str`),
 * and no operator ever calls a value's own `toString`/`valueOf`.
 */

/** String concatenation when either side is a string, else numeric addition. */
export function add(a: unknown, b: unknown): string | number {
  if (typeof a === "string" || typeof b === "string") return str(a) + str(b);
  return num(a) + num(b);
}

export function sub(a: unknown, b: unknown): number {
  return num(a) - num(b);
}

export function mul(a: unknown, b: unknown): number {
  return num(a) * num(b);
}

/** Division by zero gives Infinity or NaN, as in JavaScript (JSON turns both into null). */
export function div(a: unknown, b: unknown): number {
  return num(a) / num(b);
}

export function mod(a: unknown, b: unknown): number {
  return num(a) % num(b);
}

export function neg(a: unknown): number {
  return -num(a);
}

/**
 * `==` of the flow language is strict: no type conversion, objects by
 * identity. A missing value (`undefined` at run time) equals `null`, as in
 * the JSON the flow author thinks in.
 */
export function eq(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}

/**
 * Two strings compare as text (so ISO timestamps order correctly); anything
 * else compares as numbers, and a comparison with NaN (undefined, objects)
 * is false, as in JavaScript.
 */
function compare(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const x = num(a);
  const y = num(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
}

export function lt(a: unknown, b: unknown): boolean {
  return compare(a, b) < 0;
}

export function le(a: unknown, b: unknown): boolean {
  return compare(a, b) <= 0;
}

export function gt(a: unknown, b: unknown): boolean {
  return compare(a, b) > 0;
}

export function ge(a: unknown, b: unknown): boolean {
  return compare(a, b) >= 0;
}
