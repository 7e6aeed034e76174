import type { StepPath } from "../generator/flow-tests/types.ts";
import { stepPrefix } from "../runtime/step-names.ts";

/**
 * Workflows step names as the generated workflows compose them
 * (runtime/step-names.ts): `lookup`, `legs[2].lookup`, `until#3.check`.
 * Pure, so the generator's Node tests can check them too.
 */

/** At most this many names per mock of "every iteration" (nested loops multiply). */
export const MAX_NAMES = 1000;

/** The Workflows names of a step in the iterations its path covers, composed as the generated workflow composes them. */
export function stepNames(path: StepPath): string[] {
  let prefixes = [""];
  for (const loop of path.loops) {
    const first = loop.kind === "for_each" ? 0 : 1;
    const positions = loop.only !== undefined ? [loop.only] : Array.from({ length: loop.count }, (_, i) => first + i);
    const mark = (i: number): string => (loop.kind === "for_each" ? `[${i}]` : `#${i}`);
    prefixes = prefixes.flatMap((outer) => positions.map((i) => stepPrefix(`${outer}${loop.id}${mark(i)}.`))).slice(0, MAX_NAMES);
  }
  return prefixes.map((prefix) => `${prefix}${path.id}`);
}

/** `legs[].lookup` (any iteration) or `legs[1].lookup` (that one) → a RegExp over started names. */
export function namePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replaceAll("\\[\\]", "\\[\\d+\\]").replaceAll("#\\.", "#\\d+\\.")}$`);
}

