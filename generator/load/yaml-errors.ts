import type { YAMLError, YAMLWarning } from "yaml";
import type { LineIndex } from "../diagnostics.ts";
import { lexTokens } from "./yaml-tokens.ts";

/**
 * yaml's own errors, worded for a flow author: where to look (the opening
 * quote or bracket, the line whose indentation is off) and what to do.
 */

export interface PlacedError {
  /** 0-based offsets of what to point at. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly hint?: string;
}

/**
 * yaml reports one mistake several times: an indentation slip as both a
 * "nested mapping" and a "multi-line key" at the same place, an unclosed
 * `{` or `[` again on every later line it swallowed. Keep one error per
 * line (the multi-line key, which names the real cause, over the other) and
 * nothing after an unclosed flow collection.
 */
export function syntaxErrors(errors: readonly YAMLError[], lines: LineIndex): YAMLError[] {
  const byLine = new Map<number, YAMLError>();
  for (const error of errors) {
    const line = lines.position(error.pos[0]).line;
    const seen = byLine.get(line);
    if (!seen || (error.code === "MULTILINE_IMPLICIT_KEY" && seen.code === "BLOCK_AS_IMPLICIT_KEY")) byLine.set(line, error);
    if (/end with an? [}\]]/.test(error.message)) break;
  }
  return [...byLine.values()];
}

export function placeYamlError(error: YAMLError, text: string): PlacedError {
  const unclosed = /^Missing closing (["'])quote/.exec(error.message);
  if (unclosed) {
    // yaml reports this at the end of the file; the opening quote is where to look.
    const start = openingQuote(text, error.pos[0], unclosed[1]!);
    const kind = unclosed[1] === '"' ? "double" : "single";
    return { start, end: start + 1, message: `this ${kind}-quoted string is never closed`, hint: `add the closing ${unclosed[1]}` };
  }
  const unclosedFlow = /end with an? ([}\]])/.exec(error.message);
  if (unclosedFlow) {
    const closer = unclosedFlow[1]!;
    const start = unclosedOpener(text, error.pos[0], closer === "}" ? "flow-map" : "flow-seq");
    return {
      start,
      end: start + 1,
      message: `this '${closer === "}" ? "{" : "["}' is never closed`,
      hint: `add the closing ${closer}; a flow mapping or list that spans lines must keep its lines indented more than its key`,
    };
  }
  if (error.code === "MULTILINE_IMPLICIT_KEY") {
    // The key runs into the next line: that line's indentation is the mistake, so point at it.
    const start = nextLineStart(text, error.pos[0], error.pos[1]);
    return {
      start,
      end: start,
      message: "this line is indented differently from the keys around it, so YAML reads it as part of the line above",
      hint: "keys of one mapping start in the same column; so do the '- ' of one list",
    };
  }
  return { start: error.pos[0], end: error.pos[1], ...describeYamlError(error, text) };
}

/** A warning (an unknown `!tag`, mostly) in the same words. */
export function describeYamlWarning(warning: YAMLWarning): { message: string; hint?: string } {
  const message = `YAML: ${firstLine(warning)}`;
  return warning.code === "TAG_RESOLVE_FAILED"
    ? { message, hint: "flow files use no YAML tags; remove the '!…', or quote the value if the '!' is text" }
    : { message };
}

const firstLine = (error: YAMLError | YAMLWarning): string => {
  const text = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+.*$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
};

/** yaml's messages are accurate but terse; add what to do for the common ones. */
function describeYamlError(error: YAMLError, text: string): { message: string; hint?: string } {
  const message = `YAML syntax error: ${firstLine(error)}`;
  switch (error.code) {
    case "MULTIPLE_DOCS":
      return { message: "a definition file holds one flow, but this one has several YAML documents", hint: "remove the '---' separator and move the other flow to its own file" };
    case "TAB_AS_INDENT":
      return { message, hint: "indent with spaces, not tabs" };
    case "UNEXPECTED_TOKEN": {
      const char = text.charAt(error.pos[0]);
      if (char === "]" || char === "}") {
        return { message: `this '${char}' closes nothing`, hint: `remove it, or add the '${char === "]" ? "[" : "{"}' it belongs to` };
      }
      return { message, hint: "check the indentation and the closing brackets and quotes" };
    }
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return { message, hint: "check the indentation and the closing brackets and quotes" };
    case "BLOCK_AS_IMPLICIT_KEY":
      return { message, hint: "a value that contains ': ' must be quoted" };
    case "BLOCK_IN_FLOW":
      return { message, hint: "inside [ ] or { } separate items with commas; or drop the brackets and write '- ' items on their own lines" };
    case "BAD_DQ_ESCAPE":
      return { message, hint: "inside double quotes '\\' starts an escape: write '\\\\' for a backslash, or use single quotes" };
    case "BAD_SCALAR_START": {
      const char = text.charAt(error.pos[0]);
      const end = text.indexOf("\n", error.pos[0]);
      const value = text.slice(error.pos[0], end < 0 ? text.length : end).trim();
      return { message: `a value cannot start with '${char}' unless it is quoted`, hint: `put the value in quotes: ${JSON.stringify(value)}` };
    }
    default:
      return { message };
  }
}

/** The start of the quoted-scalar token that runs up to `offset`. */
function openingQuote(text: string, offset: number, quote: string): number {
  const token = lexTokens(text).find((t) => t.source.startsWith(quote) && t.offset <= offset && t.offset + t.source.length >= offset);
  return token ? token.offset : offset;
}

/** The last `{` (or `[`) before `offset` that no `}` (`]`) closes; `offset` itself when none is found. */
function unclosedOpener(text: string, offset: number, kind: "flow-map" | "flow-seq"): number {
  const open: number[] = [];
  for (const token of lexTokens(text)) {
    if (token.offset >= offset) break;
    if (token.type === `${kind}-start`) open.push(token.offset);
    else if (token.type === `${kind}-end`) open.pop();
  }
  return open.pop() ?? offset;
}

/** The first non-blank character of the line after `from`, within the error's span (the line the key ran into). */
function nextLineStart(text: string, from: number, to: number): number {
  const nl = text.indexOf("\n", from);
  if (nl < 0 || nl >= to) return from;
  let i = nl + 1;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}
