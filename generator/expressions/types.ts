import type { JsonValue } from "../model/types.ts";

/**
 * The static types of `${{ }}` expressions: a small lattice, just precise
 * enough to catch mistakes at generate time. `unknown` is the top: anything
 * whose shape is decided at run time (request and message bodies, http
 * response bodies, event payloads). A check only ever complains when the
 * types involved are known, so dynamic data never causes a false positive.
 *
 * The language has one empty value: `null` here stands for both null and a
 * missing property (which reads as `undefined` at run time). Every operator
 * but `==` treats the two alike; `??`, `||`, templates and the functions all
 * do.
 */
export type ExprType =
  | { readonly kind: "unknown" }
  | { readonly kind: "null" }
  | { readonly kind: "boolean" }
  | { readonly kind: "number" }
  /** `values`: the only strings it can be (an `enum`, a literal); absent for any string. */
  | { readonly kind: "string"; readonly values?: readonly string[] }
  | { readonly kind: "array"; readonly element: ExprType }
  /**
   * `props` are the known properties. `rest` is the type of every other key
   * when the object is open (a record, a schema without `properties`);
   * absent when the object is closed and other keys do not exist.
   */
  | { readonly kind: "object"; readonly props: ReadonlyMap<string, ExprType>; readonly rest?: ExprType }
  /** At most one member per kind, never nested, never `unknown`; no members is "never". */
  | { readonly kind: "union"; readonly members: readonly ExprType[] };

/** The kind of every value a type admits; `union` and `unknown` never appear. */
export type BaseKind = "null" | "boolean" | "number" | "string" | "array" | "object";

export const UNKNOWN: ExprType = { kind: "unknown" };
export const NULL: ExprType = { kind: "null" };
export const BOOLEAN: ExprType = { kind: "boolean" };
export const NUMBER: ExprType = { kind: "number" };
export const STRING: ExprType = { kind: "string" };
export const NEVER: ExprType = { kind: "union", members: [] };

export function stringOf(values: readonly string[]): ExprType {
  return { kind: "string", values: [...new Set(values)] };
}

export function arrayOf(element: ExprType): ExprType {
  return { kind: "array", element };
}

/** A closed object with exactly these properties. */
export function objectOf(props: Iterable<readonly [string, ExprType]>): ExprType {
  return { kind: "object", props: new Map(props) };
}

/** An object whose every key holds `value` (headers, query strings). */
export function recordOf(value: ExprType): ExprType {
  return { kind: "object", props: new Map(), rest: value };
}

export function nullable(type: ExprType): ExprType {
  return union(type, NULL);
}

export function isUnknown(type: ExprType): boolean {
  return type.kind === "unknown";
}

function members(type: ExprType): readonly ExprType[] {
  return type.kind === "union" ? type.members : [type];
}

/**
 * Kinds the type admits, or undefined when there is nothing to check: the
 * type is unknown, or "never" (an empty list's items), which fits anywhere.
 */
export function kinds(type: ExprType): ReadonlySet<BaseKind> | undefined {
  if (type.kind === "unknown" || (type.kind === "union" && type.members.length === 0)) return undefined;
  return new Set(members(type).map((m) => m.kind as BaseKind));
}

/** The least type admitting every value of each argument. */
export function union(...types: readonly ExprType[]): ExprType {
  const byKind = new Map<BaseKind, ExprType>();
  for (const type of types.flatMap(members)) {
    if (type.kind === "unknown") return UNKNOWN;
    const kind = type.kind as BaseKind;
    const seen = byKind.get(kind);
    byKind.set(kind, seen ? merge(seen, type) : type);
  }
  const list = ORDER.flatMap((k) => byKind.get(k) ?? []);
  return list.length === 1 ? list[0]! : { kind: "union", members: list };
}

/** Members are kept in this order so a type always prints the same way. */
const ORDER: readonly BaseKind[] = ["string", "number", "boolean", "array", "object", "null"];

/** Two types of the same kind as one. */
function merge(a: ExprType, b: ExprType): ExprType {
  if (a.kind === "string" && b.kind === "string") {
    return a.values && b.values ? stringOf([...a.values, ...b.values]) : STRING;
  }
  if (a.kind === "array" && b.kind === "array") return arrayOf(union(a.element, b.element));
  if (a.kind === "object" && b.kind === "object") {
    // A property only one side has may be missing from the other's values.
    const names = new Set([...a.props.keys(), ...b.props.keys()]);
    const prop = (o: typeof a, name: string): ExprType => o.props.get(name) ?? (o.rest ? nullable(o.rest) : NULL);
    const props = [...names].map((n): [string, ExprType] => [n, union(prop(a, n), prop(b, n))]);
    const rest = a.rest || b.rest ? union(a.rest ?? NEVER, b.rest ?? NEVER) : undefined;
    return { kind: "object", props: new Map(props), ...(rest ? { rest } : {}) };
  }
  return a;
}

/** The type without null: what is left when `??` or `||` falls through. */
export function nonNull(type: ExprType): ExprType {
  if (type.kind === "unknown") return type;
  return union(...members(type).filter((m) => m.kind !== "null"));
}

