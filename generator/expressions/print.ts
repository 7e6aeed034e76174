import type { BinaryOp, ExprNode } from "./ast.ts";

/**
 * Expressions printed back in the flow language, so messages can name the
 * part they are about ("input.amount is a number") in the author's terms.
 * Spacing and quotes are normalised; parentheses appear only where needed.
 */

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "??": 1,
  "||": 2,
  "&&": 3,
  "==": 4,
  "!=": 4,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
};
const CONDITIONAL = 0;
const UNARY = 8;
const POSTFIX = 9;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function mixes(op: BinaryOp, child: ExprNode): boolean {
  if (child.kind !== "binary" || child.op === op) return false;
  const logical = (o: BinaryOp): boolean => o === "&&" || o === "||";
  return (op === "??" && logical(child.op)) || (logical(op) && child.op === "??");
}

export function exprText(node: ExprNode): string {
  return print(node).text;
}

/** The text for a message: the expression itself, or "this value" when it is too long to read inline. */
export function describe(node: ExprNode): string {
  const text = node.kind === "conditional" ? `(${exprText(node)})` : exprText(node);
  return text.length <= 48 ? text : "this value";
}

/** `'it\'s'`: the flow language's own string syntax. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

interface Printed {
  readonly text: string;
  readonly prec: number;
}

function wrap(printed: Printed, min: number): string {
  return printed.prec < min ? `(${printed.text})` : printed.text;
}

function print(node: ExprNode): Printed {
  switch (node.kind) {
    case "literal":
      return { text: typeof node.value === "string" ? quote(node.value) : String(node.value), prec: POSTFIX };
    case "name":
      return { text: node.name, prec: POSTFIX };
    case "array":
      return { text: `[${node.items.map(exprText).join(", ")}]`, prec: POSTFIX };
    case "object": {
      const entries = node.entries.map((e) => `${IDENTIFIER.test(e.key) ? e.key : quote(e.key)}: ${exprText(e.value)}`);
      return { text: `{${entries.join(", ")}}`, prec: POSTFIX };
    }
    case "member": {
      const object = wrap(print(node.object), POSTFIX);
      const text = IDENTIFIER.test(node.property) ? `${object}.${node.property}` : `${object}[${quote(node.property)}]`;
      return { text, prec: POSTFIX };
    }
    case "index":
      return { text: `${wrap(print(node.object), POSTFIX)}[${exprText(node.index)}]`, prec: POSTFIX };
    case "call":
      return { text: `${node.callee}(${node.args.map(exprText).join(", ")})`, prec: POSTFIX };
    case "unary": {
      const operand = wrap(print(node.operand), UNARY);
      // `- -x`, not `--x`.
      return { text: `${node.op}${operand.startsWith(node.op) && node.op !== "!" ? " " : ""}${operand}`, prec: UNARY };
    }
    case "binary": {
      const prec = PRECEDENCE[node.op];
      // `??` may not mix with `&&`/`||` unparenthesised, whatever the precedence says.
      const operand = (child: ExprNode, min: number): string =>
        mixes(node.op, child) ? `(${exprText(child)})` : wrap(print(child), min);
      return { text: `${operand(node.left, prec)} ${node.op} ${operand(node.right, prec + 1)}`, prec };
    }
    case "conditional": {
      const test = wrap(print(node.test), CONDITIONAL + 1);
      return { text: `${test} ? ${exprText(node.consequent)} : ${exprText(node.alternate)}`, prec: CONDITIONAL };
    }
  }
}
