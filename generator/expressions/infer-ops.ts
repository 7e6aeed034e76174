import type { SourceSpan } from "../diagnostics.ts";
import type { ExprNode } from "./ast.ts";
import { describe, exprText, quote } from "./print.ts";
import { didYouMean } from "./suggest.ts";
import { type BaseKind, BOOLEAN, type ExprType, kinds, memberOf, nonNull, NUMBER, STRING, typeText, union, UNKNOWN } from "./types.ts";

/**
 * Typing rules of the operators, as the runtime (runtime/expr-operators.ts)
 * evaluates them. Each rule reports only what is certain from known types:
 * an operand whose type is unknown, or may be of a fitting kind, passes.
 */

export type TypeReport = (span: SourceSpan, message: string, hint?: string) => void;

type Unary = Extract<ExprNode, { kind: "unary" }>;
type Binary = Extract<ExprNode, { kind: "binary" }>;

export function unaryType(node: Unary, operand: ExprType, report: TypeReport): ExprType {
  if (node.op === "!") return BOOLEAN;
  const k = kinds(operand);
  if (node.op === "-" && k && !k.has("number")) {
    report(node.operand.span, `\`-\` needs a number, ${but(node.operand, operand)}`, numberHint(node.operand, operand));
  } else if (node.op === "+" && k && [...k].every((kind) => kind === "array" || kind === "object")) {
    report(node.operand.span, `\`+\` turns text into a number, ${but(node.operand, operand)}`);
  }
  return NUMBER;
}

export function binaryType(node: Binary, left: ExprType, right: ExprType, report: TypeReport): ExprType {
  switch (node.op) {
    case "&&":
      // A falsy left side is the result; otherwise the right side is.
      return union(left, right);
    case "||":
    case "??":
      return union(nonNull(left), right);
    case "==":
    case "!=":
      equality(node, left, right, report);
      return BOOLEAN;
    case "<":
    case "<=":
    case ">":
    case ">=":
      ordering(node, left, right, report);
      return BOOLEAN;
    case "+":
      return plus(node, left, right, report);
    case "-":
    case "*":
    case "/":
    case "%":
      for (const [side, type] of [[node.left, left], [node.right, right]] as const) {
        const k = kinds(type);
        if (k && !k.has("number")) report(side.span, `\`${node.op}\` needs numbers, ${but(side, type)}`, numberHint(side, type));
      }
      return NUMBER;
  }
}

/** `input.amount is a number`; a literal names itself: `'x' is a string`. */
function sideText(node: ExprNode, type: ExprType): string {
  return `${describe(node)} is ${typeText(type)}`;
}

/** `but input.amount is a number`, or `not null` for a literal null. */
export function but(node: ExprNode, type: ExprType): string {
  return isNull(node) ? "not null" : `but ${sideText(node, type)}`;
}

/** `==` is strict: values of different kinds are never equal. */
function equality(node: Binary, left: ExprType, right: ExprType, report: TypeReport): void {
  const kl = kinds(left);
  const kr = kinds(right);
  if (!kl || !kr) return;
  const always = `this comparison is always ${node.op === "==" ? "false" : "true"}`;
  const common = [...kl].filter((k) => kr.has(k));
  if (common.length === 0) {
    const [other, otherType] = isNull(node.right) ? [node.left, left] : isNull(node.left) ? [node.right, right] : [undefined, undefined];
    const message = other
      ? `${always}: ${sideText(other, otherType)}, never null`
      : `${always}: ${sideText(node.left, left)} and ${sideText(node.right, right)}`;
    report(node.span, message, literalHint(node.left, right) ?? literalHint(node.right, left));
    return;
  }
  // Strings that can only be some values (an enum, a literal) and share none.
  const ls = memberOf(left, "string")?.values;
  const rs = memberOf(right, "string")?.values;
  if (common.length !== 1 || common[0] !== "string" || !ls || !rs || ls.some((v) => rs.includes(v))) return;
  const literal = [node.left, node.right].find((n) => n.kind === "literal");
  const value = literal?.kind === "literal" && typeof literal.value === "string" ? literal.value : undefined;
  if (value !== undefined) {
    const [other, values] = literal === node.left ? [node.right, rs] : [node.left, ls];
    report(node.span, `${always}: ${describe(other)} is ${valuesText(values)}, never ${quote(value)}`, didYouMean(value, values));
  } else {
    report(node.span, `${always}: ${describe(node.left)} is ${valuesText(ls)} and ${describe(node.right)} is ${valuesText(rs)}`);
  }
}

