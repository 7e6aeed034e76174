import type { JsonValue } from "../model/types.ts";

/**
 * Where a JSON Schema (draft 2020-12) holds other schemas, so a walk visits
 * schemas only: a `$ref` key inside `properties:` names a property, and one
 * inside `const:` or `default:` is data; neither is a reference.
 */

/** Keywords whose value is one schema. */
const ONE = ["items", "contains", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "not", "if", "then", "else"];
/** Keywords whose value maps names to schemas. */
const MAP = ["properties", "patternProperties", "$defs", "dependentSchemas"];
/** Keywords whose value is a list of schemas. */
const LIST = ["prefixItems", "allOf", "anyOf", "oneOf"];

export type SchemaObject = { readonly [key: string]: JsonValue };

export function isSchemaObject(value: JsonValue | undefined): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Calls `visit` for `schema` and every schema inside it, with its path (JSON pointer segments) from `schema`. */
export function forEachSchema(schema: JsonValue, visit: (schema: SchemaObject, path: readonly string[]) => void, path: readonly string[] = []): void {
  if (!isSchemaObject(schema)) return;
  visit(schema, path);
  for (const keyword of ONE) {
    const sub = schema[keyword];
    if (sub !== undefined) forEachSchema(sub, visit, [...path, keyword]);
  }
  for (const keyword of MAP) {
    const subs = schema[keyword];
    if (isSchemaObject(subs)) for (const [name, sub] of Object.entries(subs)) forEachSchema(sub, visit, [...path, keyword, name]);
  }
  for (const keyword of LIST) {
    const subs = schema[keyword];
    if (Array.isArray(subs)) subs.forEach((sub, i) => forEachSchema(sub, visit, [...path, keyword, String(i)]));
  }
}

/** A copy of `schema` with `change` applied to every schema in it, innermost first. */
export function mapSchemas(schema: JsonValue, change: (schema: SchemaObject) => SchemaObject): JsonValue {
  if (!isSchemaObject(schema)) return schema;
  const out: { [key: string]: JsonValue } = { ...schema };
  for (const keyword of ONE) if (out[keyword] !== undefined) out[keyword] = mapSchemas(out[keyword], change);
  for (const keyword of MAP) {
    const subs = out[keyword];
    if (isSchemaObject(subs)) out[keyword] = Object.fromEntries(Object.entries(subs).map(([name, sub]) => [name, mapSchemas(sub, change)]));
  }
  for (const keyword of LIST) {
    const subs = out[keyword];
    if (Array.isArray(subs)) out[keyword] = subs.map((sub) => mapSchemas(sub, change));
  }
  return change(out);
}

/**
 * The segments of a local reference (`#/$defs/address` → `$defs`, `address`),
 * or undefined when it is not one. Segments are URI-fragment encoded JSON
 * pointer segments (`~1` for `/`, `%25` for `%`).
 */
export function localRefSegments(ref: string): string[] | undefined {
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return undefined;
  try {
    return ref
      .slice(2)
      .split("/")
      .map((s) => decodeURIComponent(s).replaceAll("~1", "/").replaceAll("~0", "~"));
  } catch {
    return undefined;
  }
}

/** What a local reference points at inside `root`, or undefined when it points at nothing. */
export function resolveLocalRef(root: JsonValue, ref: string): JsonValue | undefined {
  const segments = localRefSegments(ref);
  if (!segments) return undefined;
  let value: JsonValue | undefined = root;
  for (const segment of segments) {
    if (Array.isArray(value)) value = /^(0|[1-9]\d*)$/.test(segment) ? value[Number(segment)] : undefined;
    else if (isSchemaObject(value)) value = Object.hasOwn(value, segment) ? value[segment] : undefined;
    else value = undefined;
    if (value === undefined) return undefined;
  }
  return value;
}
