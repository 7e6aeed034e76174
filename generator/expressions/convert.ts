import type { ts as TS } from "ts-morph";
import { ts } from "../cjs.ts";
import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import type { BinaryOp, ExprNode } from "./ast.ts";

/**
 * Turns the TypeScript AST of one expression into our ExprNode tree, keeping
 * only the allowed subset. Everything else is reported with the exact span of
 * the offending syntax and a hint towards what the language offers instead.
 */
export interface ConvertContext {
  readonly sf: TS.SourceFile;
  readonly file: string;
  /** File offset of position 0 of the parsed text (which carries a 1-char wrapper). */
  readonly base: number;
  readonly bag: DiagnosticBag;
}

const BINARY: ReadonlyMap<TS.SyntaxKind, BinaryOp> = new Map([
  [ts.SyntaxKind.EqualsEqualsToken, "=="],
  [ts.SyntaxKind.EqualsEqualsEqualsToken, "=="],
  [ts.SyntaxKind.ExclamationEqualsToken, "!="],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, "!="],
  [ts.SyntaxKind.LessThanToken, "<"],
  [ts.SyntaxKind.LessThanEqualsToken, "<="],
  [ts.SyntaxKind.GreaterThanToken, ">"],
  [ts.SyntaxKind.GreaterThanEqualsToken, ">="],
  [ts.SyntaxKind.AmpersandAmpersandToken, "&&"],
  [ts.SyntaxKind.BarBarToken, "||"],
  [ts.SyntaxKind.QuestionQuestionToken, "??"],
  [ts.SyntaxKind.PlusToken, "+"],
  [ts.SyntaxKind.MinusToken, "-"],
  [ts.SyntaxKind.AsteriskToken, "*"],
  [ts.SyntaxKind.SlashToken, "/"],
  [ts.SyntaxKind.PercentToken, "%"],
]);

/** Operators JavaScript has and we do not, with the nearest thing we offer. */
const BINARY_HINTS: ReadonlyMap<TS.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.EqualsToken, "to compare, write `==`"],
  [ts.SyntaxKind.AmpersandToken, "for a logical and, write `&&`"],
  [ts.SyntaxKind.BarToken, "for a logical or, write `||`"],
  [ts.SyntaxKind.InKeyword, "to test for a key, write contains(object, key)"],
  [ts.SyntaxKind.AsteriskAsteriskToken, "multiply explicitly, e.g. x * x"],
  [ts.SyntaxKind.CommaToken, "write one expression per `${{ }}`"],
]);

/** JavaScript methods and globals people reach for, mapped to our functions. */
const METHOD_HINTS: ReadonlyMap<string, string> = new Map([
  ["toLowerCase", "lower"],
  ["toUpperCase", "upper"],
  ["trim", "trim"],
  ["includes", "contains"],
  ["indexOf", "contains"],
  ["startsWith", "startsWith"],
  ["endsWith", "endsWith"],
  ["split", "split"],
  ["join", "join"],
  ["toString", "toJSON"],
  ["stringify", "toJSON"],
  ["parse", "fromJSON"],
  ["keys", "keys"],
  ["values", "values"],
  ["round", "round"],
  ["floor", "floor"],
  ["ceil", "ceil"],
  ["min", "min"],
  ["max", "max"],
  ["now", "now"],
]);

export function spanOf(ctx: ConvertContext, node: TS.Node): SourceSpan {
  return { file: ctx.file, start: ctx.base + node.getStart(ctx.sf), end: ctx.base + node.end };
}

function fail(ctx: ConvertContext, node: TS.Node, message: string, hint?: string): undefined {
  ctx.bag.error(spanOf(ctx, node), message, hint);
  return undefined;
}

/** Converts every child even after a failure, so one pass reports every problem. */
function all(ctx: ConvertContext, nodes: readonly TS.Node[]): ExprNode[] | undefined {
  const out = nodes.map((n) => convert(ctx, n));
  return out.every((n): n is ExprNode => n !== undefined) ? out : undefined;
}

