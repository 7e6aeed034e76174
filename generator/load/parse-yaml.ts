import { type Node, parseDocument, visit, type YAMLError } from "yaml";
import { type DiagnosticBag, LineIndex } from "../diagnostics.ts";
import { describeTrap, findExpressionTraps } from "./expression-trap.ts";
import { entriesOf, type YamlSource } from "./yaml-nodes.ts";
import { lexTokens } from "./yaml-tokens.ts";

/**
 * Stage 1: one definition file's text → a YAML document with positions.
 * Syntax errors, the unquoted-expression trap and duplicate keys are
 * reported here; a file with any of them goes no further (its structure
 * cannot be trusted), so the result is undefined.
 */
export function parseDefinition(file: string, text: string, bag: DiagnosticBag): YamlSource | undefined {
  bag.addFile(file, text);
  // uniqueKeys off: we report duplicates ourselves, naming the first occurrence.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const src: YamlSource = { file, text, doc };
  const before = bag.items.length;

  const traps = findExpressionTraps(text);
  for (const trap of traps) {
    const { message, hint } = describeTrap(trap);
    bag.error({ file, start: trap.offset, end: trap.offset }, message, hint);
  }
  const lines = new LineIndex(text);
  // YAML's own errors after a trap are mostly its echo (error recovery
  // cascades to later lines); the user fixes the trap and runs again.
  const firstTrapLine = traps[0] ? lineStart(text, traps[0].offset) : Infinity;
  const echoesTrap = (offset: number): boolean => offset >= firstTrapLine;

  for (const error of doc.errors) {
    if (echoesTrap(error.pos[0])) continue;
    const unclosed = /^Missing closing (["'])quote/.exec(error.message);
    if (unclosed) {
      // yaml reports this at the end of the file; the opening quote is where to look.
      const start = openingQuote(text, error.pos[0], unclosed[1]!);
      const kind = unclosed[1] === '"' ? "double" : "single";
      bag.error({ file, start, end: start + 1 }, `this ${kind}-quoted string is never closed`, `add the closing ${unclosed[1]}`);
      continue;
    }
    const { message, hint } = describeYamlError(error);
    bag.error({ file, start: error.pos[0], end: error.pos[1] }, message, hint);
  }
  for (const warning of doc.warnings) {
    bag.warning({ file, start: warning.pos[0], end: warning.pos[1] }, `YAML: ${lowerFirst(warning.message)}`);
  }
  if (doc.errors.length === 0) {
    reportDuplicateKeys(src, lines, bag);
    reportUnresolvedAliases(src, bag);
  }
  return bag.items.slice(before).some((d) => d.severity === "error") ? undefined : src;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The start of the quoted-scalar token that runs up to `offset`. */
function openingQuote(text: string, offset: number, quote: string): number {
  const token = lexTokens(text).find((t) => t.source.startsWith(quote) && t.offset <= offset && t.offset + t.source.length >= offset);
  return token ? token.offset : offset;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** yaml's messages are accurate but terse; add what to do for the common ones. */
function describeYamlError(error: YAMLError): { message: string; hint?: string } {
  const text = lowerFirst(error.message.split("\n")[0]!.replace(/ at line \d+, column \d+.*$/, ""));
  const message = `YAML syntax error: ${text}`;
  switch (error.code) {
    case "MULTIPLE_DOCS":
      return { message: "a definition file holds one flow, but this one has several YAML documents", hint: "remove the '---' separator and move the other flow to its own file" };
    case "TAB_AS_INDENT":
      return { message, hint: "indent with spaces, not tabs" };
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return { message, hint: "check the indentation and the closing brackets and quotes" };
    case "BLOCK_AS_IMPLICIT_KEY":
      return { message, hint: "a value that contains ': ' must be quoted" };
    default:
      return { message };
  }
}

/** Every mapping key must be unique; point at the repeat and name the first. */
function reportDuplicateKeys(src: YamlSource, lines: LineIndex, bag: DiagnosticBag): void {
  visit(src.doc, {
    Map(_key, map) {
      const seen = new Map<string, Node>();
      for (const entry of entriesOf(src, map)) {
        const first = seen.get(entry.key);
        if (!first) {
          seen.set(entry.key, entry.keyNode);
          continue;
        }
        const firstLine = lines.position(first.range?.[0] ?? 0).line;
        bag.error(
          { file: src.file, start: entry.keyNode.range?.[0] ?? 0, end: entry.keyNode.range?.[1] ?? 0 },
          `duplicate key '${entry.key}'; it is already set at line ${firstLine}`,
          "remove one of them",
        );
      }
    },
  });
}

/** `*name` must follow an `&name` anchor; yaml would only throw when converting. */
function reportUnresolvedAliases(src: YamlSource, bag: DiagnosticBag): void {
  visit(src.doc, {
    Alias(_key, alias) {
      if (alias.resolve(src.doc)) return;
      bag.error(
        { file: src.file, start: alias.range?.[0] ?? 0, end: alias.range?.[1] ?? 0 },
        `the alias '*${alias.source}' refers to no anchor`,
        `define '&${alias.source}' on an earlier value, or write the value here`,
      );
    },
  });
}
