import type { ValidateFunction } from "ajv/dist/2020.js";
import { basename } from "node:path";
import type { DiagnosticBag } from "../diagnostics.ts";
import { LineIndex } from "../diagnostics.ts";
import type { Flow } from "../model/types.ts";
import { checkFlowReferences } from "./check-calls.ts";
import { checkFlowStructure } from "./check-flow.ts";
import { checkGivenInput, compileInputFields } from "./check-inputs.ts";
import { checkFlowScopes, type ScopeFacts } from "./check-scopes.ts";
import { type FlowFile, flowIdSpan, spanAt } from "./flow-file.ts";

/**
 * Stage 4: the semantic rules over all modelled flows — each flow on its own
 * (structure, expression scopes, inputs) and between flows (unique ids and
 * names, routes, `start:` references).
 */
export interface ProjectFacts extends ScopeFacts {
  /** Flow ids of files that failed validation: they exist, so naming them is no error. */
  readonly unmodelledIds: ReadonlySet<string>;
}

/**
 * Watch mode's cache of the per-flow checks (frontend.ts): `inputs` gives a
 * flow's compiled input fields, `rules` runs (or replays) the rules that
 * read only the flow itself and the project facts.
 */
export interface CheckMemo {
  inputs(flow: Flow, compile: (bag: DiagnosticBag) => ReadonlyMap<string, ValidateFunction>): ReadonlyMap<string, ValidateFunction>;
  rules(flow: Flow, run: () => void): void;
}

export function checkProject(files: readonly FlowFile[], facts: ProjectFacts, bag: DiagnosticBag, memo?: CheckMemo): void {
  const unique = checkFlowIds(files, bag);
  const validators = new Map<string, ReadonlyMap<string, ValidateFunction>>();
  for (const { flow } of files) {
    validators.set(flow.id, memo ? memo.inputs(flow, (b) => compileInputFields(flow, b)) : compileInputFields(flow, bag));
  }

  for (const file of files) {
    const { flow } = file;
    const own = validators.get(flow.id) ?? new Map();
    const rules = (): void => {
      checkFlowStructure(file, bag);
      checkFlowScopes(flow, facts, bag);
      flow.triggers.forEach((trigger, i) => {
        if (trigger.kind === "http" && trigger.sendEvent) return;
        checkGivenInput(trigger.input, flow, own, spanAt(file, `/triggers/${i}`), `the ${trigger.kind} trigger`, bag);
      });
    };
    if (memo) memo.rules(flow, rules);
    else rules();
    checkFlowReferences(flow, { flows: unique, validators, unmodelledIds: facts.unmodelledIds }, bag);
  }
  // A repeated flow id is reported once; its derived names would only echo it.
  checkNameClashes(files.filter((f) => unique.get(f.flow.id) === f.flow), bag);
}

/** Flow ids are unique across files; the file should be named after its flow. */
function checkFlowIds(files: readonly FlowFile[], bag: DiagnosticBag): Map<string, Flow> {
  const byId = new Map<string, FlowFile>();
  for (const file of files) {
    const { flow } = file;
    const base = basename(flow.file).replace(/\.ya?ml$/, "");
    if (base !== flow.id) {
      bag.warning(flowIdSpan(file), `the file name '${basename(flow.file)}' does not match the flow id '${flow.id}'`, `rename the file to ${flow.id}.yaml`);
    }
    const first = byId.get(flow.id);
    if (first) {
      bag.error(flowIdSpan(file), `flow id '${flow.id}' is already used by ${where(first)}`, "flow ids must be unique across files");
    } else {
      byId.set(flow.id, file);
    }
  }
  return new Map([...byId].map(([id, file]) => [id, file.flow]));
}

function where(file: FlowFile): string {
  const span = flowIdSpan(file);
  return `${file.flow.file}:${new LineIndex(file.src.text).position(span.start).line}`;
}

/**
 * Names that end up side by side in one Worker must not collide: workflow
 * classes, bindings and wrangler names; agent classes against workflow
 * classes; and http routes.
 */
