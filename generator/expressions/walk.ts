import type { Value } from "../model/types.ts";
import { flattenAccess } from "./access.ts";
import type { ExprNode } from "./ast.ts";
import { FUNCTIONS } from "./functions.ts";

/** Traversals the emitter needs about a value's expressions. */

/** Calls `visit` on every expression tree directly inside a value (not their subnodes). */
export function forEachExpr(value: Value, visit: (node: ExprNode) => void): void {
  switch (value.kind) {
    case "literal":
      return;
    case "expr":
      return visit(value.expr);
    case "template":
      for (const part of value.parts) if (typeof part !== "string") visit(part);
      return;
    case "object":
      for (const entry of value.entries) forEachExpr(entry.value, visit);
      return;
    case "array":
      for (const item of value.items) forEachExpr(item, visit);
      return;
  }
}

/** Calls `visit` on `node` and every node below it, parents first. */
export function walkExpr(node: ExprNode, visit: (node: ExprNode) => void): void {
  visit(node);
  walkChildren(node, (child) => walkExpr(child, visit));
}

/** Calls `visit` on each direct child of `node`, in source order. */
export function walkChildren(node: ExprNode, visit: (node: ExprNode) => void): void {
  const children: readonly ExprNode[] =
    node.kind === "array"
      ? node.items
      : node.kind === "object"
        ? node.entries.map((e) => e.value)
        : node.kind === "member"
          ? [node.object]
          : node.kind === "index"
            ? [node.object, node.index]
            : node.kind === "unary"
              ? [node.operand]
              : node.kind === "binary"
                ? [node.left, node.right]
                : node.kind === "conditional"
                  ? [node.test, node.consequent, node.alternate]
                  : node.kind === "call"
                    ? node.args
                    : [];
  for (const child of children) visit(child);
}

function someNode(value: Value, test: (node: ExprNode) => boolean): boolean {
  let found = false;
  forEachExpr(value, (root) => walkExpr(root, (node) => (found ||= test(node))));
  return found;
}

/**
 * Whether the value calls `now()` or `uuid()`. Such a value must be computed
 * inside a durable step (its result recorded), or a replay would see a new one.
 */
export function isVolatile(value: Value): boolean {
  return someNode(value, (node) => node.kind === "call" && FUNCTIONS.get(node.callee)?.volatile === true);
}

/** Ids of the steps whose output the value reads (`steps.<id>.output…`), in first-use order. */
export function referencedSteps(value: Value): string[] {
  const ids = new Set<string>();
  forEachExpr(value, (root) =>
    walkExpr(root, (node) => {
      if (node.kind !== "member" && node.kind !== "index") return;
      const { base, path } = flattenAccess(node);
      const id = path[0]?.key;
      if (base.kind === "name" && base.name === "steps" && id !== undefined) ids.add(String(id));
    }),
  );
  return [...ids];
}
