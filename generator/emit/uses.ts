import type { ExprNode } from "../expressions/ast.ts";
import type { Value } from "../model/types.ts";

/**
 * Which root names (`input`, `env`, `flow`, …) a piece of the model reads, so
 * emitters declare only the variables the code below them uses.
 */
export class RootUses {
  private readonly names = new Set<string>();

  value(value: Value | undefined): this {
    if (!value) return this;
    switch (value.kind) {
      case "literal":
        break;
      case "expr":
        this.expr(value.expr);
        break;
      case "template":
        for (const part of value.parts) if (typeof part !== "string") this.expr(part);
        break;
      case "object":
        for (const entry of value.entries) this.value(entry.value);
        break;
      case "array":
        for (const item of value.items) this.value(item);
        break;
    }
    return this;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  private expr(node: ExprNode): void {
    switch (node.kind) {
      case "name":
        this.names.add(node.name);
        break;
      case "literal":
        break;
      case "array":
        node.items.forEach((item) => this.expr(item));
        break;
      case "object":
        node.entries.forEach((entry) => this.expr(entry.value));
        break;
      case "member":
        this.expr(node.object);
        break;
      case "index":
        this.expr(node.object);
        this.expr(node.index);
        break;
      case "unary":
        this.expr(node.operand);
        break;
      case "binary":
        this.expr(node.left);
        this.expr(node.right);
        break;
      case "conditional":
        this.expr(node.test);
        this.expr(node.consequent);
        this.expr(node.alternate);
        break;
      case "call":
        node.args.forEach((arg) => this.expr(arg));
        break;
    }
  }
}
