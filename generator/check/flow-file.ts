import type { SourceSpan } from "../diagnostics.ts";
import { locate, pointerSegments, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import type { Flow, Step } from "../model/types.ts";

/**
 * A modelled flow together with its parsed file: the model carries spans for
 * what emitters need; a few checks want to point at other keys (`flow:`,
 * `steps:`), which they find in the YAML by JSON pointer.
 */
export interface FlowFile {
  readonly flow: Flow;
  readonly src: YamlSource;
}

/** The span of the value at a JSON pointer (or of its key with `key: true`); the file start if absent. */
export function spanAt(file: FlowFile, pointer: string, key = false): SourceSpan {
  const { node, keyNode } = locate(file.src, pointerSegments(pointer));
  return spanOf(file.src, key ? (keyNode ?? node) : (node ?? keyNode));
}

/** Where `flow:`'s value is: the place to report flow-wide problems. */
export const flowIdSpan = (file: FlowFile): SourceSpan => spanAt(file, "/flow");

/** Every step of a list, depth first in source order (a block before the steps inside it). */
export function allSteps(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  for (const step of steps) {
    out.push(step);
    for (const list of childLists(step)) out.push(...allSteps(list));
  }
  return out;
}

/** The step lists directly inside a block step, in source order; none for a simple step. */
export function childLists(step: Step): (readonly Step[])[] {
  switch (step.kind) {
    case "if":
      return [step.then, step.else];
    case "switch":
      return [...step.cases.map((c) => c.steps), step.default];
    case "for_each":
    case "repeat":
      return [step.steps];
    case "parallel":
      return [...step.branches];
    default:
      return [];
  }
}

/** `a, b and c` for names in messages. */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
