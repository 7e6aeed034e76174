import type { DiagnosticBag } from "../diagnostics.ts";
import { inferValueType } from "../expressions/infer.ts";
import { describe } from "../expressions/print.ts";
import type { ExprScope } from "../expressions/scope.ts";
import { kinds, typeText } from "../expressions/types.ts";
import type { Value } from "../model/types.ts";
import { describeJson } from "../validate/problems.ts";

/**
 * Guards take a boolean (dsl.md §10.7): `if:` on a step or an if-block, and
 * `repeat.until`. YAML makes `if: "false"` a string, which a truth test
 * would read as true: the most dangerous way to be wrong is silently. So a
 * literal that is not true/false, and an expression whose type admits no
 * boolean, are errors here; a value of unknown type is checked when the
 * step runs (runtime `guard`).
 */
export function checkGuard(value: Value, key: "if" | "repeat.until", scope: ExprScope, bag: DiagnosticBag): void {
  // build-blocks.ts already refuses an until that is text or a non-boolean literal.
  if (key === "repeat.until" && (value.kind === "literal" || value.kind === "template")) return;
  const example = `e.g. ${key === "if" ? "if" : "until"}: \${{ input.mode == 'fast' }}`;
  if (value.kind === "literal") {
    if (typeof value.value === "boolean") return;
    const text = typeof value.value === "string" ? value.value.trim().toLowerCase() : "";
    const hint = text === "true" || text === "false" ? `write ${key === "if" ? "if" : "until"}: ${text}, without quotes` : `write true, false or an expression that gives one, ${example}`;
    bag.error(value.span, `'${key}' must be true or false, not ${describeJson(value.value)}`, hint);
    return;
  }
  // A template or a mapping/list is text or data whatever it holds.
  const type = inferValueType(value, scope);
  const admitted = kinds(type);
  if (!admitted || admitted.has("boolean")) return;
  const what = value.kind === "expr" ? `\`${describe(value.expr)}\` is ${typeText(type)}` : `this value is ${typeText(type)}`;
  bag.error(value.span, `'${key}' must be true or false, but ${what}`, `compare it to get true or false, ${example}`);
}
