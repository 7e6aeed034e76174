/**
 * Finds the `${{ … }}` markers of a YAML string. The closing `}}` is the
 * first one outside strings and brackets, so `${{ {a: {b: 1}} }}` works;
 * when brackets never balance (a typo) the first plain `}}` closes it and the
 * parser reports the real mistake.
 */
export type Segment =
  | { readonly kind: "text"; readonly text: string }
  /** `start`/`end` cover the marker with its braces; `innerStart` is where `inner` begins. */
  | {
      readonly kind: "expr";
      readonly start: number;
      readonly end: number;
      readonly innerStart: number;
      readonly inner: string;
    }
  /** A `${{` with no `}}` after it; the rest of the text belongs to it. */
  | { readonly kind: "unclosed"; readonly start: number; readonly end: number };

const OPEN = "${{";

export function scanTemplate(text: string): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf(OPEN, cursor);
    if (open < 0) break;
    if (open > cursor) segments.push({ kind: "text", text: text.slice(cursor, open) });
    const innerStart = open + OPEN.length;
    const close = findClose(text, innerStart);
    if (close < 0) {
      segments.push({ kind: "unclosed", start: open, end: text.length });
      return segments;
    }
    segments.push({ kind: "expr", start: open, end: close + 2, innerStart, inner: text.slice(innerStart, close) });
    cursor = close + 2;
  }
  if (cursor < text.length) segments.push({ kind: "text", text: text.slice(cursor) });
  return segments;
}

function findClose(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = closingQuote(text, i, ch);
      if (end < 0) break;
      i = end;
    } else if (ch === "{" || ch === "[" || ch === "(") {
      depth++;
    } else if (ch === "}" && depth === 0 && text[i + 1] === "}") {
      return i;
    } else if (ch === "}" || ch === "]" || ch === ")") {
      depth = Math.max(0, depth - 1);
    }
  }
  return text.indexOf("}}", from);
}

/** Index of the quote closing the string that starts at `start`, or -1. */
export function closingQuote(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
