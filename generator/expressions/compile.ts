import type { JsonValue, Value } from "../model/types.ts";
import { flattenAccess, type Access, type AccessStep } from "./access.ts";
import type { BinaryOp, ExprNode } from "./ast.ts";
import { FUNCTIONS } from "./functions.ts";

/**
 * Compiles checked expressions to TypeScript source. The generated code has
 * these in scope (the emitter guarantees it): `input` (typed flow input),
 * `steps` (`Record<string, unknown>`: step id → output), `flow` (`{ name }`),
 * `instance` (`{ id }`), `env`, the context roots (`request`, `message`,
 * `schedule`, `item`, `index`, `attempt`, `event`) and the runtime helpers as
 * `import * as $ from ".../runtime/expr.ts"`.
 *
 * Conventions, chosen so any checked expression type-checks under strict TS
 * whatever the emitter's types are:
 * - reads below a root go through `$.at(base, ...keys)`, which is null-safe:
 *   a missing property (or reading from null) gives `undefined` instead of
 *   throwing; `input.<field>` and `env.<VAR>` themselves are direct reads;
 * - arithmetic and ordering go through `$.add`, `$.lt`, …; `==`/`!=` become
 *   `===`/`!==` when one side is `unknown`-typed and neither is a reference
 *   TS narrows, else `$.eq`/`$.ne`. TS rejects `===` between types it proves
 *   disjoint, and the emitter's TS types (literal types of wrangler vars and
 *   enums, narrowing inside `&&` and `?:`) are not the expression types of
 *   infer.ts, so the static types of expressions deliberately do not steer
 *   this choice: the checker has already rejected comparisons that are
 *   always false, and `$.eq` is correct for every other one;
 * - `&&`, `||`, `??`, `!`, `?:` are emitted as written;
 * - calls become `$.<name>(…)`; templates become `"text" + $.str(expr)`.
 * The result is a complete expression, safe as an initializer, argument,
 * property value or return value; parenthesise it for anything tighter.
 * A `literal` Value never references `$`, so the import can be skipped.
 */

// JavaScript precedence levels, just the ones we emit.
const COND = 2;
const OR = 3;
const AND = 4;
const EQUALITY = 8;
const ADDITIVE = 11;
const UNARY = 14;
const CALL = 17;
const PRIMARY = 20;

interface Code {
  readonly text: string;
  readonly prec: number;
  /** Statically `unknown`: comparable with `===` to anything. */
  readonly dynamic?: boolean;
  /** A literal TypeScript flags when tested for truthiness or nullishness ("always truthy"). */
  readonly constant?: boolean;
  /** A read or call: TypeScript cannot know whether it is nullish, so `??` after it is fine. */
  readonly opaque?: boolean;
  /**
   * A reference TypeScript narrows (`steps["id"]`): after `steps["a"] === "x"`
   * it is typed `"x"`, so a second `=== "y"` on it would not compile.
   */
  readonly narrowable?: boolean;
  /** The logical operator at the top, since `??` may not mix with `&&`/`||` unparenthesised. */
  readonly logical?: "&&" | "||" | "??";
}

export function compileExpression(node: ExprNode): string {
  return expr(node).text;
}

export function compileValue(value: Value): string {
  return value.kind === "expr" ? compileExpression(value.expr) : valueCode(value).text;
}

/**
 * Like compileValue, but safe inside `if (…)` even when the value is a
 * constant. A YAML literal is folded to `true`/`false` (JavaScript
 * truthiness), so, as with compileValue, literals never need the runtime.
 */
export function compileCondition(value: Value): string {
  if (value.kind === "literal") return String(Boolean(value.value));
  return truthTested(value.kind === "expr" ? expr(value.expr) : valueCode(value)).text;
}

