import type { Node } from "yaml";
import { entriesOf, locate, spanOf } from "../load/yaml-nodes.ts";
import { schemaProblems } from "../schema/schema-problems.ts";
import { type ModelContext, span, toJson } from "./build-values.ts";
import type { InputField, JsonValue } from "./types.ts";

/**
 * `input:` → the flow's input fields. Each field's mapping is its JSON
 * Schema (draft 2020-12), except that `required` written as true or false
 * on the field itself is our shorthand: a field is required unless it has
 * a default or says `required: false`. `required` as a list (on the field
 * or any object inside it) is JSON Schema's own and stays in the schema.
 *
 * A `$ref` is resolved inside the field's own schema (`#` is the field):
 * each field is a schema of its own, validated alone when a literal input
 * is checked, so it cannot see its neighbours. One that points at nothing,
 * and a pattern that is no regular expression, are reported here, where
 * the YAML still gives their line.
 */
export function buildInput(ctx: ModelContext, node: Node | undefined): InputField[] {
  return entriesOf(ctx.src, node).map((entry) => {
    const json = toJson(ctx, entry.value);
    const { required, ...rest } = (typeof json === "object" && json !== null && !Array.isArray(json) ? json : {}) as {
      [key: string]: JsonValue;
    };
    const schema = Array.isArray(required) ? { ...rest, required } : rest;
    const hasDefault = Object.hasOwn(schema, "default");
    checkSchema(ctx, entry.key, schema);
    return {
      name: entry.key,
      span: span(ctx, entry.keyNode),
      schema,
      required: required !== false && !hasDefault,
      ...(hasDefault ? { default: schema["default"]! } : {}),
    };
  });
}

/** Reports what the flow schema cannot see in a field's schema (schema-problems.ts), at its line. */
function checkSchema(ctx: ModelContext, field: string, schema: { [key: string]: JsonValue }): void {
  for (const problem of schemaProblems(field, schema)) {
    const { node, keyNode } = locate(ctx.src, ["input", field, ...problem.path]);
    ctx.bag.error(spanOf(ctx.src, problem.at === "key" ? (keyNode ?? node) : node), problem.message, problem.hint);
  }
}
