import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import type { ExprNode } from "../../generator/expressions/ast.ts";
import { parseExpression, parseTemplate } from "../../generator/expressions/parse.ts";

const FILE = "definitions/t.yaml";
// The value under test sits on line 4, column 10 of a small definition.
const PREFIX = "flow: t\nsteps:\n  - id: s\n      v: ";

function run(text: string) {
  const source = `${PREFIX}${text}\n`;
  const bag = new DiagnosticBag();
  bag.addFile(FILE, source);
  const value = parseTemplate(text, FILE, PREFIX.length, bag);
  const messages = bag.sorted().map((d) => `${d.line}:${d.col}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ""}`);
  /** The file text a span covers, to assert spans exactly. */
  const cover = (span: { start: number; end: number }): string => source.slice(span.start, span.end);
  return { value, messages, cover };
}

/** `(kind detail ...)` rendering of a tree, compact enough for tables. */
function show(node: ExprNode): string {
  switch (node.kind) {
    case "literal":
      return JSON.stringify(node.value);
    case "name":
      return node.name;
    case "array":
      return `[${node.items.map(show).join(" ")}]`;
    case "object":
      return `{${node.entries.map((e) => `${e.key}:${show(e.value)}`).join(" ")}}`;
    case "member":
      return `(. ${show(node.object)} ${node.property})`;
    case "index":
      return `([] ${show(node.object)} ${show(node.index)})`;
    case "unary":
      return `(${node.op} ${show(node.operand)})`;
    case "binary":
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case "conditional":
      return `(? ${show(node.test)} ${show(node.consequent)} ${show(node.alternate)})`;
    case "call":
      return `(${node.callee} ${node.args.map(show).join(" ")})`.replace(/ \)$/, ")");
  }
}

function tree(source: string): string {
  const { value, messages } = run(`\${{ ${source} }}`);
  expect(messages).toEqual([]);
  if (value.kind !== "expr") throw new Error(`expected an expression, got ${value.kind}`);
  return show(value.expr);
}

describe("parseExpression: the allowed subset", () => {
  it.each([
    ["1.5e3", "1500"],
    ["0x10", "16"],
    ["'single' + \"double\"", '(+ "single" "double")'],
    ["'\\u00e9\\n'", '"é\\n"'],
    ["true && !false || null", "(|| (&& true (! false)) null)"],
    ["[1, [2], {}]", "[1 [2] {}]"],
    ["{a: 1, 'b c': 2, \"d\": 3, 4: 5,}", '{a:1 b c:2 d:3 4:5}'],
    ["a.b['c'][0][d]", '([] ([] ([] (. a b) "c") 0) d)'],
    ["a.default.if", "(. (. a default) if)"],
    ["a == b", "(== a b)"],
    ["a === b", "(== a b)"],
    ["a != b", "(!= a b)"],
    ["a !== b", "(!= a b)"],
    ["a < b <= c", "(<= (< a b) c)"],
    ["a > b >= c", "(>= (> a b) c)"],
    ["1 + 2 * 3 - 4 / 5 % 6", "(- (+ 1 (* 2 3)) (% (/ 4 5) 6))"],
    ["-a + +b", "(+ (- a) (+ b))"],
    ["a ? b : c ? d : e", "(? a b (? c d e))"],
    ["a ?? b ?? c", "(?? (?? a b) c)"],
    ["(a || b) ?? c", "(?? (|| a b) c)"],
    ["((a))", "a"],
    ["f()", "(f)"],
    ["addDuration(input.date, '-2 hours')", '(addDuration (. input date) "-2 hours")'],
    ["a /* why */ + b // trailing", "(+ a b)"],
  ])("%s", (source, expected) => {
    expect(tree(source)).toBe(expected);
  });

  it("gives every node its exact span in the file", () => {
    const { value, cover } = run("${{ steps.lookup.output['body'] == lower(x) }}");
    if (value.kind !== "expr" || value.expr.kind !== "binary") throw new Error("expected a binary expression");
    const { left, right } = value.expr;
    expect(cover(value.span)).toBe("${{ steps.lookup.output['body'] == lower(x) }}");
    expect(cover(value.expr.span)).toBe("steps.lookup.output['body'] == lower(x)");
    expect(cover(left.span)).toBe("steps.lookup.output['body']");
    if (left.kind !== "index" || left.object.kind !== "member") throw new Error("expected an index of a member");
    expect(cover(left.index.span)).toBe("'body'");
    expect(cover(left.object.propertySpan)).toBe("output");
    if (right.kind !== "call") throw new Error("expected a call");
    expect(cover(right.calleeSpan)).toBe("lower");
    expect(cover(right.args[0]!.span)).toBe("x");
  });

  it("parses standalone expressions at any offset", () => {
    const bag = new DiagnosticBag();
    bag.addFile(FILE, "a\nb\n  x +");
    expect(parseExpression("x +", FILE, 6, bag)).toBeUndefined();
    expect(bag.items).toEqual([{ severity: "error", file: FILE, line: 3, col: 6, message: "expected an expression" }]);
  });
});

