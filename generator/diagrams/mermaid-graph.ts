/**
 * A small writer for Mermaid flowchart text. It knows Mermaid's syntax (node
 * shapes, edges, subgraphs, escaping) so the diagram builder only speaks of
 * the flow. Output depends only on the calls made, never on time or
 * randomness, so a committed `.mmd` stays byte-for-byte stable.
 */

export type Shape =
  | "box"
  | "rounded"
  | "stadium"
  | "subroutine"
  | "circle"
  | "double-circle"
  | "rhombus"
  | "hexagon"
  | "parallelogram";

/** Node styles, defined once at the end of each diagram (see STYLES). Not Mermaid keywords: `:::call` would not parse. */
export type NodeClass = "trigger" | "wait" | "decision" | "loop" | "parallel" | "subflow" | "fail" | "terminal" | "poll";

/** An edge still waiting for its target: where it starts and what it says. */
export interface Exit {
  readonly from: string;
  readonly label?: string;
}

const OPEN_CLOSE: Readonly<Record<Shape, readonly [string, string]>> = {
  box: ["[", "]"],
  rounded: ["(", ")"],
  stadium: ["([", "])"],
  subroutine: ["[[", "]]"],
  circle: ["((", "))"],
  "double-circle": ["(((", ")))"],
  rhombus: ["{", "}"],
  hexagon: ["{{", "}}"],
  parallelogram: ["[/", "/]"],
};

// Pale fills with dark text keep every node readable in print and on screen.
const STYLES: Readonly<Record<NodeClass, string>> = {
  trigger: "fill:#e7efff,stroke:#3b63c4,color:#14264d",
  wait: "fill:#fff5d6,stroke:#b7860b,color:#4d3800",
  decision: "fill:#f1eaff,stroke:#7552c2,color:#2e1a66",
  loop: "fill:#e3f5ec,stroke:#2f8557,color:#123d26",
  parallel: "fill:#fdf0e4,stroke:#bf6a1f,color:#4a2606",
  subflow: "fill:#e5f6f8,stroke:#1f7f8c,color:#0d3a40",
  fail: "fill:#fde8e8,stroke:#c43d3d,color:#5c1010",
  terminal: "fill:#eeeeee,stroke:#555555,color:#222222",
  poll: "fill:#f4f4f4,stroke:#777777,color:#222222",
};

/**
 * A label as a quoted Mermaid string. Mermaid takes anything but `"` inside
 * quotes, but renders labels as HTML and reads `#…;` as an entity code, so
 * the characters that could become markup, markdown, an edge-label
 * delimiter or an entity are written as numeric entity codes (`#34;`).
 */
export function mermaidString(text: string): string {
  let escaped = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[#"<>&`|]/g, (c) => `#${c.codePointAt(0)};`);
  // Mermaid's entity pre-pass treats `style…:…#…;` on a line as a style rule and
  // drops its `;`, which would break an entity in a label that happens to say "style".
  if (/style|classDef/i.test(escaped)) escaped = escaped.replace(/:/g, "#58;");
  return `"${escaped}"`;
}

/** Text lines joined with Mermaid's line break, each escaped. */
export function lines(...parts: readonly string[]): string {
  return parts.map((p) => mermaidString(p).slice(1, -1)).join("<br/>");
}

export class MermaidGraph {
  readonly #out: string[] = [];
  #depth = 1;
  readonly #used = new Set<NodeClass>();

  constructor(comment: string) {
    this.#out.push(`%% ${comment.replace(/\s+/g, " ")}`, "flowchart TD");
  }

  /** Declares a node; `label` is plain text (escaped here) unless `raw` says it is already a Mermaid string body. */
  node(id: string, shape: Shape, label: string, cls?: NodeClass, raw = false): string {
    const [open, close] = OPEN_CLOSE[shape];
    const text = raw ? `"${label}"` : mermaidString(label);
    if (cls) this.#used.add(cls);
    this.#line(`${id}${open}${text}${close}${cls ? `:::${cls}` : ""}`);
    return id;
  }

  edge(from: string, to: string, label?: string, dotted = false): void {
    const arrow = dotted ? "-.->" : "-->";
    this.#line(label === undefined ? `${from} ${arrow} ${to}` : `${from} ${arrow}|${mermaidString(label)}| ${to}`);
  }

  /** An invisible link: it only tells the layout to put `to` below `from`. */
  layoutLink(from: string, to: string): void {
    this.#line(`${from} ~~~ ${to}`);
  }

  /** Joins every pending exit to `to`; an exit's own label wins over `label`. */
  connect(exits: readonly Exit[], to: string, label?: string, dotted = false): void {
    for (const exit of exits) this.edge(exit.from, to, exit.label ?? label, dotted);
  }

  subgraph(id: string, title: string, body: () => void): void {
    this.#line(`subgraph ${id}[${mermaidString(title)}]`);
    this.#depth++;
    this.#line("direction TB");
    body();
    this.#depth--;
    this.#line("end");
  }

  text(): string {
    const classes = [...this.#used].sort().map((c) => `  classDef ${c} ${STYLES[c]}`);
    return [...this.#out, ...classes].join("\n") + "\n";
  }

  #line(text: string): void {
    this.#out.push(`${"  ".repeat(this.#depth)}${text}`);
  }
}
