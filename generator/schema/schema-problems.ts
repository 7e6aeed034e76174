import type { JsonValue } from "../model/types.ts";
import { forEachSchema, localRefSegments, resolveLocalRef, type SchemaObject } from "./schema-keywords.ts";
import { suggestKey } from "../validate/suggest-key.ts";

/**
 * What is wrong with an input field's schema beyond its shape (which the
 * flow schema checks): a `$ref` that points at nothing, or a regular
 * expression that does not compile. Each names the YAML path of the value
 * to blame, relative to the field, so the model can point at its line; the
 * check stage skips compiling a field that has any (ajv would only say the
 * same once more, at the field).
 */
export interface SchemaProblem {
  /** Path from the field's mapping to the offending value (or key, with `at: "key"`). */
  readonly path: readonly string[];
  readonly at: "key" | "value";
  readonly message: string;
  readonly hint?: string;
}

export function schemaProblems(field: string, schema: JsonValue): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  forEachSchema(schema, (sub, path) => {
    const ref = sub["$ref"];
    if (typeof ref === "string") {
      const problem = refProblem(field, schema, ref) ?? loopProblem(field, schema, sub, ref);
      if (problem) problems.push({ path: [...path, "$ref"], at: "value", ...problem });
    }
    const pattern = sub["pattern"];
    if (typeof pattern === "string") {
      const reason = regexError(pattern);
      if (reason) problems.push({ path: [...path, "pattern"], at: "value", message: `'pattern' in input field '${field}' is not a valid regular expression: ${reason}` });
    }
    for (const key of Object.keys(patternProperties(sub))) {
      const reason = regexError(key);
      if (reason) problems.push({ path: [...path, "patternProperties", key], at: "key", message: `'${key}' in 'patternProperties' of input field '${field}' is not a valid regular expression: ${reason}` });
    }
  });
  return problems;
}

function patternProperties(schema: SchemaObject): SchemaObject {
  const value = schema["patternProperties"];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

/** The generated validators compile patterns as Unicode regular expressions, as ajv does. */
function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, "u");
    return undefined;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    // "Invalid regular expression: /([a-z/u: Unterminated character class" → the reason.
    return text.slice(text.lastIndexOf(": ") + 2);
  }
}

function refProblem(field: string, root: JsonValue, ref: string): { message: string; hint: string } | undefined {
  const target = resolveLocalRef(root, ref);
  if (typeof target === "boolean" || (typeof target === "object" && target !== null && !Array.isArray(target))) return undefined;
  if (target !== undefined) {
    return { message: `'$ref' in input field '${field}' points at '${ref}', which is not a schema`, hint: "point at a schema, e.g. one under $defs:" };
  }
  const defs = typeof root === "object" && root !== null && !Array.isArray(root) ? root["$defs"] : undefined;
  const names = typeof defs === "object" && defs !== null && !Array.isArray(defs) ? Object.keys(defs) : [];
  const segments = localRefSegments(ref) ?? [];
  const meant = segments[0] === "$defs" && segments.length === 2 ? suggestKey(segments[1]!, names) : undefined;
  const hint =
    meant !== undefined
      ? `did you mean '#/$defs/${meant}'?`
      : names.length > 0
        ? `references are resolved inside the field's own schema; its $defs are ${names.map((n) => `'#/$defs/${n}'`).join(", ")}`
        : "references are resolved inside the field's own schema: put the schema under $defs: of this field and write '#/$defs/<name>'";
  return { message: `'$ref' in input field '${field}' points at '${ref}', which is not in the field's schema`, hint };
}

/** Keywords that apply a schema to the value itself, not to a property or an item of it. */
const IN_PLACE = ["allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"];

/**
 * A `$ref` that leads back to its own schema without first going into a
 * property or an item (`a: { $ref: "#" }`, two $defs naming each other)
 * would check the same value forever: the validator would never return.
 */
function loopProblem(field: string, root: JsonValue, start: SchemaObject, ref: string): { message: string; hint: string } | undefined {
  const seen = new Set<SchemaObject>();
  const reaches = (schema: JsonValue | undefined): boolean => {
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return false;
    if (schema === start) return true;
    if (seen.has(schema)) return false;
    seen.add(schema);
    const next: (JsonValue | undefined)[] = [];
    const inner = schema["$ref"];
    if (typeof inner === "string") next.push(resolveLocalRef(root, inner));
    for (const keyword of IN_PLACE) {
      const value = schema[keyword];
      if (Array.isArray(value)) next.push(...value);
      else if (keyword === "dependentSchemas" && typeof value === "object" && value !== null) next.push(...Object.values(value));
      else next.push(value);
    }
    return next.some(reaches);
  };
  if (!reaches(resolveLocalRef(root, ref))) return undefined;
  return {
    message: `'$ref' in input field '${field}' leads back to itself ('${ref}') without going into a property or an item, so no value could ever be checked`,
    hint: "point it at a schema under $defs:, or reach the same schema again only inside properties or items (a tree)",
  };
}