describe("parseTemplate: splitting strings on markers", () => {
  it("keeps text without markers as a literal", () => {
    const { value } = run("plain }} and $ {{ text");
    expect(value).toMatchObject({ kind: "literal", value: "plain }} and $ {{ text" });
  });

  it("keeps a lone marker (surrounding whitespace ignored) as a typed expression", () => {
    expect(run("  ${{ 1 }} ").value).toMatchObject({ kind: "expr", expr: { kind: "literal", value: 1 } });
  });

  it("interpolates markers inside text", () => {
    const { value, cover } = run("a ${{ x }}${{ y }} b");
    if (value.kind !== "template") throw new Error("expected a template");
    expect(value.parts.map((p) => (typeof p === "string" ? p : show(p)))).toEqual(["a ", "x", "y", " b"]);
    expect(value.parts.filter((p) => typeof p !== "string").map((p) => cover(p.span))).toEqual(["x", "y"]);
  });

  it("finds the closing braces after nested objects and strings containing }}", () => {
    expect(tree("{a: {b: '}}'}}")).toBe('{a:{b:"}}"}}');
  });

  it("keeps the parts that parsed when another marker fails", () => {
    const { value, messages } = run("${{ a + }} and ${{ b }}");
    expect(messages).toEqual(["4:18: expected an expression"]);
    if (value.kind !== "template") throw new Error("expected a template");
    expect(value.parts.map((p) => (typeof p === "string" ? p : show(p)))).toEqual(["${{ a + }} and ", "b"]);
  });
});

