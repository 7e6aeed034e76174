import type { SourceSpan } from "../diagnostics.ts";
import { locate, pointerSegments, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import type { Flow } from "../model/types.ts";

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


/** `a, b and c` for names in messages. */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
