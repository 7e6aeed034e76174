import { isMap, isSeq } from "yaml";
import { deref, locate, pointerSegments, type YamlSource } from "../load/yaml-nodes.ts";
import { propertyNames, flowSchema } from "../schema/flow-schema.ts";
import { isObject, type Json, type Problem } from "./problems.ts";

/**
 * What of a file that failed validation can still be modelled, so one run
 * reports every error of the file: a schema error in one step, trigger,
 * input field or the poll must not hide the expression and scope errors of
 * the rest.
 *
 * Each problem is charged to the part of the file it lies in; that part is
 * left out of a copy of the document (its positions kept), which is then
 * modelled and checked like any other. A step is dropped whole, down from
 * its top-level list (a block left with some of its steps would report
 * "has no steps" and the like, which is not the author's mistake); its ids
 * and those of the steps inside it are returned, so reading their output
 * elsewhere says nothing more. An input field is kept but accepts anything
 * and is optional, so `input.<field>` and the triggers that give it stay
 * quiet. A problem outside those parts (no `flow:`, `steps:` not a list,
 * `workflow:` …) changes what everything else means: then nothing is
 * modelled, as before.
 */
export interface PartialSource {
  readonly src: YamlSource;
  /** Ids of the dropped steps and of every step inside them. */
  readonly hiddenSteps: readonly string[];
}

type Part =
  | { readonly kind: "item"; readonly list: string; readonly index: number }
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "key"; readonly key: string };

export function partialSource(src: YamlSource, data: { [key: string]: Json }, problems: readonly Problem[]): PartialSource | undefined {
  const parts = new Map<string, Part>();
  for (const problem of problems) {
    const part = partOf(problem);
    if (!part) return undefined;
    parts.set(JSON.stringify(part), part);
  }
  // A clone keeps every node's range, so diagnostics still point into the file as written.
  const doc = src.doc.clone() as YamlSource["doc"];
  const copy: YamlSource = { ...src, doc };
  const hiddenSteps: string[] = [];
  const dropped = new Map<string, Set<number>>();
  for (const part of parts.values()) {
    if (part.kind === "item") {
      let indexes = dropped.get(part.list);
      if (!indexes) dropped.set(part.list, (indexes = new Set()));
      indexes.add(part.index);
      const list = data[part.list];
      if (part.list !== "triggers" && Array.isArray(list)) stepIds(list[part.index], hiddenSteps);
    } else if (part.kind === "field") {
      const input = locate(copy, ["input"]).node;
      if (!isMap(input)) return undefined;
      // Accepts anything and need not be given: nothing about it can be said until it validates.
      input.set(part.name, doc.createNode({ required: false }));
    } else {
      doc.delete(part.key);
    }
  }
  for (const [list, indexes] of dropped) {
    const seq = deref(copy, locate(copy, [list]).node);
    if (!isSeq(seq)) return undefined;
    seq.items = seq.items.filter((_item, i) => !indexes.has(i));
  }
  return { src: copy, hiddenSteps };
}

const ROOT_KEYS = new Set(propertyNames(flowSchema()));
/** Without them the rest reads wrongly: no id to name it by, or "has no steps". */
const REQUIRED_ROOT_KEYS = new Set(["flow", "steps"]);

/** The part of the file a problem lies in; undefined when it lies in none that can be left out. */
function partOf(problem: Problem): Part | undefined {
  const [first, second] = pointerSegments(problem.pointer);
  if (first === undefined) return undefined;
  if ((first === "steps" || first === "on_error" || first === "triggers") && second !== undefined && /^\d+$/.test(second)) {
    return { kind: "item", list: first, index: Number(second) };
  }
  if (first === "input" && second !== undefined) return { kind: "field", name: second };
  if (first === "poll") return { kind: "key", key: first };
  // An unknown top-level key (a typo such as `ouput:`) is reported and otherwise means nothing,
  // unless it stands for a key the flow cannot do without (`stpes:`).
  const standsForRequired = problem.suggested !== undefined && REQUIRED_ROOT_KEYS.has(problem.suggested);
  if (second === undefined && problem.at === "key" && !ROOT_KEYS.has(first) && !standsForRequired) return { kind: "key", key: first };
  return undefined;
}

/** The `id` of a step and of the steps in its blocks, as written. */
function stepIds(step: Json | undefined, out: string[]): void {
  if (!isObject(step)) return;
  if (typeof step["id"] === "string") out.push(step["id"]);
  const lists: (Json | undefined)[] = [step["then"], step["else"], step["default"], step["steps"]];
  const cases = step["cases"];
  if (isObject(cases)) lists.push(...Object.values(cases));
  const branches = step["parallel"];
  if (Array.isArray(branches)) lists.push(...branches);
  for (const list of lists) if (Array.isArray(list)) for (const inner of list) stepIds(inner, out);
}
