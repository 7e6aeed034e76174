import { isRecord } from "./expr-values.ts";

/**
 * Conversions from expression results (untyped JSON) to what Workflows and
 * fetch need, with errors that name the problem instead of a TypeError.
 */

/**
 * `sleep_until` needs a Date; an expression gives an ISO string or epoch
 * milliseconds. A time already past means "do not wait": it is clamped to
 * now, since the local Workflows engine rejects past times outright.
 */
export function toDate(value: unknown): Date {
  const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`expected an ISO timestamp, got ${JSON.stringify(value) ?? "nothing"}`);
  return new Date(Math.max(ms, Date.now()));
}

/** Header values from YAML may be numbers or booleans; fetch wants strings. Null drops the header. */
export function headerValues(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === null || value === undefined) continue;
    out[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

/** What a flow reads of a step's output (generator/expressions/output-reads.ts): `true` for all of it, else the keys read and what is read of each. */
export type ReadTree = true | { readonly [key: string]: ReadTree };

/**
 * The parts of a step's result that later expressions read, so that only
 * those are persisted (an `http` step would otherwise store every header).
 * A plain object keeps just the keys `read` names (a key it lacks stays
 * absent); anything else (arrays, strings, numbers, null) is kept whole.
 * So every read the flow makes, `$.at(result, …path)` along a path of
 * `read`, gives what it gives on the whole result.
 */
export function keepRead(value: unknown, read: ReadTree): unknown {
  // Step results are JSON data (parsed bodies, header records): every object is a plain one.
  if (read === true || !isRecord(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(read)) {
    if (Object.hasOwn(value, key)) setKey(kept, key, keepRead(value[key], read[key]!));
  }
  return kept;
}

/** `target[key] = value`, also for `__proto__` (a plain assignment would set the prototype instead of a key). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** What a durable step may return: Workflows stores step outputs as JSON-like values. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Normalises a step's result into Json the way JSON.stringify would (undefined
 * → null at the top, dropped inside objects; non-finite numbers → null;
 * dates → ISO text), so what later steps read is what a replay would read.
 */
export function toJson(value: unknown): StepOutput {
  return convert(value) ?? null;
}

/**
 * The static type of a step output. It is Json, but declared opaquely:
 * Workflows' `Serializable<T>` check recurses forever on a recursive type.
 */
export type StepOutput = NonNullable<unknown> | null;

function convert(value: unknown): Json | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => convert(item) ?? null);
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = convert(item);
    if (converted !== undefined) setKey(out, key, converted);
  }
  return out;
}
