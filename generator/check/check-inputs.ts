import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import type { Flow, InputField, JsonValue, Value } from "../model/types.ts";
import { schemaProblems } from "../schema/schema-problems.ts";
import { suggestKey } from "../validate/suggest-key.ts";
import { describeValueError } from "../validate/value-messages.ts";
import { nameList } from "./flow-file.ts";

/**
 * What a trigger (or a poll's `start`) gives as input against the input
 * fields of the flow it starts: no unknown fields, every required field
 * given, literal values valid. The field schemas themselves are compiled
 * here too, since the emitter turns them into validators.
 */

/** Input fields' schemas are draft 2020-12; formats are checked at run time by the emitted validators. */
// verbose: the messages quote the offending value and the allowed ones.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, verbose: true });
/**
 * Compiled once per schema for the process: fields such as `{ type: string }`
 * recur across flows and runs (watch mode). A field's own `description`,
 * `title`, `examples` and `$comment` are left out of the key: they are
 * annotations, which neither the compiled code nor the messages made from
 * its errors read (those read values, keywords and property names).
 */
const compiledByText = new Map<string, ValidateFunction | Error>();
const ANNOTATIONS = new Set(["description", "title", "examples", "$comment"]);

function compileField(schema: InputField["schema"]): ValidateFunction {
  const key = JSON.stringify(Object.entries(schema).filter(([keyword]) => !ANNOTATIONS.has(keyword)));
  let compiled = compiledByText.get(key);
  if (compiled === undefined) {
    try {
      compiled = ajv.compile(schema);
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    compiledByText.set(key, compiled);
  }
  if (compiled instanceof Error) throw compiled;
  return compiled;
}

/** Compiles each field's schema once; reports the ones that are not valid JSON Schema. */
export function compileInputFields(flow: Flow, bag: DiagnosticBag): Map<string, ValidateFunction> {
  const validators = new Map<string, ValidateFunction>();
  for (const field of flow.input) {
    // Reported at their line when the flow was modelled (model/build-input.ts).
    if (schemaProblems(field.name, field.schema).length > 0) continue;
    let validate: ValidateFunction;
    try {
      validate = compileField(field.schema);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      bag.error(field.span, `input field '${field.name}' has an invalid schema: ${reason}`);
      continue;
    }
    validators.set(field.name, validate);
    if (field.default !== undefined && !validate(field.default)) {
      const problem = describeValueError(validate.errors?.[0]);
      bag.error(field.span, `the default of input field '${field.name}'${problem.where} ${problem.text}`, problem.hint);
    }
  }
  return validators;
}

/**
 * Checks an `input:` mapping against the started flow's fields. `input` is
 * undefined when the trigger has no `input:` key (then the input is `{}`);
 * `where` is what to point at in that case, `label` names the starter.
 */
export function checkGivenInput(
  input: Value | undefined,
  target: Flow,
  validators: ReadonlyMap<string, ValidateFunction>,
  where: SourceSpan,
  label: string,
  bag: DiagnosticBag,
): void {
  const fields = new Map<string, InputField>(target.input.map((f) => [f.name, f]));
  const required = target.input.filter((f) => f.required).map((f) => f.name);
  if (!input) {
    if (required.length > 0) {
      bag.error(where, `${label} gives no input, but flow '${target.id}' requires ${nameList(required.map((n) => `'${n}'`))}`, `add input: with ${nameList(required)}`);
    }
    return;
  }
  if (input.kind !== "object") return;
  const given = new Set<string>();
  for (const entry of input.entries) {
    given.add(entry.key);
    if (!fields.has(entry.key)) {
      const names = [...fields.keys()];
      const meant = suggestKey(entry.key, names);
      // "did you mean 'flight'?" already covers the required 'flight' being missing.
      if (meant !== undefined) given.add(meant);
      const hint = meant !== undefined ? `did you mean '${meant}'?` : names.length ? `the input fields are ${nameList(names)}` : `flow '${target.id}' declares no input fields`;
      bag.error(entry.keySpan, `unknown input field '${entry.key}' for flow '${target.id}'`, hint);
      continue;
    }
    const literal = literalOf(entry.value);
    const validate = validators.get(entry.key);
    if (literal !== undefined && validate && !validate(literal.value)) {
      const problem = describeValueError(validate.errors?.[0]);
      bag.error(entry.value.span, `the value of input field '${entry.key}'${problem.where} ${problem.text}`, problem.hint);
    }
  }
  const missing = required.filter((n) => !given.has(n));
  if (missing.length > 0) {
    const one = missing.length === 1;
    bag.error(
      input.span,
      `${label} does not give the required input ${one ? "field" : "fields"} ${nameList(missing.map((n) => `'${n}'`))}`,
      `add ${one ? "it" : "them"} under input:, or give the ${one ? "field" : "fields"} a default in the flow`,
    );
  }
}

/** A value with no expression in it, as plain JSON; undefined when it has one. */
function literalOf(value: Value): { value: JsonValue } | undefined {
  switch (value.kind) {
    case "literal":
      return { value: value.value };
    case "object": {
      const out: { [key: string]: JsonValue } = {};
      for (const e of value.entries) {
        const inner = literalOf(e.value);
        if (!inner) return undefined;
        out[e.key] = inner.value;
      }
      return { value: out };
    }
    case "array": {
      const items: JsonValue[] = [];
      for (const item of value.items) {
        const inner = literalOf(item);
        if (!inner) return undefined;
        items.push(inner.value);
      }
      return { value: items };
    }
    default:
      return undefined;
  }
}