function valueCode(value: Value): Code {
  switch (value.kind) {
    case "literal":
      return json(value.value);
    case "expr":
      return expr(value.expr);
    case "template":
      return template(value.parts);
    case "object":
      return objectLiteral(value.entries.map((e) => [e.key, valueCode(e.value).text]));
    case "array":
      return { text: `[${value.items.map((v) => valueCode(v).text).join(", ")}]`, prec: PRIMARY, constant: true };
  }
}

function template(parts: readonly (string | ExprNode)[]): Code {
  const pieces = parts.map((p) => (typeof p === "string" ? JSON.stringify(p) : `$.str(${expr(p).text})`));
  if (pieces.length === 0) return { text: '""', prec: PRIMARY, constant: true };
  if (pieces.length === 1) return { text: pieces[0]!, prec: PRIMARY, constant: typeof parts[0] === "string" };
  return { text: pieces.join(" + "), prec: ADDITIVE };
}

/** JSON values as TypeScript literals, keys quoted only when needed. */
function json(value: JsonValue): Code {
  if (value === null) return { text: "null", prec: PRIMARY, constant: true };
  if (typeof value === "string") return { text: JSON.stringify(value), prec: PRIMARY, constant: true };
  if (typeof value === "number") return numberCode(value);
  if (typeof value === "boolean") return { text: String(value), prec: PRIMARY };
  if (Array.isArray(value)) return { text: `[${value.map((v) => json(v).text).join(", ")}]`, prec: PRIMARY, constant: true };
  return objectLiteral(Object.entries(value).map(([k, v]) => [k, json(v).text]));
}

