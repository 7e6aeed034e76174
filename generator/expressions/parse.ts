import type { ts as TS } from "ts-morph";
import { ts } from "../cjs.ts";
import { DiagnosticBag, type SourceSpan } from "../diagnostics.ts";
import type { Value } from "../model/types.ts";
import type { ExprNode } from "./ast.ts";
import { convert, type ConvertContext } from "./convert.ts";
import { closingQuote, scanTemplate } from "./scan.ts";

/**
 * Parses `${{ }}` expressions with the TypeScript parser (so the syntax is
 * exactly JavaScript's where it overlaps) and keeps only our subset.
 */

/**
 * Parses one expression. `offset` is where `text` starts in `file`, so every
 * span — ours and the TypeScript parser's — points into the definition file.
 * Returns undefined after reporting when the text is not a valid expression.
 *
 * The same expression text recurs across steps and flows (`input.order_id`),
 * and watch mode parses unchanged flows again: a valid expression is parsed
 * once per process, at offset 0, and its tree copied with spans moved to
 * where it is (every span is the parse offset plus a fixed distance).
 * Invalid ones are parsed again each time, to report their problems.
 */
export function parseExpression(text: string, file: string, offset: number, bag: DiagnosticBag): ExprNode | undefined {
  let known = parsed.get(text);
  if (known === undefined) {
    const scratch = new DiagnosticBag();
    const node = parseFresh(text, "", 0, scratch);
    known = node && scratch.items.length === 0 ? node : null;
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(text, known);
  }
  return known === null ? parseFresh(text, file, offset, bag) : moved(known, file, offset) as ExprNode;
}

/** Valid expressions by text, spans at offset 0; `null` for texts with problems. Bounded for long watch sessions. */
const parsed = new Map<string, ExprNode | null>();
const PARSED_LIMIT = 50_000;

/** A copy of a parsed tree (plain data) with every span in `file`, `offset` further on. */
function moved(value: unknown, file: string, offset: number): unknown {
  if (Array.isArray(value)) return value.map((v) => moved(v, file, offset));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record["start"] === "number" && typeof record["end"] === "number" && "file" in record) {
    return { file, start: (record["start"] as number) + offset, end: (record["end"] as number) + offset };
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = moved(record[key], file, offset);
  return out;
}

function parseFresh(text: string, file: string, offset: number, bag: DiagnosticBag): ExprNode | undefined {
  // Parenthesised so a leading `{` is an object literal, not a block; the
  // newline keeps a trailing `//` comment from swallowing the `)`.
  const wrapped = `(${text}\n)`;
  const sf = ts.createSourceFile("expression.ts", wrapped, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const ctx: ConvertContext = { sf, file, base: offset - 1, bag };
  const at = (pos: number, length = 1): SourceSpan => {
    const start = offset + Math.min(Math.max(pos - 1, 0), text.length);
    return { file, start, end: Math.min(start + length, offset + text.length) };
  };

  const syntax = parseDiagnostics(sf);
  const first = syntax[0];
  if (first) {
    // TypeScript places an unterminated string at its end; the quote that opens it is more useful.
    const quote = first.code === 1002 ? unterminatedQuote(text) : undefined;
    const hint = quote === undefined ? undefined : `close the string with ${text[quote]}`;
    bag.error(quote === undefined ? at(first.start ?? 0, first.length ?? 1) : at(quote + 1), syntaxMessage(first), hint);
    return undefined;
  }
  const statement = sf.statements[0];
  const whole = statement && ts.isExpressionStatement(statement) ? statement.expression : undefined;
  if (sf.statements.length === 1 && whole && ts.isParenthesizedExpression(whole) && whole.end === wrapped.length) {
    return convert(ctx, whole.expression);
  }
  // The text closed our wrapper early, e.g. `a) + (b`: point at that `)`.
  const closing = leftmostParen(whole ?? sf);
  bag.error(at(closing ? closing.end - 1 : 0), "unexpected `)`", "check that every `(` has exactly one matching `)`");
  return undefined;
}

function unterminatedQuote(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== "'" && ch !== '"') continue;
    const close = closingQuote(text, i, ch);
    if (close < 0) return i;
    i = close;
  }
  return undefined;
}

