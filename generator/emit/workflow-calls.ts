import type { Flow, Step } from "../model/types.ts";
import { localName, q } from "./code-text.ts";
import { agentBinding, flowNames } from "./names.ts";
import type { StepWriter } from "./workflow-steps.ts";

/**
 * The steps that reach outside the workflow: call (another flow), email,
 * report (progress to the owning Agent) and run (a project action). Each
 * does its work inside one step.do, so it happens once even when the
 * instance is replayed.
 */

type Kind<K extends Step["kind"]> = Extract<Step, { kind: K }>;

/** The module `run:` steps import their actions from (ImportSet key). */
export const ACTIONS_MODULE = "actions/index.ts";
/** The `send_email` binding the generator adds to wrangler.jsonc for email steps. */
export const EMAIL_BINDING = "EMAIL";

/**
 * `call:` the child flow's owning Agent starts it (under this instance's
 * agent name) with a derived instance id; with `wait: true` the step's
 * output is the child's output (runtime/flow-call.ts explains the wait).
 */
export function writeCall(sw: StepWriter, step: Kind<"call">): void {
  const target = callTarget(sw.emit.flows, step);
  const names = flowNames(target);
  const call = localName(step.id, "Call");
  sw.imports
    .value("agents", "getAgentByName")
    .value("runtime/flow-call.ts", "childStart")
    .value("runtime/flow-call.ts", "startedChild")
    .value(`generated/${names.dir}/input.ts`, `validate${names.pascal}Input`);
  const input = step.input ? sw.value(step.input) : "{}";
  const options = [`stepName: ${sw.name(step.id)}`, "parentId: event.instanceId"];
  if (step.wait) options.push(`parentBinding: ${q(sw.emit.flow.workflow.binding)}`);
  sw.w.write(`const ${call} = await step.do(${sw.head(step)}async () => `).inlineBlock(() => {
    sw.w.writeLine(`const start = childStart(validate${names.pascal}Input, ${q(target.id)}, ${input}, { ${options.join(", ")} });`);
    sw.w.writeLine(`const agent = await getAgentByName(env.${agentBinding(target.agentClass)}, agentName);`);
    sw.w.writeLine(`return startedChild(await agent.${names.startMethod}(start));`);
  });
  sw.w.write(");").newLine();
  if (!step.wait) {
    sw.w.writeLine(`steps[${q(step.id)}] = ${call};`);
    return;
  }
  sw.imports.value("runtime/flow-call.ts", "waitForChild");
  const wait = [`flow: ${q(target.id)}`, ...(target.workflow.script ? ["poll: true"] : [])];
  // The call's timeout bounds the wait for the child too, not only its start.
  if (step.timeout) wait.push(`timeout: { text: ${q(step.timeout.text)}, seconds: ${step.timeout.seconds} }`);
  sw.w.writeLine(`steps[${q(step.id)}] = await waitForChild(step, ${sw.name(step.id)}, ${call}, env.${target.workflow.binding}, { ${wait.join(", ")} });`);
}

export function writeEmail(sw: StepWriter, step: Kind<"email">): void {
  sw.imports.value("runtime/email-step.ts", "sendEmail");
  const e = step.email;
  const fields = [`to: ${sw.value(e.to)}`, `from: ${sw.value(e.from)}`, `subject: ${sw.value(e.subject)}`];
  if (e.text) fields.push(`text: ${sw.value(e.text)}`);
  if (e.html) fields.push(`html: ${sw.value(e.html)}`);
  if (e.cc) fields.push(`cc: ${sw.value(e.cc)}`);
  if (e.bcc) fields.push(`bcc: ${sw.value(e.bcc)}`);
  if (e.replyTo) fields.push(`replyTo: ${sw.value(e.replyTo)}`);
  sw.w.writeLine(`steps[${q(step.id)}] = await step.do(${sw.head(step)}async () =>`);
  sw.w.indent(() => sw.w.writeLine(`sendEmail(env.${EMAIL_BINDING}, ${sw.name(step.id)}, { ${fields.join(", ")} }),`));
  sw.w.writeLine(");");
}

/** `report:` AgentWorkflow.reportProgress, once; the owning Agent records and broadcasts it. */
export function writeReport(sw: StepWriter, step: Kind<"report">): void {
  sw.imports.value("runtime/progress.ts", "progressValue");
  sw.w.write(`steps[${q(step.id)}] = await step.do(${sw.head(step)}async () => `).inlineBlock(() => {
    sw.w.writeLine(`await this.reportProgress(progressValue(${sw.name(step.id)}, ${sw.value(step.progress)}));`);
    sw.w.writeLine("return null;");
  });
  sw.w.write(");").newLine();
}

/** `run:` the action gets `with:` and an ActionContext; its return value is the output. */
export function writeRun(sw: StepWriter, step: Kind<"run">): void {
  sw.imports.namespace(ACTIONS_MODULE, "actions").value("runtime/action-context.ts", "runAction").value("runtime/step-values.ts", "toJson");
  const args = step.with ? sw.value(step.with) : "{}";
  const ctx = `{ env, instanceId: event.instanceId, flow: ${q(sw.emit.flow.id)}, stepId: ${sw.name(step.id)} }`;
  sw.w.writeLine(`steps[${q(step.id)}] = await step.do(${sw.head(step)}async () =>`);
  sw.w.indent(() => sw.w.writeLine(`toJson(await runAction(actions.${step.action}, ${args}, ${ctx})),`));
  sw.w.writeLine(");");
}

function callTarget(flows: readonly Flow[], step: Kind<"call">): Flow {
  const target = byId(flows).get(step.flow);
  if (!target) throw new Error(`internal: call to unknown flow ${step.flow} survived the checks`);
  return target;
}

/** The flows by id, the first of each id as `find` would give it; made once per list. */
function byId(flows: readonly Flow[]): ReadonlyMap<string, Flow> {
  let map = indexes.get(flows);
  if (!map) {
    const made = new Map<string, Flow>();
    for (const flow of flows) if (!made.has(flow.id)) made.set(flow.id, flow);
    indexes.set(flows, (map = made));
  }
  return map;
}

const indexes = new WeakMap<readonly Flow[], ReadonlyMap<string, Flow>>();

/** Flows some `call:` step waits for (`wait: true`): their run() reports its end to the caller. */
export function calledWithWait(flows: readonly Flow[], allSteps: (flow: Flow) => readonly Step[]): Set<string> {
  const ids = new Set<string>();
  for (const flow of flows) for (const step of allSteps(flow)) if (step.kind === "call" && step.wait) ids.add(step.flow);
  return ids;
}
