import { applyEdits, parseTree, type Edit, type Node } from "jsonc-parser";
import type { JsonValue } from "../model/types.ts";

/**
 * Minimal text edits on a JSONC document, applied with jsonc-parser's
 * `applyEdits`.
 *
 * jsonc-parser's own `modify` is not used for structural changes: with
 * formatting on, it re-formats neighbouring entries and moves or drops the
 * comments next to them (`"name": "x", // note` loses its note when a key is
 * inserted after it). These edits touch only the value replaced or the text
 * inserted, so every byte the generator does not own stays as the user wrote it.
 * New content is indented with two spaces per level from the surrounding line.
 */

export const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/** Short arrays of scalars are written on one line, the rest one item per line. */
const INLINE_ARRAY_LIMIT = 60;
const STEP = "  ";

export class JsoncDocument {
  private current: string;
  private readonly eol: string;

  constructor(text: string) {
    this.current = text;
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
  }

  get text(): string {
    return this.current;
  }

  /** The tree of the current text; the document is known to parse (checked by the caller). */
  root(): Node {
    const root = parseTree(this.current, [], PARSE_OPTIONS);
    if (!root) throw new Error("JSONC document has no root value");
    return root;
  }

  /** Replaces the value of an existing node (property value or array item). */
  replace(node: Node, value: JsonValue): void {
    this.apply([{ offset: node.offset, length: node.length, content: this.format(value, this.lineIndent(node.offset)) }]);
  }

  /** Adds `"key": value` at the end of an object. */
  insertProperty(object: Node, key: string, value: JsonValue): void {
    this.insertMember(object, `${JSON.stringify(key)}: `, value);
  }

  /** Appends an item to an array. */
  appendItem(array: Node, value: JsonValue): void {
    this.insertMember(array, "", value);
  }

  /** Removes one item of an array with its separating comma, and its line when it had one to itself. */
  removeItem(array: Node, index: number): void {
    const items = array.children ?? [];
    const item = items[index];
    if (!item) return;
    const text = this.current;
    let start = item.offset;
    let end = item.offset + item.length;
    const after = skipTrivia(text, end);
    if (text[after] === ",") end = after + 1;
    else if (index > 0) start = skipTrivia(text, items[index - 1]!.offset + items[index - 1]!.length);
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    const lineEnd = text.indexOf("\n", end);
    const restOfLine = lineEnd === -1 ? text.slice(end) : text.slice(end, lineEnd);
    // An item alone on its line goes with the line, and with the comment that ends it.
    const rest = restOfLine.trim();
    if (text.slice(lineStart, start).trim() === "" && (rest === "" || rest.startsWith("//")) && lineEnd !== -1) {
      start = lineStart;
      end = lineEnd + 1;
    }
    if (items.length === 1 && (text.slice(array.offset + 1, start) + text.slice(end, array.offset + array.length - 1)).trim() === "") {
      this.apply([{ offset: array.offset, length: array.length, content: "[]" }]);
      return;
    }
    this.apply([{ offset: start, length: end - start, content: "" }]);
  }

  private insertMember(container: Node, head: string, value: JsonValue): void {
    const text = this.current;
    const close = container.offset + container.length - 1;
    const children = container.children ?? [];
    const last = children.at(-1);
    const closeLineStart = text.lastIndexOf("\n", close - 1) + 1;
    const closeOnOwnLine = text.slice(closeLineStart, close).trim() === "";
    const edits: Edit[] = [];

    if (last !== undefined) {
      const lastEnd = last.offset + last.length;
      const next = skipTrivia(text, lastEnd);
      const hasComma = text[next] === ",";
      if (closeOnOwnLine) {
        // Comma right after the value, so a trailing `// comment` stays on its line.
        if (!hasComma) edits.push({ offset: lastEnd, length: 0, content: "," });
        const indent = this.memberIndent(last, container);
        edits.push({ offset: closeLineStart, length: 0, content: `${indent}${head}${this.format(value, indent)}${this.eol}` });
      } else {
        // A one-line container stays on one line.
        const at = hasComma ? next + 1 : lastEnd;
        const content = `${hasComma ? "" : ","} ${head}${formatInline(value)}`;
        edits.push({ offset: at, length: 0, content });
      }
    } else if (closeOnOwnLine) {
      const indent = this.lineIndent(close) + STEP;
      edits.push({ offset: closeLineStart, length: 0, content: `${indent}${head}${this.format(value, indent)}${this.eol}` });
    } else {
      // `{}` (or `{ /* … */ }`): open it up over several lines.
      const outer = this.lineIndent(container.offset);
      const indent = outer + STEP;
      const content = `${this.eol}${indent}${head}${this.format(value, indent)}${this.eol}${outer}`;
      edits.push({ offset: close, length: 0, content });
    }
    this.apply(edits);
  }

  private apply(edits: Edit[]): void {
    this.current = applyEdits(this.current, edits);
  }

  /** Leading whitespace of the line containing `offset`. */
  private lineIndent(offset: number): string {
    const start = this.current.lastIndexOf("\n", offset - 1) + 1;
    return /^[ \t]*/.exec(this.current.slice(start))?.[0] ?? "";
  }

  /** Indentation for a new member: that of the last member when it starts its own line. */
  private memberIndent(last: Node, container: Node): string {
    const start = this.current.lastIndexOf("\n", last.offset - 1) + 1;
    const before = this.current.slice(start, last.offset);
    return before.trim() === "" ? before : this.lineIndent(container.offset) + STEP;
  }

  /** JSON text for `value`, continuation lines indented from `indent`. */
  format(value: JsonValue, indent: string): string {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    const inner = indent + STEP;
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      const scalars = value.every((v) => v === null || typeof v !== "object");
      const inline = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      if (scalars && inline.length <= INLINE_ARRAY_LIMIT) return inline;
      const items = value.map((v) => `${inner}${this.format(v, inner)}`);
      return `[${this.eol}${items.join(`,${this.eol}`)}${this.eol}${indent}]`;
    }
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${this.format(v, inner)}`);
    return `{${this.eol}${lines.join(`,${this.eol}`)}${this.eol}${indent}}`;
  }
}

/** JSON on one line with a space after separators: `{ "name": "A", "class_name": "A" }`. */
function formatInline(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatInline).join(", ")}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${formatInline(v)}`).join(", ")} }`;
}

/** The offset of the next character that is not whitespace or a comment. */
function skipTrivia(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else if (text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end + 1;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 2;
    } else break;
  }
  return i;
}

/** Deep equality of JSON values, ignoring key order (the user may order keys as they like). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return a === b;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
