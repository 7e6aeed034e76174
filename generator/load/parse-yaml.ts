import { Composer, type CST, type Document, isCollection, Lexer, type Node, Parser, visit, YAMLParseError } from "yaml";
import { type DiagnosticBag, LineIndex } from "../diagnostics.ts";
import { describeTrap, findExpressionTraps } from "./expression-trap.ts";
import { entriesOf, type YamlSource } from "./yaml-nodes.ts";
import { describeYamlWarning, placeYamlError, syntaxErrors } from "./yaml-errors.ts";

/**
 * Stage 1: one definition file's text → a YAML document with positions.
 * Syntax errors, the unquoted-expression trap and duplicate keys are
 * reported here; a file with any of them goes no further (its structure
 * cannot be trusted), so the result is undefined.
 */
export function parseDefinition(file: string, text: string, bag: DiagnosticBag): YamlSource | undefined {
  bag.addFile(file, text);
  // Lexed once: the same lexemes feed the parser and the trap finder.
  const lexemes = [...new Lexer().lex(text)];
  const doc = composeDocument(text, lexemes);
  const src: YamlSource = { file, text, doc };
  const before = bag.items.length;

  const traps = findExpressionTraps(text, lexemes);
  for (const trap of traps) {
    const { message, hint } = describeTrap(trap);
    bag.error({ file, start: trap.offset, end: trap.offset }, message, hint);
  }
  const lines = new LineIndex(text);
  // YAML's own errors after a trap are mostly its echo (error recovery
  // cascades to later lines); the user fixes the trap and runs again.
  const firstTrapLine = traps[0] ? lineStart(text, traps[0].offset) : Infinity;
  const echoesTrap = (offset: number): boolean => offset >= firstTrapLine;

  for (const error of syntaxErrors(doc.errors, lines)) {
    if (echoesTrap(error.pos[0])) continue;
    const { start, end, message, hint } = placeYamlError(error, text);
    bag.error({ file, start, end }, message, hint);
  }
  for (const warning of doc.warnings) {
    const { message, hint } = describeYamlWarning(warning);
    bag.warning({ file, start: warning.pos[0], end: warning.pos[1] }, message, hint);
  }
  if (doc.errors.length === 0) reportKeysAndAliases(src, lines, bag);
  return bag.items.slice(before).some((d) => d.severity === "error") ? undefined : src;
}

/**
 * yaml's `parseDocument(text, { prettyErrors: false, uniqueKeys: false })`
 * (uniqueKeys off: we report duplicates ourselves, naming the first
 * occurrence), from lexemes already made: its parser and composer, fed the
 * same way, including its complaint about a second document.
 */
function composeDocument(text: string, lexemes: readonly string[]): Document.Parsed {
  const parser = new Parser();
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  function* tokens(): Generator<CST.Token> {
    for (const lexeme of lexemes) yield* parser.next(lexeme);
    yield* parser.end();
  }
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (!doc) doc = next;
    else if (doc.options.logLevel !== "silent") {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
      break;
    }
  }
  if (!doc) throw new Error("internal: yaml composed no document");
  return doc;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/**
 * One walk over the document for three rules:
 * - `{ [a]: 1 }` or `? [a]`: YAML allows lists and mappings as keys, JSON (and so a flow) does not;
 * - every mapping key must be unique: point at the repeat and name the first;
 * - `*name` must follow an `&name` anchor (yaml would only throw when converting).
 */
function reportKeysAndAliases(src: YamlSource, lines: LineIndex, bag: DiagnosticBag): void {
  visit(src.doc, {
    Pair(_key, pair) {
      if (!isCollection(pair.key)) return;
      const range = pair.key.range ?? [0, 0];
      bag.error({ file: src.file, start: range[0], end: range[1] }, "a key must be text, not a list or a mapping", "quote the key if the brackets are part of its name");
    },
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
