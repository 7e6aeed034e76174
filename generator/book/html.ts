/**
 * Just enough HTML building for the flow book: every piece of text from a
 * definition goes through `esc`, so a description or a path can never turn
 * into markup.
 */

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `<code>` around escaped text. */
export function code(text: string): string {
  return `<code>${esc(text)}</code>`;
}

/** A table with a header row; cells are HTML already (escape text with `esc`). */
export function table(cls: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `      <tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table class="${cls}">\n    <thead><tr>${th}</tr></thead>\n    <tbody>\n${body}\n    </tbody>\n  </table>`;
}

/** The anchor of a flow's section: flow ids are already lower-case letters, digits and `-`. */
export function flowAnchor(flowId: string): string {
  return `flow-${flowId}`;
}