function isNull(node: ExprNode): boolean {
  return node.kind === "literal" && node.value === null;
}

function valuesText(values: readonly string[]): string {
  return values.length === 1 ? `always ${quote(values[0]!)}` : `one of ${values.map(quote).join(", ")}`;
}

/** `'5'` compared with a number, `5` with a string, `'true'` with a boolean: the quotes are the mistake. */
function literalHint(literal: ExprNode, other: ExprType): string | undefined {
  if (literal.kind !== "literal") return undefined;
  const k = kinds(other);
  const { value } = literal;
  if (typeof value === "number" && k?.has("string")) return `write ${quote(String(value))} in quotes`;
  if (typeof value !== "string") return undefined;
  if (k?.has("number") && value.trim() !== "" && Number.isFinite(Number(value))) return `write ${value} without quotes`;
  if (k?.has("boolean") && (value === "true" || value === "false")) return `write ${value} without quotes`;
  return undefined;
}

/** Two strings compare as text; everything else as numbers (runtime `compare`). */
function ordering(node: Binary, left: ExprType, right: ExprType, report: TypeReport): void {
  const kl = kinds(left);
  const kr = kinds(right);
  for (const [side, type, k] of [[node.left, left, kl], [node.right, right, kr]] as const) {
    if (k && !k.has("number") && !k.has("string")) {
      report(side.span, `\`${node.op}\` compares numbers or strings, ${but(side, type)}`);
      return;
    }
  }
  const only = (k: ReadonlySet<BaseKind> | undefined, kind: BaseKind): boolean =>
    k !== undefined && k.has(kind) && !k.has(kind === "string" ? "number" : "string");
  const text = only(kl, "string") && only(kr, "number") ? node.left : only(kr, "string") && only(kl, "number") ? node.right : undefined;
  if (!text) return;
  report(
    node.span,
    `${sideText(node.left, left)} and ${sideText(node.right, right)}; \`${node.op}\` compares two numbers or two strings`,
    literalHint(text, NUMBER) ?? `write +${postfix(text)} to compare as numbers`,
  );
}

/** Text if either side is text, else numeric addition. */
function plus(node: Binary, left: ExprType, right: ExprType, report: TypeReport): ExprType {
  const kl = kinds(left);
  const kr = kinds(right);
  const text = (k: ReadonlySet<BaseKind> | undefined): boolean => !k || k.has("string");
  const onlyText = (k: ReadonlySet<BaseKind> | undefined): boolean => k?.size === 1 && k.has("string");
  if (text(kl) || text(kr)) {
    if (onlyText(kl) || onlyText(kr)) return STRING;
    return kl && kr ? union(STRING, NUMBER) : UNKNOWN;
  }
  for (const [side, type, k] of [[node.left, left, kl], [node.right, right, kr]] as const) {
    if (k && !k.has("number")) {
      const hint = k.has("boolean") && side.kind !== "literal" ? `write (${exprText(side)} ? 1 : 0) to count it as a number` : undefined;
      report(side.span, `\`+\` adds numbers or joins text, ${but(side, type)}`, hint);
      break;
    }
  }
  return NUMBER;
}

/** For a text operand where a number is needed: the explicit conversion. */
export function numberHint(node: ExprNode, type: ExprType): string | undefined {
  const k = kinds(type);
  if (!k?.has("string") || k.has("number")) return undefined;
  if (node.kind === "literal") return literalHint(node, NUMBER);
  return `write +${postfix(node)} to read the text as a number`;
}

/** The expression as an operand of a prefix or postfix operator. */
export function postfix(node: ExprNode): string {
  const text = exprText(node);
  return node.kind === "binary" || node.kind === "conditional" || node.kind === "unary" ? `(${text})` : text;
}
