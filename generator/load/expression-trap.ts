import { lexTokens, type Token } from "./yaml-tokens.ts";

/**
 * The `${{ }}` trap of dsl.md §2: an unquoted expression is fine as a block
 * value, but YAML itself reads its braces as a flow mapping inside `{ }` or
 * `[ ]`, reads `: ` as a nested key, and ` #` as the start of a comment. The
 * YAML errors that follow (if any — a swallowed comment is silent) say
 * nothing about quoting, so we look at the lexer's tokens and name the real
 * mistake at its position.
 */
export type TrapReason = "flow" | "colon" | "comment";

export interface ExpressionTrap {
  readonly reason: TrapReason;
  /** Offset of the `${{` (or of the value holding it). */
  readonly offset: number;
  /** The value as the author presumably meant it, for the hint. */
  readonly value: string;
}

const lineEnd = (text: string, offset: number): number => {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl;
};

/** Finds every trap in a file's text, in source order; `lexemes` are its yaml lexemes when the caller has them. */
export function findExpressionTraps(text: string, lexemes?: readonly string[]): ExpressionTrap[] {
  if (!text.includes("${{")) return [];
  const toks = lexTokens(text, lexemes);
  const traps: ExpressionTrap[] = [];
  let depth = 0;
  let colonsOnLine = 0;
  let blockScalarNext = false;

  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    switch (tok.type) {
      case "flow-map-start":
      case "flow-seq-start":
        depth++;
        continue;
      case "flow-map-end":
      case "flow-seq-end":
        depth = Math.max(0, depth - 1);
        continue;
      case "newline":
        colonsOnLine = 0;
        continue;
      case "map-value-ind":
        if (depth === 0) colonsOnLine++;
        continue;
      case "block-scalar-header":
        blockScalarNext = true;
        continue;
      case "<scalar>":
        break;
      default:
        continue;
    }
    // The token after a scalar marker is the scalar's source.
    const scalar = toks[i + 1];
    if (!scalar) break;
    i++;
    if (blockScalarNext) {
      blockScalarNext = false;
      continue;
    }
    if (scalar.source.startsWith("'") || scalar.source.startsWith('"')) continue;
    const trap = depth > 0 ? flowTrap(text, toks, i) : blockTrap(text, toks, i, colonsOnLine);
    if (trap) traps.push(trap);
  }
  return traps;
}

/** In a flow collection a plain `$` followed by `{` is an expression YAML split apart. */
function flowTrap(text: string, toks: Token[], i: number): ExpressionTrap | undefined {
  const scalar = toks[i]!;
  if (!scalar.source.endsWith("$") || toks[i + 1]?.type !== "flow-map-start") return undefined;
  const offset = scalar.offset + scalar.source.length - 1;
  const close = text.indexOf("}}", offset);
  const exprEnd = close < 0 || close > lineEnd(text, offset) ? lineEnd(text, offset) : close + 2;
  return { reason: "flow", offset, value: text.slice(offset, exprEnd).trim() };
}

/** A block plain scalar holding `${{` that YAML cut at `: ` or ` #`. */
function blockTrap(text: string, toks: Token[], i: number, colonsBefore: number): ExpressionTrap | undefined {
  const scalar = toks[i]!;
  const at = scalar.source.indexOf("${{");
  if (at < 0) return undefined;
  let j = i + 1;
  while (toks[j]?.type === "space") j++;
  const next = toks[j];
  const value = text.slice(valueStart(text, scalar.offset), lineEnd(text, scalar.offset)).trim();
  // `key: text: ${{ x }}` (two `: ` on one line) or `key: ${{ a ? b : c }}`;
  // but not a key of its own line (`${{ x }}: 1`), which quoting would not fix.
  const isKey = text.slice(text.lastIndexOf("\n", scalar.offset - 1) + 1, scalar.offset).trim() === "";
  if ((next?.type === "map-value-ind" && !isKey) || colonsBefore >= 2) {
    return { reason: "colon", offset: scalar.offset + at, value };
  }
  // A real comment after an expression is fine; `#5`, `#${{ b }}` or a
  // comment holding `}}` is text the author meant to keep.
  if (next?.type === "comment" && /^#\S|\}\}|\$\{\{/.test(next.source)) {
    return { reason: "comment", offset: next.offset, value };
  }
  return undefined;
}

/** Where the value on the scalar's line begins: after the key's `: ` (or `- `). */
function valueStart(text: string, scalarOffset: number): number {
  const lineStart = text.lastIndexOf("\n", scalarOffset - 1) + 1;
  const line = text.slice(lineStart, lineEnd(text, scalarOffset));
  const match = /^\s*(?:-\s+)*(?:[^\s:#'"{[][^:#]*?:\s+)?/.exec(line);
  return lineStart + (match ? match[0].length : 0);
}

/** The plain sentence and hint for a trap. */
export function describeTrap(trap: ExpressionTrap): { message: string; hint: string } {
  const quoted = quote(trap.value);
  switch (trap.reason) {
    case "flow":
      return {
        message: "an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes",
        hint: `write ${quoted}`,
      };
    case "colon":
      return {
        message: "this unquoted value contains ': ', which YAML reads as a nested key; put the value in quotes",
        hint: `write ${quoted}`,
      };
    case "comment":
      return {
        message: "' #' starts a YAML comment, so the rest of this unquoted value is dropped; put the value in quotes",
        hint: `write ${quoted}`,
      };
  }
}

/** Double quotes unless the value has some; expressions favour single-quoted strings inside. */
function quote(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replaceAll('"', '\\"')}"`;
}
