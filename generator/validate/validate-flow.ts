import type { ErrorObject } from "ajv";
import type { DiagnosticBag } from "../diagnostics.ts";
import { locate, pointerSegments, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import { flowValidator } from "./flow-validators.ts";
import { MessageContext, toProblem } from "./ajv-messages.ts";
import { discriminate } from "./discriminate.ts";
import { isObject, type Json, type Problem } from "./problems.ts";

/**
 * Stage 2: the parsed YAML against the JSON Schema. The root is validated as
 * a whole, every step / trigger / action / auth node against the one
 * definition its kind selects; each error is reported once, at the key or
 * value it concerns. Returns what it found: the problems (already reported)
 * and, when the file could be read as a mapping, its data.
 */

export interface Validation {
  readonly valid: boolean;
  /** The file as plain data; absent when it is not a mapping at all. */
  readonly data?: { [key: string]: Json };
  readonly problems: readonly Problem[];
}

export function validateFlow(src: YamlSource, bag: DiagnosticBag): Validation {
  let data: unknown;
  try {
    data = src.doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Alias bombs and similar: yaml refuses to expand them.
    bag.error(spanOf(src, src.doc.contents), `the YAML cannot be read as data: ${error instanceof Error ? error.message : String(error)}`);
    return { valid: false, problems: [] };
  }
  if (!isObject(data)) {
    bag.error(spanOf(src, src.doc.contents), "a flow file must be a mapping with at least 'flow' and 'steps'", "start with flow: <id>");
    return { valid: false, problems: [] };
  }
  const { nodes, unionPointers, owners, problems } = discriminate(data);
  const ctx = new MessageContext(owners);
  // An error belongs to the innermost union node around it; its parent's
  // validation (whose `oneOf` would try every kind) must not report it.
  const insideOtherUnion = (path: string, self: string): boolean =>
    [...unionPointers].some((u) => u !== self && (path === u || path.startsWith(`${u}/`)) && u.length > self.length);

  const collect = (errors: readonly ErrorObject[] | null | undefined, base: string): void => {
    for (const raw of dedupeAlternatives(errors ?? [])) {
      const error = { ...raw, instancePath: base + raw.instancePath };
      if (insideOtherUnion(error.instancePath, base)) continue;
      const problem = toProblem(error, ctx);
      if (problem) problems.push(problem);
    }
  };

  const root = flowValidator();
  const valid = root(data);
  collect(root.errors, "");
  // The root's schema holds every node's definition: when it passes, so does
  // each node (tests/generator/perf-flow-validators.test.ts checks it), and
  // the per-node pass, which only words the errors better, is skipped.
  if (!valid) for (const node of nodes) {
    const validate = flowValidator(node.definition);
    validate(valueAt(data, node.pointer));
    collect(validate.errors, node.pointer);
  }
  const reported = withoutEchoes(problems);
  report(src, bag, reported);
  return { valid: reported.length === 0, data, problems: reported };
}

/**
 * A misspelt key (`tpye`) also leaves the key it was meant to be missing;
 * "did you mean 'type'?" already says it, so the missing-key error would
 * only repeat the same mistake.
 */
function withoutEchoes(problems: readonly Problem[]): Problem[] {
  const parent = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf("/"));
  const explained = new Set(problems.filter((p) => p.suggested).map((p) => `${parent(p.pointer)}\u0000${p.suggested}`));
  return problems.filter((p) => !(p.missingKey && explained.has(`${p.pointer}\u0000${p.missingKey}`)));
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointerSegments(pointer)) {
    value = Array.isArray(value) ? value[Number(segment)] : isObject(value) ? value[segment] : undefined;
  }
  return value;
}

/**
 * The few non-discriminated `anyOf`s (a JSON Schema `type`, `additionalProperties`)
 * fail with one error per branch. Keep one: an enum complaint if a branch
 * had one (it lists the allowed values), else the union of the type errors.
 */
function dedupeAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== "anyOf" && error.keyword !== "oneOf") continue;
    const prefix = `${error.schemaPath}/`;
    const branches = errors.filter((e) => e.schemaPath.startsWith(prefix));
    const sameSpot = branches.filter((e) => e.instancePath === error.instancePath);
    const enumError = sameSpot.find((e) => e.keyword === "enum");
    const deeper = branches.filter((e) => e.instancePath !== error.instancePath);
    // A branch behind a $ref reports with schema paths of its own definition: those errors
    // (an unknown key, a bad value inside) already say what is wrong with the value.
    const inRef = errors.some(
      (e) => !e.schemaPath.startsWith(prefix) && e.keyword !== "anyOf" && e.keyword !== "oneOf" && e !== error &&
        (e.instancePath === error.instancePath || e.instancePath.startsWith(`${error.instancePath}/`)) && e.schemaPath !== error.schemaPath,
    );
    if (enumError) out.push(enumError);
    else if (deeper.length > 0) out.push(...deeper);
    else if (inRef) continue;
    else {
      const types = sameSpot.filter((e) => e.keyword === "type").map((e) => String((e.params as { type: string }).type));
      out.push({ ...error, keyword: "type", params: { type: types.join(",") } });
    }
  }
  const swallowed = (e: ErrorObject): boolean =>
    errors.some((alt) => (alt.keyword === "anyOf" || alt.keyword === "oneOf") && e.schemaPath.startsWith(`${alt.schemaPath}/`));
  return [...errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf" && !swallowed(e)), ...out];
}

function report(src: YamlSource, bag: DiagnosticBag, problems: readonly Problem[]): void {
  const seen = new Set<string>();
  for (const problem of problems) {
    const { node, keyNode } = locate(src, pointerSegments(problem.pointer));
    const target = problem.at === "key" && keyNode ? keyNode : (node ?? keyNode);
    const span = spanOf(src, target ?? src.doc.contents);
    const key = `${span.start}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    bag.error(span, problem.message, problem.hint);
  }
}
