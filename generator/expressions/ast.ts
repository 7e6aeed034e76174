import type { SourceSpan } from "../diagnostics.ts";

/**
 * The expression language of `${{ }}`: a JavaScript-like subset. The parser
 * produces this tree (never raw JS), the checker walks it against a scope,
 * and the compiler turns it into TypeScript source.
 */
export type BinaryOp =
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "&&"
  | "||"
  | "??"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export type UnaryOp = "!" | "-" | "+";

export type ExprNode =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null; readonly span: SourceSpan }
  | { readonly kind: "array"; readonly items: readonly ExprNode[]; readonly span: SourceSpan }
  | {
      readonly kind: "object";
      readonly entries: readonly { readonly key: string; readonly value: ExprNode }[];
      readonly span: SourceSpan;
    }
  /** A root name such as `input`, `steps`, `request`, `item`. */
  | { readonly kind: "name"; readonly name: string; readonly span: SourceSpan }
  /** `a.b` — `span` covers the whole access, `propertySpan` just `b`. */
  | {
      readonly kind: "member";
      readonly object: ExprNode;
      readonly property: string;
      readonly propertySpan: SourceSpan;
      readonly span: SourceSpan;
    }
  /** `a[expr]` */
  | { readonly kind: "index"; readonly object: ExprNode; readonly index: ExprNode; readonly span: SourceSpan }
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly operand: ExprNode; readonly span: SourceSpan }
  | {
      readonly kind: "binary";
      readonly op: BinaryOp;
      readonly left: ExprNode;
      readonly right: ExprNode;
      readonly span: SourceSpan;
    }
  | {
      readonly kind: "conditional";
      readonly test: ExprNode;
      readonly consequent: ExprNode;
      readonly alternate: ExprNode;
      readonly span: SourceSpan;
    }
  | {
      readonly kind: "call";
      readonly callee: string;
      readonly calleeSpan: SourceSpan;
      readonly args: readonly ExprNode[];
      readonly span: SourceSpan;
    };
