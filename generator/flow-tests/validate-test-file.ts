import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { DiagnosticBag } from "../diagnostics.ts";
import { locate, pointerSegments, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import { child, describeJson, isObject, orList } from "../validate/problems.ts";
import { didYouMeanKey, suggestKey } from "../validate/suggest-key.ts";

/**
 * Stage 2 for flow test files: the parsed YAML against
 * schema/flow-test.schema.json (the schema editors use too). The schema is
 * small and flat, so its errors get their sentences here rather than from
 * the flow schema's message machinery. Returns the data when it is valid.
 */

export const FLOW_TEST_SCHEMA_URL = new URL("../schema/flow-test.schema.json", import.meta.url);

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
    validator = ajv.compile(JSON.parse(readFileSync(FLOW_TEST_SCHEMA_URL, "utf8")) as object);
  }
  return validator;
}

const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  flow: "name the flow under test, e.g. flow: flight-status",
  cases: "list the cases, e.g. cases: [ { name: approved expense is paid, input: { … } } ]",
  name: "give every case a name, e.g. name: approved expense is paid",
};

interface Problem {
  readonly pointer: string;
  readonly atKey: boolean;
  readonly message: string;
  readonly hint?: string | undefined;
}

export function validateTestFile(src: YamlSource, bag: DiagnosticBag): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = src.doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    bag.error(spanOf(src, src.doc.contents), `the YAML cannot be read as data: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  if (!isObject(data)) {
    bag.error(spanOf(src, src.doc.contents), "a flow test file must be a mapping with 'flow' and 'cases'", "start with flow: <the flow's id>");
    return undefined;
  }
  const validate = compiled();
  if (validate(data)) return data;
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, data);
    if (!problem) continue;
    const { node, keyNode } = locate(src, pointerSegments(problem.pointer));
    const span = spanOf(src, (problem.atKey ? keyNode : node) ?? node ?? keyNode ?? src.doc.contents);
    const key = `${span.start}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    bag.error(span, problem.message, problem.hint);
  }
  return undefined;
}

function toProblem(error: ErrorObject, data: Record<string, unknown>): Problem | undefined {
  const pointer = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as { properties?: Record<string, unknown>; patternErrorMessage?: string } | undefined;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const allowed = Object.keys(parent?.properties ?? {});
      const hint = didYouMeanKey(key, allowed);
      return { pointer: child(pointer, key), atKey: true, message: `unknown key '${key}' in ${container(pointer, data)}`, hint: hint ?? `allowed keys: ${allowed.join(", ")}` };
    }
    case "required": {
      const key = String(params["missingProperty"]);
      const where = pointer === "" ? "at the top of the file" : `in ${container(pointer, data)}`;
      return { pointer, atKey: false, message: `missing required key '${key}' ${where}`, hint: REQUIRED_HINTS[key] };
    }
    case "type":
      return { pointer, atKey: false, message: `${subject(pointer, data)} must be ${orList(String(params["type"]).split(",").map(typeWord))}, not ${describeJson(error.data)}` };
    case "enum": {
      const allowed = (params["allowedValues"] as unknown[]).map(String);
      const got = String(error.data);
      const close = suggestKey(got, allowed);
      const hint = got === "terminated" ? "only something outside the flow terminates an instance; a failing step ends it errored" : close ? `did you mean '${close}'?` : undefined;
      return { pointer, atKey: false, message: `${subject(pointer, data)} must be ${orList(allowed.map((a) => `'${a}'`))}, not ${describeJson(error.data)}`, hint };
    }
    case "pattern":
      return { pointer, atKey: false, message: `'${String(error.data)}' ${parent?.patternErrorMessage ?? `must match ${String(params["pattern"])}`}` };
    case "minLength":
      return { pointer, atKey: false, message: `${subject(pointer, data)} must not be empty` };
    default:
      return { pointer, atKey: false, message: `${subject(pointer, data)} ${error.message ?? "is not valid"}` };
  }
}

/** `case 'approved'` (or `case 2` before it has a name) and the path inside it. */
function split(pointer: string, data: Record<string, unknown>): { owner: string; rel: string } {
  const segments = pointerSegments(pointer);
  if (segments[0] !== "cases" || segments.length < 2) return { owner: "the test file", rel: segments.join(".") };
  const index = Number(segments[1]);
  const cases = data["cases"];
  const item: unknown = Array.isArray(cases) ? cases[index] : undefined;
  const name = isObject(item) && typeof item["name"] === "string" ? item["name"] : undefined;
  return { owner: name !== undefined ? `case '${name}'` : `case ${index + 1}`, rel: segments.slice(2).join(".") };
}

function subject(pointer: string, data: Record<string, unknown>): string {
  const { owner, rel } = split(pointer, data);
  return rel ? `'${rel}' in ${owner}` : owner === "the test file" ? "the file" : owner;
}

function container(pointer: string, data: Record<string, unknown>): string {
  const { owner, rel } = split(pointer, data);
  return rel ? `'${rel}' of ${owner}` : owner;
}

function typeWord(type: string): string {
  const words: Record<string, string> = { object: "a mapping", array: "a list", integer: "a whole number", number: "a number", boolean: "true or false", null: "empty", string: "text" };
  return words[type] ?? `a ${type}`;
}
