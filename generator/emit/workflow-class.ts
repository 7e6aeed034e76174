import type { CodeBlockWriter } from "ts-morph";
import { tsMorph } from "../cjs.ts";
import type { Flow } from "../model/types.ts";
import { q } from "./code-text.ts";
import { ImportSet } from "./import-set.ts";
import { agentFile, flowNames } from "./names.ts";
import { forEachValue, someStep } from "../model/walk.ts";
import { resolveModule, type TsFiles } from "./ts-files.ts";
import { RootUses } from "./uses.ts";
import { StepWriter } from "./workflow-steps.ts";

const { Scope, StructureKind } = tsMorph;

/** What else the workflow class needs to know about the project. */
export interface WorkflowClassOptions {
  /** Every flow (call targets). */
  readonly flows: readonly Flow[];
  /** Another flow calls this one with `wait: true`: its run() reports its end to the caller. */
  readonly reportsToCaller: boolean;
}

/** `generated/flows/<flow>/workflow.ts`: the flow's WorkflowEntrypoint, one durable call per step. */
export function emitWorkflowClass(files: TsFiles, flow: Flow, options: WorkflowClassOptions): void {
  const names = flowNames(flow);
  const path = `${names.dir}/workflow.ts`;
  const paramsType = `${names.pascal}Params`;
  const counted = someStep(flow, (s) => s.kind === "for_each");
  const imports = new ImportSet()
    .value("agents/workflows", "AgentWorkflow")
    .type("agents/workflows", "AgentWorkflowEvent")
    .type("agents/workflows", "AgentWorkflowStep")
    .type(`generated/${agentFile(flow.agentClass)}`, flow.agentClass)
    .type(`generated/${names.dir}/input.ts`, names.inputType)
    .type("runtime/flow-call.ts", "FlowParams");

  files.add(path, flow.file, {
    imports: () => imports.declarations((m) => resolveModule(path, m)),
    groups: [
      [
        {
          kind: StructureKind.TypeAlias,
          name: paramsType,
          isExported: true,
          docs: ["What the owning agent passes when it starts an instance: the input, its own name, and the caller waiting for it, if any."],
          type: `FlowParams<${names.inputType}>`,
        },
      ],
      [
        {
          kind: StructureKind.Class,
          name: flow.workflow.className,
          isExported: true,
          extends: `AgentWorkflow<${flow.agentClass}, ${paramsType}>`,
          docs: flow.description ? [flow.description] : [],
          methods: [
            {
              name: "run",
              isAsync: true,
              hasOverrideKeyword: true,
              scope: Scope.Public,
              parameters: [
                { name: "event", type: `AgentWorkflowEvent<${paramsType}>` },
                // Wrapped below: FLOWS_TIME_SCALE under npm run dev (runtime/local-time.ts); with a for_each, counted for its step budget.
                { name: "workflowStep", type: "AgentWorkflowStep" },
              ],
              returnType: "Promise<unknown>",
              statements: (w) => writeRun(w, flow, imports, options, counted),
            },
          ],
        },
      ],
    ],
  });
}

function writeRun(w: CodeBlockWriter, flow: Flow, imports: ImportSet, options: WorkflowClassOptions, counted: boolean): void {
  const uses = new RootUses();
  forEachValue(flow, (v) => uses.value(v));
  const outside = someStep(flow, (s) => ["http", "email", "call", "run"].includes(s.kind));
  w.writeLine("const input = event.payload.input;");
  imports.value("runtime/local-time.ts", "localTime");
  if (counted) {
    imports.value("runtime/step-budget.ts", "countSteps");
    w.writeLine("const step = countSteps(localTime(workflowStep, this.env));");
  } else w.writeLine("const step = localTime(workflowStep, this.env);");
  if (uses.has("env") || outside || options.reportsToCaller) w.writeLine("const env = this.env;");
  if (someStep(flow, (s) => s.kind === "call")) w.writeLine("const agentName = event.payload.agentName;");
  if (uses.has("flow")) w.writeLine(`const flow = { name: ${q(flow.id)} };`);
  if (uses.has("instance")) w.writeLine("const instance = { id: event.instanceId };");
  w.writeLine("const steps: Record<string, unknown> = {};");
  if (!uses.has("input")) w.writeLine("void input;");
  const writer = new StepWriter(w, imports, { flow, flows: options.flows });
  const output = (): string => (flow.output ? writer.stable(flow.output, q("output:value")) : "null");
  // A failing on_error step is logged, never thrown: the instance must fail with the cause.
  const onError = (): void => {
    imports.value("runtime/on-error.ts", "onErrorStepFailed");
    w.write("try ").inlineBlock(() => writer.steps(flow.onError));
    w.write(" catch (onErrorFailure) ").block(() => w.writeLine(`onErrorStepFailed(${q(flow.id)}, onErrorFailure, error);`));
  };

  if (options.reportsToCaller) {
    writeReportingRun(w, imports, flow, writer, output, onError);
    return;
  }
  if (flow.onError.length === 0) {
    writer.steps(flow.steps);
    w.writeLine(`return ${output()};`);
    return;
  }
  w.write("try ").inlineBlock(() => {
    writer.steps(flow.steps);
    w.writeLine(`return ${output()};`);
  });
  // on_error steps are durable steps too; the instance still fails afterwards, with the cause.
  w.write(" catch (error) ").block(() => {
    onError();
    w.writeLine("throw error;");
  });
}

/**
 * A flow some `call:` waits for: after its steps (or its failure and its
 * on_error steps) it tells the caller how it ended, durably.
 */
function writeReportingRun(w: CodeBlockWriter, imports: ImportSet, flow: Flow, writer: StepWriter, output: () => string, onError: () => void): void {
  imports.value("runtime/flow-call.ts", "notifyParent").value("runtime/flow-call.ts", "failureText");
  w.writeLine("let result: unknown;");
  w.write("try ").inlineBlock(() => {
    writer.steps(flow.steps);
    w.writeLine(`result = ${output()};`);
  });
  w.write(" catch (error) ").block(() => {
    if (flow.onError.length > 0) onError();
    w.writeLine("await notifyParent(step, env, event.payload.parent, { ok: false, error: failureText(error) });");
    w.writeLine("throw error;");
  });
  w.writeLine("await notifyParent(step, env, event.payload.parent, { ok: true, output: result });");
  w.writeLine("return result;");
}
