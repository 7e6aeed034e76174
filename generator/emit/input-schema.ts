import type { Flow, JsonValue } from "../model/types.ts";

/** The JSON Schema every start of a flow is validated against (dsl.md §3). */
export function inputSchema(flow: Flow): { [key: string]: JsonValue } {
  const properties: { [key: string]: JsonValue } = {};
  for (const field of flow.input) {
    properties[field.name] = field.default === undefined ? { ...field.schema } : { ...field.schema, default: field.default };
  }
  return {
    type: "object",
    additionalProperties: false,
    required: flow.input.filter((f) => f.required && f.default === undefined).map((f) => f.name),
    properties,
  };
}

/**
 * A TypeScript type for a JSON Schema, as precise as the common keywords
 * allow; anything it cannot express becomes `unknown`, never `any`.
 */
export function schemaType(schema: JsonValue | undefined): string {
  if (!isObject(schema)) return "unknown";
  if (Array.isArray(schema["enum"])) return schema["enum"].map((v) => JSON.stringify(v)).join(" | ") || "never";
  if (schema["const"] !== undefined) return JSON.stringify(schema["const"]);
  const type = schema["type"];
  if (Array.isArray(type)) return type.map((t) => schemaType({ ...schema, type: t })).join(" | ");
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
      return `readonly (${schemaType(schema["items"])})[]`;
    case "object":
      return objectType(schema);
    default:
      return "unknown";
  }
}

function objectType(schema: { [key: string]: JsonValue }): string {
  const props = schema["properties"];
  if (!isObject(props) || Object.keys(props).length === 0) return "Readonly<Record<string, unknown>>";
  const required = new Set(Array.isArray(schema["required"]) ? schema["required"].filter((r) => typeof r === "string") : []);
  const members = Object.entries(props).map(
    ([name, sub]) => `readonly ${propertyName(name)}${required.has(name) ? "" : "?"}: ${schemaType(sub)}`,
  );
  return `{ ${members.join("; ")} }`;
}

export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
