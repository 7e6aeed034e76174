import type { Node, Type } from "ts-morph";
import { arrayOf, BOOLEAN, type ExprType, NULL, nullable, NUMBER, STRING, stringOf, union as exprUnion, UNKNOWN } from "../expressions/types.ts";

/**
 * What a `with:` value may be, read from an action's TypeScript parameter
 * type and reduced to what YAML can write: JSON values. Plain data, so the
 * checks (and the emitter, should it want the shapes) never touch ts-morph.
 * Anything a JSON value cannot be (functions, class instances, bigint) is
 * `other`; what we cannot or need not judge (any, unknown, generics,
 * tuples, deep or recursive types) is `any`, which accepts everything.
 */
export type TypeDesc =
  | { readonly kind: "any" }
  | { readonly kind: "string"; readonly literal?: string }
  | { readonly kind: "number"; readonly literal?: number }
  | { readonly kind: "boolean"; readonly literal?: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "undefined" }
  | { readonly kind: "array"; readonly element: TypeDesc }
  | { readonly kind: "object"; readonly properties: readonly PropertyDesc[]; readonly index?: TypeDesc }
  | { readonly kind: "union"; readonly options: readonly TypeDesc[] }
  | { readonly kind: "other"; readonly text: string };

export interface PropertyDesc {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeDesc;
}

/** Deeper than this, a type is taken as `any`: enough for real arguments, and safe for recursive types. */
const MAX_DEPTH = 6;

const ANY: TypeDesc = { kind: "any" };

/** `at` is the node the type is seen from (property types of generic instances depend on it). */
export function describeType(type: Type, at: Node, depth = 0): TypeDesc {
  if (depth > MAX_DEPTH || type.isAny() || type.isUnknown() || type.isTypeParameter()) return ANY;
  const literal = type.getLiteralValue();
  if (type.isStringLiteral() && typeof literal === "string") return { kind: "string", literal };
  if (type.isNumberLiteral() && typeof literal === "number") return { kind: "number", literal };
  if (type.isBooleanLiteral()) return { kind: "boolean", literal: type.getText() === "true" };
  if (type.isString() || type.isTemplateLiteral()) return { kind: "string" };
  if (type.isNumber()) return { kind: "number" };
  if (type.isBoolean()) return { kind: "boolean" };
  if (type.isNull()) return { kind: "null" };
  if (type.isUndefined() || type.isVoid()) return { kind: "undefined" };
  if (type.isUnion()) return union(type.getUnionTypes().map((t) => describeType(t, at, depth + 1)));
  if (type.isArray() || type.isReadonlyArray()) {
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
    return { kind: "array", element: element ? describeType(element, at, depth + 1) : ANY };
  }
  // Tuples and intersections are rare in action arguments; not judging them beats judging them wrong.
  if (type.isTuple() || type.isIntersection()) return ANY;
  if (type.isObject()) return objectType(type, at, depth);
  return { kind: "other", text: type.getText() };
}

function objectType(type: Type, at: Node, depth: number): TypeDesc {
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return { kind: "other", text: "a function" };
  const properties: PropertyDesc[] = [];
  for (const symbol of type.getProperties()) {
    const propType = symbol.getTypeAtLocation(at);
    // Methods mean a class instance (Date, Map, …), which no YAML value is.
    if (propType.getCallSignatures().length > 0) return { kind: "other", text: type.getText() };
    const optional = symbol.isOptional();
    // `x?: T` reads as `T | undefined`; YAML cannot write undefined, so `T` says it all.
    const described = describeType(optional ? propType.getNonNullableType() : propType, at, depth + 1);
    properties.push({ name: symbol.getName(), optional, type: described });
  }
  const indexType = type.getStringIndexType();
  const index = indexType ? describeType(indexType, at, depth + 1) : undefined;
  return { kind: "object", properties, ...(index ? { index } : {}) };
}

/** Flattens nested unions and folds `true | false` back into boolean, for readable messages. */
function union(options: readonly TypeDesc[]): TypeDesc {
  const flat = options.flatMap((o) => (o.kind === "union" ? o.options : [o]));
  if (flat.some((o) => o.kind === "any")) return ANY;
  const isBool = (o: TypeDesc, value: boolean): boolean => o.kind === "boolean" && o.literal === value;
  const both = flat.some((o) => isBool(o, true)) && flat.some((o) => isBool(o, false));
  const merged: TypeDesc[] = both ? [...flat.filter((o) => o.kind !== "boolean"), { kind: "boolean" }] : [...flat];
  // TypeScript lists null and undefined first (they are created first); people write them last.
  merged.sort((a, b) => Number(isEmpty(a)) - Number(isEmpty(b)));
  return merged.length === 1 ? merged[0]! : { kind: "union", options: merged };
}

const isEmpty = (t: TypeDesc): boolean => t.kind === "null" || t.kind === "undefined";

/** The alternatives of a type (itself unless it is a union). */
export function optionsOf(type: TypeDesc): readonly TypeDesc[] {
  return type.kind === "union" ? type.options : [type];
}

/** TypeScript-like text for messages, e.g. `"express" | "standard"` or `{ sku: string; qty?: number }`. */
export function typeText(type: TypeDesc): string {
  switch (type.kind) {
    case "any":
      return "any";
    case "string":
      return type.literal === undefined ? "string" : JSON.stringify(type.literal);
    case "number":
    case "boolean":
      return type.literal === undefined ? type.kind : String(type.literal);
    case "null":
    case "undefined":
      return type.kind;
    case "array": {
      const element = typeText(type.element);
      return type.element.kind === "union" ? `(${element})[]` : `${element}[]`;
    }
    case "object": {
      const parts = type.properties.map((p) => `${p.name}${p.optional ? "?" : ""}: ${typeText(p.type)}`);
      if (type.index) parts.push(`[key: string]: ${typeText(type.index)}`);
      return parts.length === 0 ? "{}" : `{ ${parts.join("; ")} }`;
    }
    case "union":
      return type.options.map(typeText).join(" | ");
    case "other":
      return type.text;
  }
}

/**
 * An action's output as the expression checker's type, so reads of
 * `steps.<run step>.output` are typed. Optional properties may be missing,
 * which reads as null; what is not JSON data is unknown.
 */
export function exprTypeOf(type: TypeDesc): ExprType {
  switch (type.kind) {
    case "any":
    case "other":
      return UNKNOWN;
    case "string":
      return type.literal === undefined ? STRING : stringOf([type.literal]);
    case "number":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "null":
    case "undefined":
      return NULL;
    case "array":
      return arrayOf(exprTypeOf(type.element));
    case "object": {
      const props = type.properties.map((p): [string, ExprType] => [p.name, p.optional ? nullable(exprTypeOf(p.type)) : exprTypeOf(p.type)]);
      return { kind: "object", props: new Map(props), ...(type.index ? { rest: exprTypeOf(type.index) } : {}) };
    }
    case "union":
      return exprUnion(...type.options.map(exprTypeOf));
  }
}
