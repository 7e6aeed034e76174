import { exprText } from "../expressions/print.ts";
import { urlTemplate, type UrlSlot } from "../expressions/url-template.ts";
import type { Value } from "../model/types.ts";
import { q, textValue } from "./code-text.ts";
import type { ImportSet } from "./import-set.ts";

/**
 * The code of an http `url:`: a template literal whose values are each
 * wrapped in the runtime/url-template.ts helper for their place, e.g.
 * `${urlStart(env.API_BASE, "env.API_BASE")}/books/${urlSegment(input.id, "input.id")}`,
 * so a reviewer sees how every value is placed. The second argument names
 * the expression in a failure. `compile` turns one value into code (adding
 * the imports it needs).
 */
export function urlCode(url: Value, compile: (v: Value) => string, imports: ImportSet): string {
  const template = urlTemplate(url);
  if (!template) return textValue(url, compile);
  let code = "`";
  const whole = template.parts.length === 1 && typeof template.parts[0] !== "string";
  for (const part of template.parts) {
    if (typeof part === "string") {
      code += templateText(part);
      continue;
    }
    const helper = HELPERS[part.slot];
    imports.value("runtime/url-template.ts", helper);
    const value = compile({ kind: "expr", expr: part.expr, span: part.expr.span });
    const call = `${helper}(${value}, ${q(exprText(part.expr))})`;
    if (whole) return call;
    code += `\${${call}}`;
  }
  return `${code}\``;
}

// `host` and `after-start` are generate-time errors (check-urls.ts); the strictest encoding is their safe fallback.
const HELPERS: Readonly<Record<UrlSlot, string>> = {
  start: "urlStart",
  segment: "urlSegment",
  component: "urlComponent",
  host: "urlSegment",
  "after-start": "urlSegment",
};

/** Literal text inside a template literal: backslash, backtick, `${` and control characters escaped. */
function templateText(text: string): string {
  return text.replace(/[\\`]|\$\{|[\u0000-\u001f\u2028\u2029]/g, (m) => {
    if (m === "\\" || m === "`") return `\\${m}`;
    if (m === "${") return "\\${";
    return `\\u${m.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
