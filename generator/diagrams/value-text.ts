import type { ExprNode } from "../expressions/ast.ts";
import { exprText } from "../expressions/print.ts";
import type { JsonValue, Value } from "../model/types.ts";

/**
 * Values and `${{ }}` expressions as short text for a picture read by people
 * who do not write expressions: `steps.lookup.output.body.status` reads as
 * `lookup.body.status`, a URL as `…/flights/{flight}`, and anything long is
 * cut with an ellipsis. Display only: nothing here is ever evaluated.
 */

const MAX_EXPR = 44;
const MAX_TEXT = 60;

export function clip(text: string, max = MAX_TEXT): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** `steps.<id>.output.x` → `<id>.x`: the step id is what the reader knows. */
function simplify(node: ExprNode): ExprNode {
  switch (node.kind) {
    case "member": {
      const object = node.object;
      if (node.property === "output" && object.kind === "member" && object.object.kind === "name" && object.object.name === "steps") {
        return { kind: "name", name: object.property, span: node.span };
      }
      return { ...node, object: simplify(object) };
    }
    case "index":
      return { ...node, object: simplify(node.object), index: simplify(node.index) };
    case "unary":
      return { ...node, operand: simplify(node.operand) };
    case "binary":
      return { ...node, left: simplify(node.left), right: simplify(node.right) };
    case "conditional":
      return { ...node, test: simplify(node.test), consequent: simplify(node.consequent), alternate: simplify(node.alternate) };
    case "call":
      return { ...node, args: node.args.map(simplify) };
    case "array":
      return { ...node, items: node.items.map(simplify) };
    case "object":
      return { ...node, entries: node.entries.map((e) => ({ key: e.key, value: simplify(e.value) })) };
    case "literal":
    case "name":
      return node;
  }
}

/** An expression on its own, e.g. a condition: `lookup.body.status == 'delayed'`. */
function exprShort(node: ExprNode, max = MAX_EXPR): string {
  return clip(exprText(simplify(node)), max);
}

/** The last name of a plain read (`item.sku` → `sku`), for a placeholder inside text. */
function lastName(node: ExprNode): string | undefined {
  if (node.kind === "name") return node.name;
  if (node.kind === "member") return node.property;
  if (node.kind === "index" && node.index.kind === "literal" && typeof node.index.value === "string") return node.index.value;
  return undefined;
}

function isEnv(node: ExprNode): boolean {
  return node.kind === "member" && node.object.kind === "name" && node.object.name === "env";
}

/** An expression inside longer text: `{flight}`, or `{…}` when it is more than a read. */
function placeholder(node: ExprNode): string {
  const name = node.kind === "binary" && node.op === "??" ? lastName(node.left) : lastName(node);
  return `{${name ?? "…"}}`;
}

function jsonText(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Any value as one short line of text. */
export function valueShort(value: Value, max = MAX_TEXT): string {
  switch (value.kind) {
    case "literal":
      return clip(jsonText(value.value), max);
    case "expr":
      return exprShort(value.expr, Math.min(max, MAX_EXPR));
    case "template":
      return clip(value.parts.map((p) => (typeof p === "string" ? p : placeholder(p))).join(""), max);
    case "object":
      return clip(`{ ${value.entries.map((e) => e.key).join(", ")} }`, max);
    case "array":
      return clip(`[${value.items.length} items]`, max);
  }
}

/**
 * A URL without the noise: a leading `${{ env.X }}` (the API's base, set per
 * deployment) becomes `…`, and the query string is dropped.
 */
export function urlShort(value: Value): string {
  if (value.kind !== "template") return valueShort(value);
  const [first, ...rest] = value.parts;
  const lead = first !== undefined && typeof first !== "string" && isEnv(first) ? "…" : undefined;
  const parts = lead === undefined ? value.parts : rest;
  const text = parts.map((p) => (typeof p === "string" ? p : placeholder(p))).join("");
  return clip(`${lead ?? ""}${text.split("?")[0]}`);
}

/** The keys of an object value (`set`, `report`, `set_state`), or its short text. */
export function keysOf(value: Value): string {
  return value.kind === "object" ? clip(value.entries.map((e) => e.key).join(", ")) : valueShort(value);
}
