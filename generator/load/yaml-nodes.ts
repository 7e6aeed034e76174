import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, Scalar } from "yaml";
import type { SourceSpan } from "../diagnostics.ts";

/**
 * A parsed definition file. Every later stage reads positions from `doc`'s
 * nodes, so a diagnostic can point at the exact key or value.
 */
export interface YamlSource {
  /** Project-relative path, e.g. `definitions/flight-status.yaml`. */
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
}

export interface YamlEntry {
  readonly key: string;
  readonly keyNode: Node;
  /** Undefined for `key:` with nothing after it only when YAML gives no node at all. */
  readonly value: Node | undefined;
}

/** Follows an alias to its anchored node, so `*x` behaves like the node it names. */
export function deref(src: YamlSource, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(src.doc) ?? undefined;
  if (isScalar(node) || isMap(node) || isSeq(node)) return node;
  return undefined;
}

export function spanOf(src: YamlSource, node: Node | undefined | null): SourceSpan {
  const range = node?.range;
  if (!range) return { file: src.file, start: 0, end: 0 };
  return { file: src.file, start: range[0], end: range[1] };
}

/** The map's entries in source order; non-scalar keys are stringified (they are rejected by the schema). */
export function entriesOf(src: YamlSource, node: Node | undefined): YamlEntry[] {
  if (!isMap(node)) return [];
  const out: YamlEntry[] = [];
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    out.push({ key, keyNode, value: deref(src, pair.value) });
  }
  return out;
}

export function entryOf(src: YamlSource, node: Node | undefined, key: string): YamlEntry | undefined {
  return entriesOf(src, node).find((e) => e.key === key);
}

export function itemsOf(src: YamlSource, node: Node | undefined): Node[] {
  if (!isSeq(node)) return [];
  return node.items.map((item) => deref(src, item)).filter((n): n is Node => n !== undefined);
}

/** Where a node sits, for mapping an ajv `instancePath` back to the source. */
export interface Located {
  readonly node: Node | undefined;
  /** The key node when the last segment was a map key. */
  readonly keyNode?: Node;
}

/** Walks JSON-pointer segments (already unescaped) from the document root. */
export function locate(src: YamlSource, segments: readonly string[]): Located {
  let node = deref(src, src.doc.contents);
  let keyNode: Node | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const entry = entryOf(src, node, segment);
      if (!entry) return { node, ...(keyNode ? { keyNode } : {}) };
      keyNode = entry.keyNode;
      node = entry.value;
    } else if (isSeq(node)) {
      keyNode = undefined;
      node = itemsOf(src, node)[Number(segment)];
    } else {
      break;
    }
  }
  return { node, ...(keyNode ? { keyNode } : {}) };
}

/** Offset of a scalar's first content character: quoted scalars start one past the quote. */
export function contentOffset(src: YamlSource, node: Node): number {
  const start = node.range?.[0] ?? 0;
  if (!isScalar(node)) return start;
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return start + 1;
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      // Content starts on the line after the `|` / `>` header, after its indentation.
      const nl = src.text.indexOf("\n", start);
      if (nl < 0) return start;
      let i = nl + 1;
      while (src.text[i] === " ") i++;
      return i;
    }
    default:
      return start;
  }
}

/** Splits an ajv instancePath (`/steps/0/http`) into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}