function checkNameClashes(files: readonly FlowFile[], bag: DiagnosticBag): void {
  const claims = new Map<string, FlowFile>();
  const claim = (key: string, what: string, file: FlowFile, pointer: string): void => {
    const first = claims.get(key);
    if (!first) {
      claims.set(key, file);
    } else if (first !== file) {
      const setting = `workflow.${key.slice(0, key.indexOf(":"))}`;
      bag.error(spanAt(file, pointer), `${what} is also used by flow '${first.flow.id}' (${where(first)})`, `give one of the two flows another ${setting}`);
    }
  };
  for (const file of files) {
    const { workflow } = file.flow;
    if (workflow.script === undefined) claim(`class:${workflow.className}`, `the class name '${workflow.className}'`, file, file.src.doc.hasIn(["workflow", "class"]) ? "/workflow/class" : "/flow");
    claim(`binding:${workflow.binding}`, `the workflow binding '${workflow.binding}'`, file, file.src.doc.hasIn(["workflow", "binding"]) ? "/workflow/binding" : "/flow");
    claim(`name:${workflow.name}`, `the workflow name '${workflow.name}'`, file, file.src.doc.hasIn(["workflow", "name"]) ? "/workflow/name" : "/flow");
  }
  for (const file of files) {
    const agent = file.flow.agentClass;
    const owner = claims.get(`class:${agent}`);
    if (owner) bag.error(spanAt(file, file.src.doc.has("agent") ? "/agent" : "/flow"), `the agent class '${agent}' is also the workflow class of flow '${owner.flow.id}'`, "give the agent or the workflow another class name");
  }
  const routes = new Map<string, { file: FlowFile; index: number }>();
  for (const file of files) {
    file.flow.triggers.forEach((trigger, index) => {
      if (trigger.kind !== "http" || trigger.path === "" || !routeAsWritten(file, index, trigger.method)) return;
      // `/a/{id}` and `/a/{key}` match the same requests.
      const key = `${trigger.method} ${trigger.path.replace(/\{[^}]*\}/g, "{}")}`;
      const first = routes.get(key);
      if (!first) {
        routes.set(key, { file, index });
        return;
      }
      const line = new LineIndex(first.file.src.text).position(spanAt(first.file, `/triggers/${first.index}`).start).line;
      const owner = first.file === file ? `the trigger at line ${line}` : `flow '${first.file.flow.id}' (${first.file.flow.file}:${line})`;
      bag.error(spanAt(file, `/triggers/${index}/http`), `the route '${trigger.method} ${trigger.path}' is already used by ${owner}`, "each method and path can have only one trigger");
    });
  }
  checkMessageTypes(files, bag);
}

/** False when the model stood in a method for a bad one (already reported): a clash with it would only echo that error. */
function routeAsWritten(file: FlowFile, index: number, method: string): boolean {
  const raw = file.src.doc.getIn(["triggers", index, "http"]);
  return typeof raw !== "string" || raw.trim().split(/\s+/)[0] === method;
}

/** One agent class dispatches WebSocket messages by `type`, so a type may start only one trigger per agent class. */
function checkMessageTypes(files: readonly FlowFile[], bag: DiagnosticBag): void {
  const types = new Map<string, { file: FlowFile; index: number }>();
  for (const file of files) {
    file.flow.triggers.forEach((trigger, index) => {
      if (trigger.kind !== "websocket" || trigger.messageType === "") return;
      const key = `${file.flow.agentClass}\u0000${trigger.messageType}`;
      const first = types.get(key);
      if (!first) {
        types.set(key, { file, index });
        return;
      }
      const line = new LineIndex(first.file.src.text).position(spanAt(first.file, `/triggers/${first.index}`).start).line;
      const owner = first.file === file ? `the trigger at line ${line}` : `flow '${first.file.flow.id}' (${first.file.flow.file}:${line})`;
      bag.error(
        spanAt(file, `/triggers/${index}/websocket`),
        `the websocket message type '${trigger.messageType}' of agent ${file.flow.agentClass} is already used by ${owner}`,
        "give one of the triggers another message type, or host the flows in different agent classes",
      );
    });
  }
}