export function convert(ctx: ConvertContext, node: TS.Node): ExprNode | undefined {
  const span = spanOf(ctx, node);
  if (ts.isParenthesizedExpression(node)) return convert(ctx, node.expression);
  if (ts.isNumericLiteral(node)) {
    const value = Number(node.text);
    // Infinity has no JSON form, so it could not travel through step outputs.
    if (!Number.isFinite(value)) return fail(ctx, node, "this number is too large");
    return { kind: "literal", value, span };
  }
  if (ts.isStringLiteral(node)) return { kind: "literal", value: node.text, span };
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
      return { kind: "literal", value: true, span };
    case ts.SyntaxKind.FalseKeyword:
      return { kind: "literal", value: false, span };
    case ts.SyntaxKind.NullKeyword:
      return { kind: "literal", value: null, span };
  }
  if (ts.isIdentifier(node)) return { kind: "name", name: node.text, span };
  if (ts.isArrayLiteralExpression(node)) {
    const items = all(ctx, node.elements);
    return items && { kind: "array", items, span };
  }
  if (ts.isObjectLiteralExpression(node)) return convertObject(ctx, node, span);
  if (ts.isPropertyAccessExpression(node)) {
    if (node.questionDotToken) return optionalChaining(ctx, node.questionDotToken);
    if (ts.isPrivateIdentifier(node.name)) return fail(ctx, node.name, "private names (`#x`) are not supported");
    const object = convert(ctx, node.expression);
    const property = node.name.text;
    return object && { kind: "member", object, property, propertySpan: spanOf(ctx, node.name), span };
  }
  if (ts.isElementAccessExpression(node)) {
    if (node.questionDotToken) return optionalChaining(ctx, node.questionDotToken);
    const object = convert(ctx, node.expression);
    const index = convert(ctx, node.argumentExpression);
    return object && index && { kind: "index", object, index, span };
  }
  if (ts.isCallExpression(node)) return convertCall(ctx, node, span);
  if (ts.isPrefixUnaryExpression(node)) return convertPrefix(ctx, node, span);
  if (ts.isBinaryExpression(node)) return convertBinary(ctx, node, span);
  if (ts.isConditionalExpression(node)) {
    const [test, consequent, alternate] = all(ctx, [node.condition, node.whenTrue, node.whenFalse]) ?? [];
    return test && consequent && alternate && { kind: "conditional", test, consequent, alternate, span };
  }
  return unsupported(ctx, node);
}

function optionalChaining(ctx: ConvertContext, token: TS.Node): undefined {
  return fail(
    ctx,
    token,
    "optional chaining `?.` is not needed",
    "property access is already null-safe: write `a.b`, which gives null when `a` is missing",
  );
}

function convertObject(ctx: ConvertContext, node: TS.ObjectLiteralExpression, span: SourceSpan): ExprNode | undefined {
  const entries: { key: string; value: ExprNode }[] = [];
  let ok = true;
  for (const prop of node.properties) {
    if (!ts.isPropertyAssignment(prop)) {
      ok = false;
      if (ts.isShorthandPropertyAssignment(prop)) fail(ctx, prop, "a key needs a value here", `write \`${prop.name.text}: …\``);
      else if (ts.isSpreadAssignment(prop)) fail(ctx, prop, "spread (`...`) is not supported in expressions");
      else fail(ctx, prop, "only `key: value` entries are allowed in objects");
      continue;
    }
    const name = prop.name;
    let key: string | undefined;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) key = name.text;
    else if (ts.isNumericLiteral(name)) key = String(Number(name.text));
    else fail(ctx, name, "object keys must be names or quoted strings", "computed keys (`[k]: v`) are not supported");
    const value = convert(ctx, prop.initializer);
    if (key === undefined || value === undefined) ok = false;
    else entries.push({ key, value });
  }
  return ok ? { kind: "object", entries, span } : undefined;
}

function convertCall(ctx: ConvertContext, node: TS.CallExpression, span: SourceSpan): ExprNode | undefined {
  if (node.questionDotToken) return optionalChaining(ctx, node.questionDotToken);
  if (node.typeArguments) return fail(ctx, node, "type arguments are not allowed in expressions");
  const callee = node.expression;
  if (!ts.isIdentifier(callee)) {
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.getText(ctx.sf) : undefined;
    const replacement = method === undefined ? undefined : METHOD_HINTS.get(method);
    return fail(
      ctx,
      callee,
      method === undefined ? "only built-in functions can be called, as `name(arguments)`" : `methods such as '${method}' cannot be called`,
      replacement === undefined ? "call a built-in function, e.g. lower(x)" : `use the built-in function ${replacement}(…) instead`,
    );
  }
  const spread = node.arguments.find(ts.isSpreadElement);
  if (spread) return fail(ctx, spread, "spread (`...`) is not supported in expressions");
  const args = all(ctx, node.arguments);
  return args && { kind: "call", callee: callee.text, calleeSpan: spanOf(ctx, callee), args, span };
}

