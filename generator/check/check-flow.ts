import type { DiagnosticBag } from "../diagnostics.ts";
import { LineIndex } from "../diagnostics.ts";
import type { Step, Value } from "../model/types.ts";
import { describeJson } from "../validate/problems.ts";
import { allSteps } from "../model/walk.ts";
import { type FlowFile, flowIdSpan, spanAt } from "./flow-file.ts";
import { checkStepBudget } from "./step-budget.ts";
import { checkHttpUrls } from "./check-urls.ts";

/**
 * Rules about one flow's own structure that the schema cannot express:
 * step ids unique, steps present exactly when the workflow lives here, and
 * send_event triggers that can reach a wait_for_event.
 */
export function checkFlowStructure(file: FlowFile, bag: DiagnosticBag): void {
  checkStepIds(file, bag);
  checkWorkflowPlacement(file, bag);
  checkSendEvents(file, bag);
  checkReports(file, bag);
  checkStepBudget(file, bag);
  checkHttpUrls(file.flow, bag);
}

/** Progress is merged into the Agent's state and sent to clients as named fields, so it must be a mapping. */
function checkReports(file: FlowFile, bag: DiagnosticBag): void {
  for (const step of [...allSteps(file.flow.steps), ...allSteps(file.flow.onError)]) {
    if (step.kind !== "report" || step.progress.kind === "object" || step.progress.kind === "expr") continue;
    bag.error(step.progress.span, `'report.progress' in step '${step.id}' must be a mapping, not ${describeValue(step.progress)}`, "for example progress: { percent: 50, note: halfway }");
  }
}

function describeValue(value: Value): string {
  if (value.kind === "array") return "a list";
  if (value.kind === "literal") return describeJson(value.value);
  return "text";
}

/** Step ids are durable step names: unique across the whole flow, nested and on_error steps included. */
function checkStepIds(file: FlowFile, bag: DiagnosticBag): void {
  const lines = new LineIndex(file.src.text);
  const first = new Map<string, Step>();
  for (const step of [...allSteps(file.flow.steps), ...allSteps(file.flow.onError)]) {
    const earlier = first.get(step.id);
    if (!earlier) {
      first.set(step.id, step);
      continue;
    }
    const line = lines.position(earlier.idSpan.start).line;
    bag.error(step.idSpan, `duplicate step id '${step.id}'; it is already used at line ${line}`, "step ids name durable steps, so each must be unique in the flow");
  }
}

function checkWorkflowPlacement(file: FlowFile, bag: DiagnosticBag): void {
  const { flow } = file;
  if (flow.workflow.script === undefined) {
    // A flow whose steps all failed validation has them, just not here.
    if (flow.steps.length === 0 && !flow.partial?.hiddenSteps.length) {
      const hasKey = file.src.doc.has("steps");
      bag.error(hasKey ? spanAt(file, "/steps", true) : flowIdSpan(file), `flow '${flow.id}' has no steps`, "add at least one step under steps:, or set workflow.script when the workflow lives in another Worker");
    }
    return;
  }
  // The workflow runs in another Worker: everything that runs inside it lives there too.
  for (const key of ["steps", "output", "on_error"]) {
    if (file.src.doc.has(key)) {
      bag.error(spanAt(file, `/${key}`, true), `'${key}' cannot be used with workflow.script: the workflow runs in Worker '${flow.workflow.script}'`, `remove '${key}', or remove workflow.script to run the workflow here`);
    }
  }
}

/** An event nobody waits for is lost (or a typo in one of the two types): an error, since nothing could ever receive it. */
function checkSendEvents(file: FlowFile, bag: DiagnosticBag): void {
  const { flow } = file;
  const waited = new Set<string>();
  for (const step of [...allSteps(flow.steps), ...allSteps(flow.onError)]) if (step.kind === "wait_for_event") waited.add(step.eventType);
  flow.triggers.forEach((trigger, i) => {
    if (trigger.kind !== "http" || !trigger.sendEvent) return;
    const { sendEvent } = trigger;
    // The waiting step may be one that failed validation.
    if (flow.workflow.script === undefined && !flow.partial && sendEvent.type !== "" && !waited.has(sendEvent.type)) {
      const types = [...waited].map((t) => `'${t}'`).join(", ");
      bag.error(
        spanAt(file, `/triggers/${i}/send_event/type`),
        `no wait_for_event step of flow '${flow.id}' waits for event type '${sendEvent.type}'`,
        types ? `the steps wait for ${types}` : "add a wait_for_event step with this type",
      );
    }
    // These options belong to starting a workflow; a signal starts nothing.
    for (const key of ["input", "delay", "at", "instance_id"]) {
      if (file.src.doc.hasIn(["triggers", i, key])) {
        bag.error(spanAt(file, `/triggers/${i}/${key}`, true), `'${key}' has no effect on a send_event trigger, which signals a running instance instead of starting one`, key === "instance_id" ? "name the instance in send_event.instance_id" : `remove '${key}'`);
      }
    }
  });
}
