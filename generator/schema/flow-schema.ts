import { readFileSync } from "node:fs";

/**
 * The JSON Schema of a flow file. It is a real file next to this one because
 * editors load it too (`# yaml-language-server: $schema=…`): completion,
 * hovers and squiggles come from the same source as our validation.
 */

export type SchemaObject = { readonly [key: string]: unknown };

export const FLOW_SCHEMA_URL = new URL("./flow.schema.json", import.meta.url);

let cached: SchemaObject | undefined;

export function flowSchema(): SchemaObject {
  cached ??= JSON.parse(readFileSync(FLOW_SCHEMA_URL, "utf8")) as SchemaObject;
  return cached;
}

/** The `$id` ajv registers the schema under; definitions are `${FLOW_SCHEMA_ID}#/definitions/<name>`. */
export function flowSchemaId(): string {
  return String(flowSchema()["$id"]);
}

export function schemaDefinitions(): Readonly<Record<string, SchemaObject>> {
  return (flowSchema()["definitions"] ?? {}) as Record<string, SchemaObject>;
}

/** Property names a schema object allows, in schema order (for "did you mean" and "allowed keys"). */
export function propertyNames(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const properties = (schema as SchemaObject)["properties"];
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}

/**
 * The `format:` names a flow may give a value (the schema's `schemaFormat`
 * enum, so an unknown name is a schema error with a "did you mean"): exactly
 * the formats the emitted validators check, ajv-formats' full set.
 */
export function formatNames(): readonly string[] {
  return (schemaDefinitions()["schemaFormat"]?.["enum"] ?? []) as string[];
}
