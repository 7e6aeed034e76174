import { basename } from "node:path";
import { isScalar, visit } from "yaml";
import { type DiagnosticBag, LineIndex } from "../diagnostics.ts";
import { flowNames } from "../emit/names.ts";
import { parseDefinition } from "../load/parse-yaml.ts";
import type { DefinitionText } from "../load/read-definitions.ts";
import { deref, entryOf, itemsOf, spanOf, type YamlSource } from "../load/yaml-nodes.ts";
import type { Flow } from "../model/types.ts";
import { flowSteps } from "../model/walk.ts";
import { suggestKey } from "../validate/suggest-key.ts";
import { buildCase } from "./build-case.ts";
import { StepIndex } from "./step-paths.ts";
import type { FlowTestCase, FlowTestFile } from "./types.ts";
import { validateTestFile } from "./validate-test-file.ts";

/**
 * Stages 1–4 for flow tests (`definitions/*.test.yaml`, dsl.md §9): each
 * file is parsed with positions, validated against
 * schema/flow-test.schema.json, then checked against the modelled flow it
 * names. Problems go into the same bag as the flows' (so a bad test file
 * stops generation like a bad flow); the result is what the emitter writes
 * to generated/flow-tests/.
 */

export interface FlowTestContext {
  readonly flows: readonly Flow[];
  /** Flows whose files did not validate: a test naming one is not reported again. */
  readonly unmodelledIds: ReadonlySet<string>;
}

export function loadFlowTests(texts: readonly DefinitionText[], ctx: FlowTestContext, bag: DiagnosticBag): FlowTestFile[] {
  const out: FlowTestFile[] = [];
  const modules = new Map<string, string>();
  for (const { file, text } of texts) {
    const src = parseDefinition(file, text, bag);
    if (!src) continue;
    const data = validateTestFile(src, bag);
    if (!data) continue;
    const module = testModuleName(file);
    const clash = modules.get(module);
    if (clash) {
      bag.error(spanOf(src, src.doc.contents), `${file} and ${clash} would both be emitted as generated/flow-tests/${module}.ts`, "rename one of them");
      continue;
    }
    modules.set(module, file);
    const built = buildFile(src, data, ctx, bag);
    if (built) out.push(built);
  }
  return out;
}

/** `definitions/flight-status.test.yaml` → `flight-status`. */
export function testModuleName(file: string): string {
  return basename(file).replace(/\.test\.ya?ml$/, "");
}

function buildFile(src: YamlSource, data: Record<string, unknown>, ctx: FlowTestContext, bag: DiagnosticBag): FlowTestFile | undefined {
  const root = deref(src, src.doc.contents);
  const flowSpan = spanOf(src, entryOf(src, root, "flow")?.value);
  const flowId = String(data["flow"]);
  reportExpressions(src, bag);
  const flow = ctx.flows.find((f) => f.id === flowId);
  if (!flow) {
    if (ctx.unmodelledIds.has(flowId)) return undefined;
    const ids = ctx.flows.map((f) => f.id);
    const close = suggestKey(flowId, ids);
    bag.error(flowSpan, `there is no flow '${flowId}' to test`, close ? `did you mean '${close}'?` : ids.length ? `the flows are ${ids.join(", ")}` : "add definitions/<flow>.yaml first");
    return undefined;
  }
  if (flow.workflow.script) {
    bag.error(flowSpan, `flow '${flowId}' runs in Worker '${flow.workflow.script}' (workflow.script), so its steps cannot be tested in this project`, "test it in the project of that Worker");
    return undefined;
  }
  const lines = new LineIndex(src.text);
  const index = new StepIndex(flow);
  const caseNodes = itemsOf(src, entryOf(src, root, "cases")?.value);
  const caseData = data["cases"] as Record<string, unknown>[];
  const cases: FlowTestCase[] = [];
  const caseNames = new Map<string, number>();
  let complete = true;
  caseData.forEach((item, i) => {
    const node = caseNodes[i]!;
    const built = buildCase({ src, lines, flow, index, bag }, node, item);
    if (!built) {
      complete = false;
      return;
    }
    const first = caseNames.get(built.name);
    if (first !== undefined) {
      bag.error(spanOf(src, entryOf(src, node, "name")?.value ?? node), `case name '${built.name}' is already used at line ${first}`, "give every case of a file its own name");
      complete = false;
      return;
    }
    caseNames.set(built.name, built.line);
    cases.push(built);
  });
  if (!complete) return undefined;
  return {
    file: src.file,
    flow: flow.id,
    workflow: flow.workflow.binding,
    agent: flow.agentClass,
    start: flowNames(flow).startMethod,
    children: calledWorkflows(flow, ctx.flows),
    waits: [...index.byId.values()].flatMap(({ step, loops }) => (step.kind === "wait_for_event" ? [{ type: step.eventType, step: { id: step.id, loops } }] : [])),
    cases,
  };
}

/** Test files hold plain values; `${{ }}` would be compared as text, which is never what was meant. */
function reportExpressions(src: YamlSource, bag: DiagnosticBag): void {
  visit(src.doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== "string" || !node.value.includes("${{")) return;
      bag.error(spanOf(src, node), "flow tests hold plain values: '${{ }}' is not evaluated here", "write the value itself");
    },
  });
}

/** Workflows bindings of the flows this one calls, at any depth, sorted (their sleeps are skipped too). */
function calledWorkflows(flow: Flow, flows: readonly Flow[]): string[] {
  const seen = new Set<string>([flow.id]);
  const bindings = new Set<string>();
  const queue = [flow];
  for (let current = queue.pop(); current; current = queue.pop()) {
    for (const step of flowSteps(current)) {
      if (step.kind !== "call" || seen.has(step.flow)) continue;
      seen.add(step.flow);
      const target = flows.find((f) => f.id === step.flow);
      if (!target || target.workflow.script) continue;
      bindings.add(target.workflow.binding);
      queue.push(target);
    }
  }
  return [...bindings].sort();
}
