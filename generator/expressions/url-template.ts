import type { Value } from "../model/types.ts";
import type { ExprNode } from "./ast.ts";
import { walkExpr } from "./walk.ts";

/**
 * Where each `${{ }}` of an http `url:` sits, decided from the template's
 * literal text when generating (dsl.md §10.9), so the emitter can wrap each
 * value in the matching runtime/url-template.ts helper and the checks can
 * refuse values that could change the host.
 *
 * - `start`: the whole URL, or the expression it begins with;
 * - `segment`: in the path; `component`: in the query or the fragment;
 * - `host`: in the scheme, host, port or user info; `after-start`: right
 *   after the start expression, before any `/`, `?` or `#`, where the value
 *   would extend the start's host. Both are errors (check-urls.ts).
 */
export type UrlSlot = "start" | "segment" | "component" | "host" | "after-start";

export type UrlPart = string | { readonly slot: UrlSlot; readonly expr: ExprNode };

export interface UrlTemplate {
  readonly parts: readonly UrlPart[];
  /** The template starts with literal text that is not `http://` or `https://`. */
  readonly notAbsolute: boolean;
}

type State = "host" | "after-start" | "path" | "query" | "fragment";

/** The template's parts with their slots; undefined for a literal URL, which has no values to place. */
export function urlTemplate(url: Value): UrlTemplate | undefined {
  if (url.kind === "expr") return { parts: [{ slot: "start", expr: url.expr }], notAbsolute: false };
  if (url.kind !== "template") return undefined;
  const first = url.parts[0];
  let notAbsolute = false;
  let state: State = "after-start";
  if (typeof first === "string") {
    notAbsolute = !/^https?:\/\//i.test(first);
    state = "host";
  }
  const parts: UrlPart[] = [];
  url.parts.forEach((part, i) => {
    if (typeof part === "string") {
      // A literal `https://` prefix is the scheme; the host starts after it.
      state = advance(i === 0 ? part.replace(/^https?:\/\//i, "") : part, state);
      parts.push(part);
    } else {
      parts.push({ slot: i === 0 ? "start" : slotOf(state), expr: part });
    }
  });
  return { parts, notAbsolute };
}

function slotOf(state: State): UrlSlot {
  switch (state) {
    case "host":
    case "after-start":
      return state;
    case "path":
      return "segment";
    case "query":
    case "fragment":
      return "component";
  }
}

/** The state after the literal `text`; `\` counts as `/`, as URL parsers read it in http(s) URLs. */
function advance(text: string, from: State): State {
  let state = from;
  for (const ch of text) {
    if (ch === "#") return "fragment";
    if (ch === "?" && state !== "fragment") state = "query";
    else if ((ch === "/" || ch === "\\") && (state === "host" || state === "after-start")) state = "path";
  }
  return state;
}

/**
 * True when the expression's value is chosen by run-time data: it reads any
 * root but `env` (input, steps, request, message, event, item, …) or calls
 * now() or uuid(). Plain vars of wrangler.jsonc and constants are the
 * deployer's, so a URL starting with them goes where the deployer said.
 */
export function isDataChosen(node: ExprNode): boolean {
  let chosen = false;
  walkExpr(node, (n) => {
    if (n.kind === "name" && n.name !== "env") chosen = true;
    if (n.kind === "call" && (n.callee === "now" || n.callee === "uuid")) chosen = true;
  });
  return chosen;
}
