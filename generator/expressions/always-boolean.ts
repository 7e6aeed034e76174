import type { Value } from "../model/types.ts";
import type { ExprNode } from "./ast.ts";

/**
 * Whether a value is true or false by its shape alone: a comparison, a `!`,
 * or `&&`/`||`/`?:` of such. Guards built like that need no run-time check
 * (runtime `$.guard`), which keeps the generated `if (…)` as the YAML reads.
 * The functions are not trusted here: their result types live in the
 * checker, and a false "no" only costs one call.
 */
export function alwaysBoolean(value: Value): boolean {
  if (value.kind === "literal") return typeof value.value === "boolean";
  return value.kind === "expr" && booleanNode(value.expr);
}

const COMPARISONS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">="]);

function booleanNode(node: ExprNode): boolean {
  switch (node.kind) {
    case "literal":
      return typeof node.value === "boolean";
    case "unary":
      return node.op === "!";
    case "binary":
      if (COMPARISONS.has(node.op)) return true;
      return (node.op === "&&" || node.op === "||") && booleanNode(node.left) && booleanNode(node.right);
    case "conditional":
      return booleanNode(node.consequent) && booleanNode(node.alternate);
    default:
      return false;
  }
}
