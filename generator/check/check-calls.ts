import type { ValidateFunction } from "ajv/dist/2020.js";
import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import type { Flow, Value } from "../model/types.ts";
import { didYouMeanKey } from "../validate/suggest-key.ts";
import { checkGivenInput } from "./check-inputs.ts";
import { allSteps } from "../model/walk.ts";

/**
 * References from one flow to another: a poll's `start` action and a `call`
 * step name a flow of the project and give it input. The named flow must
 * exist and the input must fit its input fields, exactly as for a trigger.
 */

export interface FlowIndex {
  /** Modelled flows by id (the first of a duplicated id). */
  readonly flows: ReadonlyMap<string, Flow>;
  readonly validators: ReadonlyMap<string, ReadonlyMap<string, ValidateFunction>>;
  /** Ids of files that failed validation: they exist, so naming them is no error. */
  readonly unmodelledIds: ReadonlySet<string>;
}

interface FlowReference {
  readonly flow: string;
  readonly flowSpan: SourceSpan;
  readonly input?: Value;
  readonly span: SourceSpan;
  readonly label: string;
}

export function checkFlowReferences(flow: Flow, index: FlowIndex, bag: DiagnosticBag): void {
  const refs: FlowReference[] = [];
  for (const action of [...(flow.poll?.onComplete ?? []), ...(flow.poll?.onError ?? [])]) {
    if (action.kind === "start") refs.push({ ...action, label: "this start action" });
  }
  for (const step of [...allSteps(flow.steps), ...allSteps(flow.onError)]) {
    if (step.kind !== "call") continue;
    if (step.flow === flow.id) {
      bag.error(step.flowSpan, `step '${step.id}' calls its own flow '${flow.id}'`, "a flow cannot call itself; to run steps again, use repeat or for_each");
      continue;
    }
    refs.push({ flow: step.flow, flowSpan: step.flowSpan, ...(step.input ? { input: step.input } : {}), span: step.span, label: `call step '${step.id}'` });
  }
  for (const ref of refs) checkReference(ref, index, bag);
}

function checkReference(ref: FlowReference, index: FlowIndex, bag: DiagnosticBag): void {
  // An empty name was already reported (an expression where a fixed name belongs).
  if (ref.flow === "") return;
  const target = index.flows.get(ref.flow);
  if (target) {
    checkGivenInput(ref.input, target, index.validators.get(target.id) ?? new Map(), ref.span, ref.label, bag);
    return;
  }
  if (index.unmodelledIds.has(ref.flow)) return;
  const known = [...index.flows.keys(), ...index.unmodelledIds];
  bag.error(ref.flowSpan, `unknown flow '${ref.flow}'`, didYouMeanKey(ref.flow, known) ?? (known.length ? `the flows are ${known.join(", ")}` : undefined));
}
