import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import { isSeq, type Node } from "yaml";
import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import { inputSchema } from "../emit/input-schema.ts";
import { entryOf, itemsOf, pointerSegments, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import type { Flow } from "../model/types.ts";
import { describeJson, isObject } from "../validate/problems.ts";
import { didYouMeanKey, suggestKey } from "../validate/suggest-key.ts";

/**
 * A case's `input:` is checked the way a trigger's start is: against the
 * flow's input schema with the same ajv options as the validator emitted
 * for the Worker (formats checked, defaults filled in), so what a case
 * starts with is what a real start would have accepted.
 */

// ajv-formats is CommonJS; loaded as input-module.ts loads it.
const require = createRequire(import.meta.url);

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const compiled = new WeakMap<Flow, Validator | null>();

/** null when the flow's input schema does not compile (a bad `pattern`, say): the flow's own check reports that. */
function validatorFor(flow: Flow): Validator | null {
  let validate = compiled.get(flow);
  if (validate === undefined) {
    // Draft 2020-12, as the emitted validator (prefixItems, unevaluated*, $defs…).
    const { default: Ajv } = require("ajv/dist/2020") as { default: new (opts: object) => { compile(schema: object): Validator } };
    const { default: addFormats } = require("ajv-formats") as { default: (ajv: object) => void };
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
    addFormats(ajv);
    try {
      validate = ajv.compile(inputSchema(flow));
    } catch {
      validate = null;
    }
    compiled.set(flow, validate);
  }
  return validate;
}

/**
 * The case's input with defaults filled in, or undefined after reporting
 * what a start would reject. `caseNode` is the case's mapping (for the
 * `input:` key and its values); `where` is what to point at when the case
 * has no `input:`.
 */
export function checkCaseInput(
  src: YamlSource,
  flow: Flow,
  given: Record<string, unknown>,
  inputNode: Node | undefined,
  where: SourceSpan,
  bag: DiagnosticBag,
): Record<string, unknown> | undefined {
  const value = structuredClone(given);
  const validate = validatorFor(flow);
  // No validator: the flow has an invalid input schema, already an error of its own; nothing to check against.
  if (!validate || validate(value)) return value;
  const fields = flow.input.map((f) => f.name);
  const missing: string[] = [];
  // A misspelt field is reported once, as unknown with its did-you-mean, not also as missing.
  const meant = new Set(Object.keys(given).flatMap((key) => (fields.includes(key) ? [] : [suggestKey(key, fields) ?? ""])));
  for (const error of validate.errors ?? []) {
    const params = error.params as Record<string, unknown>;
    if (error.instancePath === "" && error.keyword === "required") {
      if (!meant.has(String(params["missingProperty"]))) missing.push(String(params["missingProperty"]));
    } else if (error.instancePath === "" && error.keyword === "additionalProperties") {
      const key = String(params["additionalProperty"]);
      const hint = didYouMeanKey(key, fields) ?? (fields.length ? `the input fields are ${fields.join(", ")}` : `flow '${flow.id}' declares no input fields`);
      const keyNode = entryOf(src, inputNode, key)?.keyNode;
      bag.error(keyNode ? spanOf(src, keyNode) : where, `unknown input field '${key}' for flow '${flow.id}'`, hint);
    } else {
      const [field, ...rest] = pointerSegments(error.instancePath);
      const inner = rest.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("").replace(/^\./, "");
      const node = inputNode ? nodeUnder(src, inputNode, pointerSegments(error.instancePath)) : undefined;
      const got = isObject(error.data) || Array.isArray(error.data) ? "" : `, not ${describeJson(error.data)}`;
      const at = inner ? ` at ${inner}` : "";
      bag.error(node ? spanOf(src, node) : where, `the value of input field '${field ?? ""}'${at} ${error.message ?? "is not valid"}${got}`);
    }
  }
  if (missing.length > 0) {
    const one = missing.length === 1;
    const names = missing.map((n) => `'${n}'`).join(", ");
    bag.error(inputNode ? spanOf(src, inputNode) : where, `the case does not give the required input ${one ? "field" : "fields"} ${names} of flow '${flow.id}'`, `add ${one ? "it" : "them"} under input:`);
  }
  return undefined;
}

/** The YAML node at JSON-pointer segments below `base`. */
function nodeUnder(src: YamlSource, base: Node, segments: readonly string[]): Node | undefined {
  let node: Node | undefined = base;
  for (const segment of segments) {
    node = isSeq(node) ? itemsOf(src, node)[Number(segment)] : entryOf(src, node, segment)?.value;
    if (!node) return undefined;
  }
  return node;
}