/** Whether some value has both types (always true when either is unknown or never). */
export function overlaps(a: ExprType, b: ExprType): boolean {
  const ka = kinds(a);
  const kb = kinds(b);
  return !ka || !kb || [...ka].some((k) => kb.has(k));
}

/** The member of one kind, if the type admits that kind. */
export function memberOf<K extends BaseKind>(type: ExprType, kind: K): Extract<ExprType, { kind: K }> | undefined {
  return members(type).find((m): m is Extract<ExprType, { kind: K }> => m.kind === kind);
}

const ARTICLE: Readonly<Record<BaseKind, string>> = {
  null: "null",
  boolean: "a boolean",
  number: "a number",
  string: "a string",
  array: "an array",
  object: "an object",
};

/** `a string`, `a string or null`, `a number, a string or null`: for messages. */
export function typeText(type: ExprType): string {
  if (type.kind === "unknown") return "any value";
  const parts = members(type).map((m) => ARTICLE[m.kind as BaseKind]);
  if (parts.length === 0) return "nothing";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]!}`;
}

/** TypeScript-like notation, for tests and docs: `{ status: number, body: unknown }`. */
export function showType(type: ExprType): string {
  switch (type.kind) {
    case "unknown":
    case "null":
    case "boolean":
    case "number":
      return type.kind;
    case "string":
      return type.values ? type.values.map((v) => `'${v}'`).join(" | ") || "never" : "string";
    case "array": {
      const element = showType(type.element);
      return type.element.kind === "union" ? `(${element})[]` : `${element}[]`;
    }
    case "object": {
      const props = [...type.props].map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${showType(v)}`);
      if (type.rest) props.push(`[key: string]: ${showType(type.rest)}`);
      return props.length === 0 ? "{}" : `{ ${props.join(", ")} }`;
    }
    case "union":
      return type.members.length === 0 ? "never" : type.members.map(showType).join(" | ");
  }
}

/** The type of a JSON value written in YAML (a literal), as precise as it is. */
export function jsonType(value: JsonValue): ExprType {
  if (value === null) return NULL;
  if (typeof value === "string") return stringOf([value]);
  if (typeof value === "number") return NUMBER;
  if (typeof value === "boolean") return BOOLEAN;
  if (Array.isArray(value)) return arrayOf(value.length === 0 ? NEVER : union(...value.map(jsonType)));
  return objectOf(Object.entries(value).map(([k, v]) => [k, jsonType(v)]));
}

type Schema = { readonly [key: string]: JsonValue };

function isSchema(value: JsonValue | undefined): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The type of the values a JSON Schema admits, for the keywords that decide
 * a shape: `type` (or a list of them, the usual way to allow null),
 * `nullable`, `enum`, `const`, `items`, `properties`, `required`,
 * `additionalProperties`, `anyOf`/`oneOf`. Anything else leaves `unknown`.
 *
 * An object that lists `properties` is closed, as the TypeScript input type
 * the generator emits is, unless `additionalProperties` or
 * `patternProperties` opens it; a property outside `required` may be null.
 */
export function schemaType(schema: JsonValue | undefined): ExprType {
  if (!isSchema(schema)) return UNKNOWN;
  const type = shapeOf(schema);
  return schema["nullable"] === true ? nullable(type) : type;
}

function shapeOf(schema: Schema): ExprType {
  if (Array.isArray(schema["enum"])) return union(...schema["enum"].map(jsonType));
  if (schema["const"] !== undefined) return jsonType(schema["const"]);
  const alternatives = schema["anyOf"] ?? schema["oneOf"];
  if (Array.isArray(alternatives)) return alternatives.length === 0 ? UNKNOWN : union(...alternatives.map(schemaType));
  const type = schema["type"];
  if (Array.isArray(type)) return type.length === 0 ? UNKNOWN : union(...type.map((t) => shapeOf({ ...schema, type: t })));
  switch (type) {
    case "string":
      return STRING;
    case "number":
    case "integer":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "null":
      return NULL;
    case "array":
      return arrayOf(schemaType(schema["items"]));
    case "object":
      return objectSchemaType(schema);
    default:
      return UNKNOWN;
  }
}

const COMPOSING = ["allOf", "anyOf", "oneOf", "$ref", "if", "then", "else", "dependentSchemas"];

function objectSchemaType(schema: Schema): ExprType {
  const props = isSchema(schema["properties"]) ? schema["properties"] : {};
  const required = new Set(Array.isArray(schema["required"]) ? schema["required"] : []);
  const known = Object.entries(props).map(([name, sub]): [string, ExprType] => {
    const type = schemaType(sub);
    return [name, required.has(name) ? type : nullable(type)];
  });
  const additional = schema["additionalProperties"];
  // Subschemas may name more properties (allOf: [{ properties: … }], a $ref…): then the object stays open.
  const composed = COMPOSING.some((keyword) => schema[keyword] !== undefined);
  const closed = additional === false || (additional === undefined && known.length > 0 && schema["patternProperties"] === undefined && !composed);
  if (closed) return objectOf(known);
  const rest = isSchema(additional) && schema["patternProperties"] === undefined ? schemaType(additional) : UNKNOWN;
  return { kind: "object", props: new Map(known), rest };
}
