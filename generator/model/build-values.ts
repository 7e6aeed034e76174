import { isMap, isScalar, isSeq, type Node } from "yaml";
import { DURATION_EXAMPLE, parseDuration } from "../../runtime/durations.ts";
import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import { parseTemplate } from "../expressions/parse.ts";
import { contentOffset, entriesOf, entryOf, itemsOf, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import type { Duration, JsonValue, Value, ValueEntry } from "./types.ts";

/**
 * Shared by the model builders: YAML nodes → model values. The file has
 * passed schema validation, so shapes are known; the helpers still tolerate
 * surprises (returning undefined) rather than throw.
 */
export interface ModelContext {
  readonly src: YamlSource;
  readonly bag: DiagnosticBag;
}

export const span = (ctx: ModelContext, node: Node | undefined): SourceSpan => spanOf(ctx.src, node);

export const field = (ctx: ModelContext, map: Node | undefined, key: string): Node | undefined =>
  entryOf(ctx.src, map, key)?.value;

export const has = (ctx: ModelContext, map: Node | undefined, key: string): boolean => entryOf(ctx.src, map, key) !== undefined;

/** The span of `key` itself (not its value), e.g. to point at an offending key. */
export function keySpan(ctx: ModelContext, map: Node | undefined, key: string): SourceSpan {
  return span(ctx, entryOf(ctx.src, map, key)?.keyNode);
}

export function str(node: Node | undefined): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== "object"
    ? String(node.value)
    : undefined;
}

/**
 * Any YAML value as a model Value: strings are parsed for `${{ }}` (at their
 * true file offset, so expression errors point into the file), other scalars
 * become literals, maps and lists recurse.
 */
export function toValue(ctx: ModelContext, node: Node | undefined): Value {
  const where = span(ctx, node);
  if (isMap(node)) {
    return { kind: "object", entries: toEntries(ctx, node), span: where };
  }
  if (isSeq(node)) {
    return { kind: "array", items: itemsOf(ctx.src, node).map((item) => toValue(ctx, item)), span: where };
  }
  if (isScalar(node) && typeof node.value === "string") {
    return parseTemplate(node.value, ctx.src.file, contentOffset(ctx.src, node), ctx.bag);
  }
  return { kind: "literal", value: toJson(ctx, node), span: where };
}

export function toEntries(ctx: ModelContext, node: Node | undefined): ValueEntry[] {
  return entriesOf(ctx.src, node).map((e) => ({ key: e.key, keySpan: span(ctx, e.keyNode), value: toValue(ctx, e.value) }));
}

/** Plain data (input schemas, defaults): no expressions are parsed. */
export function toJson(ctx: ModelContext, node: Node | undefined): JsonValue {
  if (isMap(node)) {
    const out: { [key: string]: JsonValue } = {};
    for (const e of entriesOf(ctx.src, node)) out[e.key] = toJson(ctx, e.value);
    return out;
  }
  if (isSeq(node)) return itemsOf(ctx.src, node).map((item) => toJson(ctx, item));
  if (!isScalar(node)) return null;
  const value: unknown = node.value;
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return null;
}

/**
 * Text that must be known when generating (durations, crons, routes, event
 * types, flow names): an expression there is reported, not silently kept as
 * literal text. Returns undefined after reporting.
 */
export function fixedText(ctx: ModelContext, node: Node | undefined, what: string): string | undefined {
  const text = str(node);
  if (text === undefined || !text.includes("${{")) return text;
  ctx.bag.error(span(ctx, node), `${what} cannot contain an expression: it must be known when the code is generated`, "write a fixed value here");
  return undefined;
}

/** A literal timestamp (sleep_until, at) must parse; an expression is checked at run time. */
export function toTimestamp(ctx: ModelContext, node: Node | undefined, what: string): Value {
  const value = toValue(ctx, node);
  if (value.kind === "literal" && (typeof value.value !== "string" || Number.isNaN(Date.parse(value.value)))) {
    ctx.bag.error(value.span, `'${what}' must be an ISO timestamp or an expression giving one`, "for example 2026-03-01T09:00:00Z or ${{ addDuration(input.date, '-2 hours') }}");
  }
  return value;
}

/** Common wrong spellings → the words durations use, for the hint. */
const UNIT_GUESSES: Readonly<Record<string, string>> = {
  s: "seconds", sec: "seconds", secs: "seconds",
  m: "minutes", min: "minutes", mins: "minutes",
  h: "hours", hr: "hours", hrs: "hours",
  d: "days", w: "weeks", wk: "weeks", y: "years", yr: "years",
};

/** A duration written as text; a bad one is reported with an example. */
export function toDuration(ctx: ModelContext, node: Node | undefined, what: string): Duration | undefined {
  if (str(node)?.includes("${{")) {
    fixedText(ctx, node, what);
    return undefined;
  }
  const text = str(node);
  const parsed = text === undefined ? undefined : parseDuration(text);
  if (parsed) return { text: parsed.text, seconds: parsed.seconds, span: span(ctx, node) };
  const guess = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text ?? "");
  const unit = guess ? UNIT_GUESSES[guess[2]!.toLowerCase()] : undefined;
  ctx.bag.error(
    span(ctx, node),
    `${what} '${text ?? ""}' is not a duration`,
    unit ? `write '${guess![1]} ${unit}'` : `write a number and a unit, e.g. ${DURATION_EXAMPLE}`,
  );
  return undefined;
}