// [YAML string value, expected `line:col: message (hint: …)`]; the value starts at 4:10.
const ERRORS: readonly (readonly [string, string])[] = [
  ["${{ }}", "4:10: empty expression `${{ }}` (hint: write an expression between `${{` and `}}`, or remove the marker)"],
  ["x ${{ a.b", "4:12: this `${{` is never closed (hint: end the expression with `}}`; a `${{` cannot appear in text without one)"],
  ["${{ a = 1 }}", "4:16: `=` assigns a value; expressions cannot assign (hint: to compare, write `==`)"],
  ["${{ a += 1 }}", "4:16: `+=` assigns a value; expressions cannot assign"],
  ["${{ a++ }}", "4:14: `++` and `--` change a value; expressions cannot assign"],
  ["${{ --a }}", "4:14: `--` changes a value; expressions cannot assign"],
  ["${{ new Date() }}", "4:14: `new` is not allowed in expressions"],
  ["${{ x => x + 1 }}", "4:14: functions (lambdas) are not allowed in expressions"],
  ["${{ function () { return 1 } }}", "4:14: functions (lambdas) are not allowed in expressions"],
  ["${{ `a${b}` }}", "4:14: template literals (backquotes) are not supported (hint: use 'single' or \"double\" quoted strings and join them with +)"],
  ["${{ this.x }}", "4:14: `this` is not available in expressions"],
  ["${{ /ab+c/ }}", "4:14: regular expressions are not supported"],
  ["${{ [...a] }}", "4:15: spread (`...`) is not supported in expressions"],
  ["${{ {...a} }}", "4:15: spread (`...`) is not supported in expressions"],
  ["${{ f(...a) }}", "4:16: spread (`...`) is not supported in expressions"],
  ["${{ a?.b }}", "4:15: optional chaining `?.` is not needed (hint: property access is already null-safe: write `a.b`, which gives null when `a` is missing)"],
  ["${{ a?.[0] }}", "4:15: optional chaining `?.` is not needed (hint: property access is already null-safe: write `a.b`, which gives null when `a` is missing)"],
  ["${{ a.b.toLowerCase() }}", "4:14: methods such as 'toLowerCase' cannot be called (hint: use the built-in function lower(…) instead)"],
  ["${{ Math.round(x) }}", "4:14: methods such as 'round' cannot be called (hint: use the built-in function round(…) instead)"],
  ["${{ a.b.frob() }}", "4:14: methods such as 'frob' cannot be called (hint: call a built-in function, e.g. lower(x))"],
  ["${{ (f)(x) }}", "4:14: only built-in functions can be called, as `name(arguments)` (hint: call a built-in function, e.g. lower(x))"],
  ["${{ f<string>(x) }}", "4:14: type arguments are not allowed in expressions"],
  ["${{ a as string }}", "4:14: TypeScript type syntax is not allowed in expressions"],
  ["${{ a! }}", "4:14: TypeScript type syntax is not allowed in expressions"],
  ["${{ typeof a }}", "4:14: `typeof` is not supported in expressions"],
  ["${{ a ** 2 }}", "4:16: the operator `**` is not supported (hint: multiply explicitly, e.g. x * x)"],
  ["${{ a & b }}", "4:16: the operator `&` is not supported (hint: for a logical and, write `&&`)"],
  ["${{ a | b }}", "4:16: the operator `|` is not supported (hint: for a logical or, write `||`)"],
  ["${{ 'k' in a }}", "4:18: the operator `in` is not supported (hint: to test for a key, write contains(object, key))"],
  ["${{ a, b }}", "4:15: the operator `,` is not supported (hint: write one expression per `${{ }}`)"],
  ["${{ ~a }}", "4:14: `~` is not supported"],
  ["${{ 1e400 }}", "4:14: this number is too large"],
  ["${{ 010 }}", "4:14: octal literals are not allowed. Use the syntax '0o10'"],
  ["${{ 10n }}", "4:14: BigInt literals are not supported (hint: write a plain number)"],
  ["${{ [1,,2] }}", "4:17: an array item is missing between two commas"],
  ["${{ {a} }}", "4:15: a key needs a value here (hint: write `a: …`)"],
  ["${{ {[k]: 1} }}", "4:15: object keys must be names or quoted strings (hint: computed keys (`[k]: v`) are not supported)"],
  ["${{ {f() {}} }}", "4:15: only `key: value` entries are allowed in objects"],
  ["${{ a.#b }}", "4:16: private names (`#x`) are not supported"],
  ["${{ a ?? b || c }}", "4:21: `??` cannot be mixed with `&&` or `||` without parentheses (hint: add parentheses to say which comes first, e.g. (a ?? b) || c)"],
  ["${{ a && b ?? c }}", "4:21: `??` cannot be mixed with `&&` or `||` without parentheses (hint: add parentheses to say which comes first, e.g. (a ?? b) || c)"],
  ["${{ a) + (b }}", "4:15: unexpected `)` (hint: check that every `(` has exactly one matching `)`)"],
  ["${{ f(a }}", "4:18: expected ')'"],
  ["${{ a + }}", "4:18: expected an expression"],
  ["${{ 'abc }}", "4:14: unterminated string literal (hint: close the string with ')"],
  ["${{ \"it's\" + 'x }}", "4:23: unterminated string literal (hint: close the string with ')"],
  ["${{ a; b }}", "4:15: expected ')'"],
  ["${{ a b }}", "4:16: expected ')'"],
];

describe("parse errors", () => {
  it.each(ERRORS)("%s", (text, expected) => {
    expect(run(text).messages).toEqual([expected]);
  });

  it("reports every unsupported construct of one expression", () => {
    expect(run("${{ new A() + (x => 1) }}").messages).toEqual([
      "4:14: `new` is not allowed in expressions",
      "4:25: functions (lambdas) are not allowed in expressions",
    ]);
  });

  it("reports each broken marker of a string", () => {
    expect(run("${{ }} and ${{ a = b }}").messages).toEqual([
      "4:10: empty expression `${{ }}` (hint: write an expression between `${{` and `}}`, or remove the marker)",
      "4:27: `=` assigns a value; expressions cannot assign (hint: to compare, write `==`)",
    ]);
  });
});
