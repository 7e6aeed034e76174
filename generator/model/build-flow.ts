import type { Node } from "yaml";
import type { DiagnosticBag } from "../diagnostics.ts";
import { deref, entriesOf, itemsOf, type YamlSource } from "../load/yaml-nodes.ts";
import { buildPoll } from "./build-poll.ts";
import { buildSteps } from "./build-steps.ts";
import { buildInput } from "./build-input.ts";
import { buildSocketAuth, buildTriggers } from "./build-triggers.ts";
import { field, has, type ModelContext, span, str, toValue } from "./build-values.ts";
import type { Flow, WorkflowSettings } from "./types.ts";

/**
 * Stage 3: a validated definition → the readonly, fully defaulted Flow.
 * Problems only this stage can see (durations, crons, routes, expression
 * syntax) are reported into the bag; the flow is still built as far as it
 * goes, so the check stage can report more in the same run.
 */
export function buildFlow(src: YamlSource, bag: DiagnosticBag): Flow {
  const ctx: ModelContext = { src, bag };
  const root = deref(src, src.doc.contents);
  const id = str(field(ctx, root, "flow")) ?? "";
  const description = str(field(ctx, root, "description"));
  const poll = field(ctx, root, "poll");
  const watch = field(ctx, root, "watch");
  return {
    id,
    file: src.file,
    span: span(ctx, root),
    ...(description !== undefined ? { description } : {}),
    agentClass: str(field(ctx, root, "agent")) ?? DEFAULT_AGENT_CLASS,
    input: buildInput(ctx, field(ctx, root, "input")),
    triggers: buildTriggers(ctx, itemsOf(src, field(ctx, root, "triggers"))),
    steps: buildSteps(ctx, field(ctx, root, "steps")),
    ...(has(ctx, root, "output") ? { output: toValue(ctx, field(ctx, root, "output")) } : {}),
    onError: buildSteps(ctx, field(ctx, root, "on_error")),
    ...(poll ? { poll: buildPoll(ctx, poll) } : {}),
    ...(watch ? { watch: { auth: buildSocketAuth(ctx, field(ctx, watch, "auth")), span: span(ctx, watch) } } : {}),
    workflow: buildWorkflow(ctx, id, field(ctx, root, "workflow")),
  };
}

export const DEFAULT_AGENT_CLASS = "FlowAgent";
export const DEFAULT_STEP_LIMIT = 10_000;

/** `flight-status` → `FlightStatus` (dsl.md §1 derived names). */
export function pascalCaseId(id: string): string {
  return id
    .split("-")
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

export function derivedWorkflowNames(id: string): { className: string; binding: string; name: string } {
  return {
    className: `${pascalCaseId(id)}Workflow`,
    binding: `${id.toUpperCase().replaceAll("-", "_")}_WORKFLOW`,
    name: id,
  };
}

function buildWorkflow(ctx: ModelContext, id: string, node: Node | undefined): WorkflowSettings {
  const derived = derivedWorkflowNames(id);
  const script = str(field(ctx, node, "script"));
  const limit = field(ctx, field(ctx, node, "limits"), "steps");
  return {
    className: str(field(ctx, node, "class")) ?? derived.className,
    binding: str(field(ctx, node, "binding")) ?? derived.binding,
    name: str(field(ctx, node, "name")) ?? derived.name,
    ...(script !== undefined ? { script } : {}),
    stepLimit: limit ? Number(str(limit)) : DEFAULT_STEP_LIMIT,
  };
}
