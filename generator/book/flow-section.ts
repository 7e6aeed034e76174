import { cronInWords } from "../diagrams/cron-text.ts";
import { authText, pollEvery, triggerEffect } from "../diagrams/labels.ts";
import { secretNames } from "../emit/secret-names.ts";
import type { Flow, InputField, JsonValue, Trigger } from "../model/types.ts";
import { allSteps } from "../model/walk.ts";
import { code, esc, flowAnchor, table } from "./html.ts";

/**
 * One flow's chapter of the flow book: what it is for, what it needs to
 * start, what starts it, which secrets it reads (names only: the generator
 * never knows a secret's value) and its diagram.
 */

export interface SectionFacts {
  readonly flow: Flow;
  /** The flow's Mermaid text, as written to generated/diagrams/. */
  readonly diagram: string;
  readonly startedBy: readonly string[];
}

const json = (value: JsonValue): string => (typeof value === "string" ? value : JSON.stringify(value));

/** JSON Schema keywords worth a reader's eye, in the words the table shows them with. */
const CONSTRAINTS: readonly (readonly [string, string])[] = [
  ["format", "format"],
  ["pattern", "pattern"],
  ["minimum", "at least"],
  ["exclusiveMinimum", "more than"],
  ["maximum", "at most"],
  ["exclusiveMaximum", "less than"],
  ["minLength", "min. length"],
  ["maxLength", "max. length"],
  ["minItems", "min. items"],
  ["maxItems", "max. items"],
];

function typeOf(field: InputField): string {
  const type = field.schema["type"];
  const items = field.schema["items"];
  const itemType = typeof items === "object" && items !== null && !Array.isArray(items) ? items["type"] : undefined;
  if (type === "array" && typeof itemType === "string") return `list of ${itemType}`;
  if (type === "array") return "list";
  if (Array.isArray(type)) return type.map(json).join(" or ");
  return typeof type === "string" ? type : "any";
}

function fieldNotes(field: InputField): string {
  const notes: string[] = [];
  const description = field.schema["description"];
  if (typeof description === "string") notes.push(esc(description));
  const choices = field.schema["enum"];
  if (Array.isArray(choices)) notes.push(`one of ${choices.map((c) => code(json(c))).join(", ")}`);
  for (const [key, words] of CONSTRAINTS) {
    const value = field.schema[key];
    if (value !== undefined) notes.push(`${words} ${code(json(value))}`);
  }
  return notes.join("; ");
}

function inputTable(flow: Flow): string {
  if (flow.input.length === 0) return `<p class="muted">No input: every start is the same.</p>`;
  const rows = flow.input.map((f) => [
    code(f.name),
    esc(typeOf(f)),
    f.default !== undefined ? `optional, default ${code(json(f.default))}` : f.required ? "required" : "optional",
    fieldNotes(f),
  ]);
  return table("inputs", ["Field", "Type", "Required", "Description"], rows);
}

function triggerWhat(t: Trigger): string {
  switch (t.kind) {
    case "http":
      return `HTTP ${code(`${t.method} ${t.path}`)}`;
    case "cron":
      return `schedule ${code(t.cron)}: ${esc(cronInWords(t.cron) ?? "UTC")}`;
    case "websocket":
      return `WebSocket message of type ${code(t.messageType)}`;
  }
}

function triggerAuth(t: Trigger): string {
  if (t.kind === "cron") return "—";
  const auth = t.auth;
  if (t.kind === "websocket") {
    return auth.kind === "none" ? "none: any client of the agent may send it" : `bearer token presented when connecting, secret ${code(auth.secret)}`;
  }
  if (auth.kind === "none") return "none: anyone may call it";
  const where = auth.kind === "hmac" ? ` in header ${code(auth.header)}` : "";
  return `${esc(authText(auth))}${where}, secret ${code(auth.secret)}`;
}

function triggerTable(flow: Flow, startedBy: readonly string[]): string {
  const rows = flow.triggers.map((t) => [triggerWhat(t), triggerAuth(t), esc(triggerEffect(t))]);
  const callers = startedBy.map((parent) => [`flow <a href="#${flowAnchor(parent)}">${esc(parent)}</a>`, "—", "starts it"]);
  if (rows.length + callers.length === 0) return `<p class="muted">No triggers: it is started from code or another Worker.</p>`;
  return table("triggers", ["Trigger", "Auth", "Effect"], [...rows, ...callers]);
}

function stepCount(flow: Flow): string {
  if (flow.workflow.script) return `its steps run in the Worker ${code(flow.workflow.script)}`;
  const total = allSteps(flow.steps).length;
  const nested = total - flow.steps.length;
  const onError = allSteps(flow.onError).length;
  const inside = nested > 0 ? ` (${flow.steps.length} in the main line, ${nested} inside branches and loops)` : "";
  return `${total} step${total === 1 ? "" : "s"}${inside}${onError > 0 ? `, plus ${onError} when it fails` : ""}`;
}

function facts(flow: Flow): string {
  const secrets = secretNames([flow]);
  const rows: [string, string][] = [
    ["Definition", code(flow.file)],
    ["Steps", stepCount(flow)],
    ["Agent", code(flow.agentClass)],
    ["Secrets needed", secrets.length > 0 ? secrets.map(code).join(" ") : "none"],
    ["Watched", flow.poll ? esc(pollEvery(flow.poll.every)) : "not polled"],
  ];
  if (flow.watch) {
    const auth = flow.watch.auth;
    rows.push(["Watchers", auth.kind === "none" ? "anyone may connect to watch" : `clients with the bearer token ${code(auth.secret)} may connect to watch`]);
  }
  return `<dl class="facts">\n${rows.map(([k, v]) => `    <dt>${esc(k)}</dt><dd>${v}</dd>`).join("\n")}\n  </dl>`;
}

export function flowSection({ flow, diagram, startedBy }: SectionFacts): string {
  return `<section class="flow" id="${flowAnchor(flow.id)}" data-flow="${esc(flow.id)}">
  <h2>${esc(flow.id)}</h2>
  <p class="description">${flow.description ? esc(flow.description) : `<span class="muted">No description.</span>`}</p>
  ${facts(flow)}
  <h3>Input</h3>
  ${inputTable(flow)}
  <h3>Triggers</h3>
  ${triggerTable(flow, startedBy)}
  <h3>Diagram</h3>
  <div class="diagram">
<pre class="mermaid">
${esc(diagram)}</pre>
  </div>
</section>`;
}
