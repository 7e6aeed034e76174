import type { Node } from "yaml";
import { entriesOf, locate, spanOf } from "../load/yaml-nodes.ts";
import { forEachSchema, localRefSegments, resolveLocalRef } from "../schema/schema-keywords.ts";
import { suggestKey } from "../validate/suggest-key.ts";
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
 * is checked, so it cannot see its neighbours. One that points at nothing
 * is reported here, where the YAML still gives its line.
 */
export function buildInput(ctx: ModelContext, node: Node | undefined): InputField[] {
  return entriesOf(ctx.src, node).map((entry) => {
    const json = toJson(ctx, entry.value);
    const { required, ...rest } = (typeof json === "object" && json !== null && !Array.isArray(json) ? json : {}) as {
      [key: string]: JsonValue;
    };
    const schema = Array.isArray(required) ? { ...rest, required } : rest;
    const hasDefault = Object.hasOwn(schema, "default");
    checkRefs(ctx, entry.key, schema);
    return {
      name: entry.key,
      span: span(ctx, entry.keyNode),
      schema,
      required: required !== false && !hasDefault,
      ...(hasDefault ? { default: schema["default"]! } : {}),
    };
  });
}

function checkRefs(ctx: ModelContext, field: string, schema: { [key: string]: JsonValue }): void {
  forEachSchema(schema, (sub, path) => {
    const ref = sub["$ref"];
    if (typeof ref !== "string") return;
    const target = resolveLocalRef(schema, ref);
    if (target !== undefined && (typeof target === "boolean" || (typeof target === "object" && target !== null && !Array.isArray(target)))) return;
    const where = spanOf(ctx.src, locate(ctx.src, ["input", field, ...path, "$ref"]).node);
    if (target !== undefined) {
      ctx.bag.error(where, `'$ref' in input field '${field}' points at '${ref}', which is not a schema`, "point at a schema, e.g. one under $defs:");
      return;
    }
    const defs = schema["$defs"];
    const names = typeof defs === "object" && defs !== null && !Array.isArray(defs) ? Object.keys(defs) : [];
    const segments = localRefSegments(ref) ?? [];
    const meant = segments[0] === "$defs" && segments.length === 2 ? suggestKey(segments[1]!, names) : undefined;
    const hint =
      meant !== undefined
        ? `did you mean '#/$defs/${meant}'?`
        : names.length > 0
          ? `references are resolved inside the field's own schema; its $defs are ${names.map((n) => `'#/$defs/${n}'`).join(", ")}`
          : "references are resolved inside the field's own schema: put the schema under $defs: of this field and write '#/$defs/<name>'";
    ctx.bag.error(where, `'$ref' in input field '${field}' points at '${ref}', which is not in the field's schema`, hint);
  });
}