function leftmostParen(node: TS.Node): TS.ParenthesizedExpression | undefined {
  if (ts.isParenthesizedExpression(node) && node.pos === 0) return node;
  const child = node.getChildren()[0];
  return child ? leftmostParen(child) : undefined;
}

/**
 * The parser's own syntax errors. `parseDiagnostics` is internal but has been
 * stable for a decade; the public route (a throwaway Program per expression)
 * is kept as a fallback should it ever disappear.
 */
function parseDiagnostics(sf: TS.SourceFile): readonly TS.Diagnostic[] {
  const internal = (sf as unknown as { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics;
  if (internal) return internal;
  const host: TS.CompilerHost = {
    ...ts.createCompilerHost({}),
    getSourceFile: (name) => (name === sf.fileName ? sf : undefined),
  };
  return ts.createProgram([sf.fileName], { noLib: true, noResolve: true }, host).getSyntacticDiagnostics(sf);
}

/** TypeScript says "')' expected."; we say "expected ')'" like our other messages. */
function syntaxMessage(d: TS.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\.$/, "");
  const expected = /^(.*) expected$/.exec(text);
  if (expected) return `expected ${expected[1] === "Expression" ? "an expression" : expected[1]}`;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Parses a YAML string value that may contain `${{ … }}` markers.
 * `textOffset` is where `text` begins in `file` (the text maps 1:1 to file
 * offsets). A value that is exactly one marker (surrounding whitespace
 * ignored) keeps the expression's type; otherwise the markers are
 * interpolated into a string. On errors the parts that did parse are kept, so
 * the scope checker can still report their problems in the same run.
 */
export function parseTemplate(text: string, file: string, textOffset: number, bag: DiagnosticBag): Value {
  const span: SourceSpan = { file, start: textOffset, end: textOffset + text.length };
  const segments = scanTemplate(text);
  if (!segments.some((s) => s.kind !== "text")) return { kind: "literal", value: text, span };

  const parts: (string | ExprNode)[] = [];
  let failed = false;
  for (const segment of segments) {
    if (segment.kind === "text") {
      parts.push(segment.text);
      continue;
    }
    const marker: SourceSpan = { file, start: textOffset + segment.start, end: textOffset + segment.end };
    const raw = text.slice(segment.start, segment.end);
    if (segment.kind === "unclosed") {
      bag.error(
        { ...marker, end: marker.start + 3 },
        "this `${{` is never closed",
        "end the expression with `}}`; a `${{` cannot appear in text without one",
      );
    } else if (segment.inner.trim() === "") {
      bag.error(marker, "empty expression `${{ }}`", "write an expression between `${{` and `}}`, or remove the marker");
    } else {
      const node = parseExpression(segment.inner, file, textOffset + segment.innerStart, bag);
      if (node) {
        parts.push(node);
        continue;
      }
    }
    failed = true;
    parts.push(raw);
  }

  const exprs = parts.filter((p): p is ExprNode => typeof p !== "string");
  const texts = parts.filter((p): p is string => typeof p === "string");
  if (exprs.length === 0) return { kind: "literal", value: text, span };
  if (!failed && exprs.length === 1 && texts.every((t) => t.trim() === "")) return { kind: "expr", expr: exprs[0]!, span };
  return { kind: "template", parts: mergeText(parts), span };
}

/** Adjacent text parts (left by failed markers) are joined so the template stays canonical. */
function mergeText(parts: readonly (string | ExprNode)[]): (string | ExprNode)[] {
  const out: (string | ExprNode)[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === "string" && typeof last === "string") out[out.length - 1] = last + part;
    else if (part !== "") out.push(part);
  }
  return out;
}
