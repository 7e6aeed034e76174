import type { Flow, JsonValue } from "../model/types.ts";
import { mapSchemas } from "../schema/schema-keywords.ts";

export { propertyName, schemaType } from "./schema-type.ts";

/** The JSON Schema every start of a flow is validated against (dsl.md §3). */
export function inputSchema(flow: Flow): { [key: string]: JsonValue } {
  const properties: { [key: string]: JsonValue } = {};
  for (const field of flow.input) {
    const schema = field.default === undefined ? { ...field.schema } : { ...field.schema, default: field.default };
    properties[field.name] = withFieldRefs(field.name, schema);
  }
  return {
    type: "object",
    additionalProperties: false,
    required: flow.input.filter((f) => f.required && f.default === undefined).map((f) => f.name),
    properties,
  };
}

/**
 * A field's `$ref`s are written relative to the field (`#/$defs/x`: see
 * model/build-input.ts); inside the flow's whole input schema the field
 * sits at `#/properties/<field>`. (Field names are plain identifiers, so
 * the name needs no escaping in the pointer.)
 */
function withFieldRefs(field: string, schema: { [key: string]: JsonValue }): JsonValue {
  if (!JSON.stringify(schema).includes('"$ref"')) return schema;
  return mapSchemas(schema, (sub) => {
    const ref = sub["$ref"];
    return typeof ref === "string" && ref.startsWith("#") ? { ...sub, $ref: `#/properties/${field}${ref.slice(1)}` } : sub;
  });
}