function convertPrefix(ctx: ConvertContext, node: TS.PrefixUnaryExpression, span: SourceSpan): ExprNode | undefined {
  const op =
    node.operator === ts.SyntaxKind.ExclamationToken
      ? "!"
      : node.operator === ts.SyntaxKind.MinusToken
        ? "-"
        : node.operator === ts.SyntaxKind.PlusToken
          ? "+"
          : undefined;
  if (op === undefined) {
    const text = ts.tokenToString(node.operator) ?? "this operator";
    const changes = node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
    return fail(ctx, node, changes ? `\`${text}\` changes a value; expressions cannot assign` : `\`${text}\` is not supported`);
  }
  const operand = convert(ctx, node.operand);
  return operand && { kind: "unary", op, operand, span };
}

function convertBinary(ctx: ConvertContext, node: TS.BinaryExpression, span: SourceSpan): ExprNode | undefined {
  const kind = node.operatorToken.kind;
  const op = BINARY.get(kind);
  if (op === undefined) {
    const text = node.operatorToken.getText(ctx.sf);
    const assigns = kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
    const message = assigns ? `\`${text}\` assigns a value; expressions cannot assign` : `the operator \`${text}\` is not supported`;
    all(ctx, [node.left, node.right]);
    return fail(ctx, node.operatorToken, message, BINARY_HINTS.get(kind));
  }
  const [left, right] = all(ctx, [node.left, node.right]) ?? [];
  const mixed = [node.left, node.right].find((side) => mixesNullish(kind, side));
  if (mixed) {
    return fail(
      ctx,
      node.operatorToken,
      "`??` cannot be mixed with `&&` or `||` without parentheses",
      "add parentheses to say which comes first, e.g. (a ?? b) || c",
    );
  }
  return left && right && { kind: "binary", op, left, right, span };
}

/** JavaScript forbids `a ?? b || c`; TypeScript's parser accepts it, so we check. */
function mixesNullish(outer: TS.SyntaxKind, side: TS.Expression): boolean {
  if (!ts.isBinaryExpression(side)) return false;
  const inner = side.operatorToken.kind;
  const logical = (k: TS.SyntaxKind): boolean =>
    k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken;
  const nullish = (k: TS.SyntaxKind): boolean => k === ts.SyntaxKind.QuestionQuestionToken;
  return (nullish(outer) && logical(inner)) || (logical(outer) && nullish(inner));
}

function unsupported(ctx: ConvertContext, node: TS.Node): undefined {
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node))
    return fail(ctx, node, "functions (lambdas) are not allowed in expressions");
  if (ts.isNewExpression(node)) return fail(ctx, node, "`new` is not allowed in expressions");
  if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTaggedTemplateExpression(node))
    return fail(ctx, node, "template literals (backquotes) are not supported", "use 'single' or \"double\" quoted strings and join them with +");
  if (node.kind === ts.SyntaxKind.ThisKeyword || node.kind === ts.SyntaxKind.SuperKeyword)
    return fail(ctx, node, `\`${node.getText(ctx.sf)}\` is not available in expressions`);
  if (ts.isRegularExpressionLiteral(node)) return fail(ctx, node, "regular expressions are not supported");
  if (ts.isSpreadElement(node)) return fail(ctx, node, "spread (`...`) is not supported in expressions");
  if (ts.isBigIntLiteral(node)) return fail(ctx, node, "BigInt literals are not supported", "write a plain number");
  if (ts.isOmittedExpression(node)) return fail(ctx, node, "an array item is missing between two commas");
  if (ts.isPostfixUnaryExpression(node)) return fail(ctx, node, "`++` and `--` change a value; expressions cannot assign");
  if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node))
    return fail(ctx, node, "TypeScript type syntax is not allowed in expressions");
  if (ts.isTypeOfExpression(node) || ts.isVoidExpression(node) || ts.isDeleteExpression(node) || ts.isAwaitExpression(node))
    return fail(ctx, node, `\`${node.getFirstToken(ctx.sf)?.getText(ctx.sf) ?? "this operator"}\` is not supported in expressions`);
  return fail(ctx, node, `\`${node.getText(ctx.sf)}\` is not supported in expressions`);
}
