import type { JsonValue } from "../model/types.ts";
import { isSchemaObject, resolveLocalRef, type SchemaObject } from "../schema/schema-keywords.ts";

/**
 * The TypeScript type of the values a JSON Schema (draft 2020-12) admits,
 * as text, for the emitted input types. It follows the keywords that give a
 * shape: `type`, `const`/`enum` (literal unions), `anyOf`/`oneOf` (unions),
 * `allOf` and `$ref` (intersections), `properties` with `required`
 * (required and optional members), `additionalProperties` and
 * `patternProperties` (index signatures), `items` and `prefixItems`
 * (arrays and tuples). Keywords that only narrow a value (`not`,
 * `if`/`then`/`else`, `pattern`, `minimum`…) leave the type as it is, and
 * a schema with nothing that gives a shape is `unknown`, never `any`: the
 * type may be wider than the schema, never narrower.
 *
 * `root` is the schema `$ref`s are resolved in: the input field's own.
 */
export function schemaType(schema: JsonValue | undefined, root: JsonValue | undefined = schema): string {
  return new TypeWriter(root).type(schema, 0);
}

export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

const UNKNOWN = "unknown";
/** Deep enough for any real schema; deeper is `unknown`. */
const MAX_DEPTH = 12;

class TypeWriter {
  private readonly root: JsonValue | undefined;
  private readonly expanding = new Set<string>();

  constructor(root: JsonValue | undefined) {
    this.root = root;
  }

  type(schema: JsonValue | undefined, depth: number): string {
    if (schema === true) return UNKNOWN;
    if (schema === false) return "never";
    if (!isSchemaObject(schema) || depth > MAX_DEPTH) return UNKNOWN;
    if (schema["const"] !== undefined) return literal(schema["const"]);
    if (Array.isArray(schema["enum"])) return union(schema["enum"].map(literal));
    const parts = [this.shape(schema, depth)];
    const ref = schema["$ref"];
    if (typeof ref === "string") parts.push(this.reference(ref, depth));
    const allOf = schema["allOf"];
    if (Array.isArray(allOf)) parts.push(...allOf.map((sub) => this.type(sub, depth + 1)));
    for (const keyword of ["anyOf", "oneOf"]) {
      const alternatives = schema[keyword];
      if (Array.isArray(alternatives)) parts.push(union(alternatives.map((sub) => this.type(sub, depth + 1))));
    }
    return intersection(parts);
  }

  /** A recursive schema (a tree, a linked list) is written out once; its next level is `unknown`. */
  private reference(ref: string, depth: number): string {
    if (this.expanding.has(ref)) return UNKNOWN;
    this.expanding.add(ref);
    try {
      return this.type(resolveLocalRef(this.root ?? null, ref), depth + 1);
    } finally {
      this.expanding.delete(ref);
    }
  }

  /** What `type` (with the keywords of that type) says. */
  private shape(schema: SchemaObject, depth: number): string {
    const type = schema["type"];
    if (Array.isArray(type)) return union(type.map((t) => this.ofType(schema, t, depth)));
    return this.ofType(schema, type, depth);
  }

  private ofType(schema: SchemaObject, type: JsonValue | undefined, depth: number): string {
    switch (type) {
      case "string":
        return "string";
      case "number":
      case "integer":
        return "number";
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "array":
        return this.array(schema, depth);
      case "object":
        return this.object(schema, depth);
      default:
        return UNKNOWN;
    }
  }

  private array(schema: SchemaObject, depth: number): string {
    const items = schema["items"];
    const rest = items === undefined ? UNKNOWN : this.type(items, depth + 1);
    const prefix = schema["prefixItems"];
    if (!Array.isArray(prefix) || prefix.length === 0) return `readonly ${group(rest)}[]`;
    // Items past minItems may be missing; with `items: false` nothing follows the prefix.
    const min = typeof schema["minItems"] === "number" ? schema["minItems"] : 0;
    const elements = prefix.map((sub, i) => `${this.type(sub, depth + 1)}${i < min ? "" : "?"}`);
    if (rest !== "never") elements.push(`...${group(rest)}[]`);
    return `readonly [${elements.join(", ")}]`;
  }

  private object(schema: SchemaObject, depth: number): string {
    const props = isSchemaObject(schema["properties"]) ? schema["properties"] : {};
    const required = new Set(Array.isArray(schema["required"]) ? schema["required"].filter((r) => typeof r === "string") : []);
    const members = Object.entries(props).map(
      ([name, sub]) => `readonly ${propertyName(name)}${required.has(name) ? "" : "?"}: ${this.type(sub, depth + 1)}`,
    );
    // Required names without a schema of their own are there, of any type.
    for (const name of required) if (!Object.hasOwn(props, name)) members.push(`readonly ${propertyName(name)}: unknown`);
    const index = this.indexType(schema, depth);
    if (index !== undefined) {
      // TypeScript wants every named member to fit the index signature: widen it to unknown then.
      members.push(`readonly [key: string]: ${members.length > 0 ? UNKNOWN : index}`);
    }
    return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
  }

  /** The type of properties other than the named ones; undefined when there are none or nothing says. */
  private indexType(schema: SchemaObject, depth: number): string | undefined {
    const additional = schema["additionalProperties"];
    const patterns = isSchemaObject(schema["patternProperties"]) ? Object.values(schema["patternProperties"]) : [];
    if (additional === false && patterns.length === 0) return undefined;
    const named = isSchemaObject(schema["properties"]) && Object.keys(schema["properties"]).length > 0;
    // An open object with named members keeps its members only (extra keys are allowed, as in TypeScript).
    if (additional === undefined && patterns.length === 0 && named) return undefined;
    const types = patterns.map((sub) => this.type(sub, depth + 1));
    if (additional !== false) types.push(additional === undefined ? UNKNOWN : this.type(additional, depth + 1));
    return union(types);
  }
}

function literal(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Parentheses for a union or intersection inside another type. */
function group(type: string): string {
  return /^[\w"]+$/.test(type) || type.startsWith("{") || type.startsWith("readonly [") ? type : `(${type})`;
}

function union(types: readonly string[]): string {
  if (types.length === 0) return "never";
  if (types.includes(UNKNOWN)) return UNKNOWN;
  const distinct = [...new Set(types.filter((t) => t !== "never"))];
  if (distinct.length === 0) return "never";
  return distinct.length === 1 ? distinct[0]! : distinct.map(group).join(" | ");
}

/** `unknown` parts add nothing; a single part is itself. */
function intersection(types: readonly string[]): string {
  const known = [...new Set(types.filter((t) => t !== UNKNOWN))];
  if (known.length === 0) return UNKNOWN;
  if (known.includes("never")) return "never";
  return known.length === 1 ? known[0]! : known.map(group).join(" & ");
}