function numberCode(value: number): Code {
  const text = Object.is(value, -0) ? "0" : String(value);
  return { text, prec: value < 0 ? UNARY : PRIMARY, constant: true };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function propertyKey(key: string): string {
  // A plain or quoted `__proto__` key would set the prototype instead.
  if (key === "__proto__") return '["__proto__"]';
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function objectLiteral(entries: readonly (readonly [string, string])[]): Code {
  const text = entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${v}`).join(", ")} }`;
  return { text, prec: PRIMARY, constant: true };
}

function wrap(code: Code, min: number): string {
  return code.prec < min ? `(${code.text})` : code.text;
}

/**
 * TypeScript rejects tests it can decide from syntax alone ("this kind of
 * expression is always truthy", "right operand of ?? is unreachable");
 * `$.val` (the identity) hides such operands, which only constant-folded
 * expressions like `'x' || y` produce.
 */
function truthTested(code: Code): Code {
  return code.constant ? hidden(code) : code;
}

function nullishTested(code: Code): Code {
  return code.opaque ? code : hidden(code);
}

function hidden(code: Code): Code {
  return { text: `$.val(${code.text})`, prec: CALL, opaque: true, dynamic: code.dynamic === true };
}

function call(name: string, args: readonly Code[], dynamic = false): Code {
  return { text: `$.${name}(${args.map((a) => a.text).join(", ")})`, prec: CALL, dynamic, opaque: true };
}

function expr(node: ExprNode): Code {
  switch (node.kind) {
    case "literal":
      return json(node.value);
    case "array":
      return { text: `[${node.items.map((i) => expr(i).text).join(", ")}]`, prec: PRIMARY, constant: true };
    case "object":
      return objectLiteral(node.entries.map((e) => [e.key, expr(e.value).text]));
    case "name":
    case "member":
    case "index":
      return access(flattenAccess(node));
    case "unary":
      return unary(node.op, node.operand);
    case "binary":
      return binary(node.op, expr(node.left), expr(node.right));
    case "conditional": {
      const consequent = expr(node.consequent);
      const alternate = expr(node.alternate);
      const test = wrap(truthTested(expr(node.test)), OR);
      const text = `${test} ? ${wrap(consequent, COND)} : ${wrap(alternate, COND)}`;
      const both = (flag: "dynamic" | "opaque"): boolean => consequent[flag] === true && alternate[flag] === true;
      return { text, prec: COND, dynamic: both("dynamic"), opaque: both("opaque") };
    }
    case "call":
      // The runtime declares `unknown` exactly where functions.ts does (fromJSON).
      return call(node.callee, node.args.map(expr), FUNCTIONS.get(node.callee)?.returns.kind === "unknown");
  }
}

function unary(op: "!" | "-" | "+", operand: ExprNode): Code {
  if (op === "!") return { text: `!${wrap(truthTested(expr(operand)), UNARY)}`, prec: UNARY };
  if (op === "-" && operand.kind === "literal" && typeof operand.value === "number") return numberCode(-operand.value);
  return call(op === "-" ? "neg" : "num", [expr(operand)]);
}

const HELPERS: Partial<Record<BinaryOp, string>> = {
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "%": "mod",
};

function binary(op: BinaryOp, left: Code, right: Code): Code {
  if (op === "==" || op === "!=") {
    // Missing values are `undefined` at run time and `null` in the language, so any
    // comparison with `null` goes through $.eq, which treats the two alike.
    const withNull = left.text === "null" || right.text === "null";
    const direct = (left.dynamic || right.dynamic) && !left.narrowable && !right.narrowable && !withNull;
    if (!direct) return call(op === "==" ? "eq" : "ne", [left, right]);
    const text = `${wrap(left, EQUALITY)} ${op === "==" ? "===" : "!=="} ${wrap(right, EQUALITY + 1)}`;
    return { text, prec: EQUALITY };
  }
  if (op === "&&" || op === "||" || op === "??") {
    const prec = op === "&&" ? AND : OR;
    const operand = (code: Code, min: number): string =>
      mixes(op, code.logical) ? `(${code.text})` : wrap(code, min);
    const tested = op === "??" ? nullishTested(left) : truthTested(left);
    const text = `${operand(tested, prec)} ${op} ${operand(right, prec + 1)}`;
    // `a || b` may well be nullish, so it needs no `$.val` before a `??`.
    return { text, prec, logical: op, opaque: true };
  }
  return call(HELPERS[op]!, [left, right]);
}

/** `a ?? b || c` is a syntax error in JavaScript: `??` needs parentheses next to `&&`/`||`. */
function mixes(op: "&&" | "||" | "??", inner: Code["logical"]): boolean {
  return inner !== undefined && inner !== op && (op === "??" || inner === "??");
}

function key(step: AccessStep): string {
  if (step.index) return expr(step.index).text;
  return typeof step.key === "number" ? numberCode(step.key).text : JSON.stringify(step.key);
}

/** The root a chain reads from, and how much of the path that root already consumed. */
function root(access: Access): { code: Code; used: number } {
  const { base, path } = access;
  if (base.kind !== "name") return { code: expr(base), used: 0 };
  const first = path[0];
  const typedProperty = first !== undefined && typeof first.key === "string";
  switch (base.name) {
    case "steps": {
      const id = first?.key;
      if (id === undefined || path[1]?.key !== "output") break;
      const text = `steps[${JSON.stringify(String(id))}]`;
      return { code: { text, prec: CALL, dynamic: true, opaque: true, narrowable: true }, used: 2 };
    }
    case "input":
    case "flow":
    case "instance":
    case "env": {
      if (!typedProperty) break;
      const name = String(first.key);
      const text = IDENTIFIER.test(name) ? `${base.name}.${name}` : `${base.name}[${JSON.stringify(name)}]`;
      return { code: { text, prec: CALL, opaque: true }, used: 1 };
    }
  }
  return { code: { text: base.name, prec: PRIMARY, opaque: true }, used: 0 };
}

function access(chain: Access): Code {
  const { code, used } = root(chain);
  const rest = chain.path.slice(used);
  if (rest.length === 0) return code;
  return { text: `$.at(${code.text}, ${rest.map(key).join(", ")})`, prec: CALL, dynamic: true, opaque: true };
}
