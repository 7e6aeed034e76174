import type { SourceSpan } from "../diagnostics.ts";
import type { ExprNode } from "./ast.ts";

/**
 * `a.b['c'][0][x]` as a base and a path. Checker and compiler both need the
 * whole chain at once: the checker to validate `steps.<id>.output`, the
 * compiler to emit one `$.at(base, "b", "c", 0, x)` call.
 */
export interface AccessStep {
  /** The key when written literally (`a.b`, `a['b']`, `a[0]`); undefined when computed. */
  readonly key: string | number | undefined;
  readonly keySpan: SourceSpan;
  /** The index expression when the key is computed at run time. */
  readonly index?: ExprNode;
}

export interface Access {
  readonly base: ExprNode;
  readonly path: readonly AccessStep[];
}

export function flattenAccess(node: ExprNode): Access {
  const path: AccessStep[] = [];
  let current = node;
  for (;;) {
    if (current.kind === "member") {
      path.push({ key: current.property, keySpan: current.propertySpan });
      current = current.object;
    } else if (current.kind === "index") {
      const index = current.index;
      const value = index.kind === "literal" ? index.value : undefined;
      const literal = typeof value === "string" || typeof value === "number";
      path.push(literal ? { key: value, keySpan: index.span } : { key: undefined, keySpan: index.span, index });
      current = current.object;
    } else {
      return { base: current, path: path.reverse() };
    }
  }
}
