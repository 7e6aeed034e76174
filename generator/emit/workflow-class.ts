import { Scope, type CodeBlockWriter } from "ts-morph";
import type { Flow, Step, Value } from "../model/types.ts";
import { ImportSet } from "./import-set.ts";
import { agentFile, flowNames } from "./names.ts";
import { resolveModule, type TsFiles } from "./ts-files.ts";
import { RootUses } from "./uses.ts";
import { StepWriter } from "./workflow-steps.ts";

/** `generated/flows/<flow>/workflow.ts`: the flow's WorkflowEntrypoint, one durable call per step. */
export function emitWorkflowClass(files: TsFiles, flow: Flow): void {
  const names = flowNames(flow);
  const path = `${names.dir}/workflow.ts`;
  const file = files.create(path, flow.file);
  const paramsType = `${names.pascal}Params`;
  const imports = new ImportSet()
    .value("agents/workflows", "AgentWorkflow")
    .type("agents/workflows", "AgentWorkflowEvent")
    .type("agents/workflows", "AgentWorkflowStep")
    .type(`generated/${agentFile(flow.agentClass)}`, flow.agentClass)
    .type(`generated/${names.dir}/input.ts`, names.inputType);

  file.addInterface({
    name: paramsType,
    isExported: true,
    docs: ["What the owning agent passes when it starts an instance."],
    properties: [{ name: "input", type: names.inputType, isReadonly: true }],
  });
  file.addClass({
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
          { name: "step", type: "AgentWorkflowStep" },
        ],
        returnType: "Promise<unknown>",
        statements: (w) => writeRun(w, flow, imports),
      },
    ],
  });
  file.insertImportDeclarations(0, imports.declarations((m) => resolveModule(path, m)));
}

function writeRun(w: CodeBlockWriter, flow: Flow, imports: ImportSet): void {
  const uses = new RootUses();
  forEachValue(flow, (v) => uses.value(v));
  const hasHttp = someStep(flow, (s) => s.kind === "http");
  w.writeLine("const input = event.payload.input;");
  if (uses.has("env") || hasHttp) w.writeLine("const env = this.env;");
  if (uses.has("flow")) w.writeLine(`const flow = { name: ${JSON.stringify(flow.id)} };`);
  if (uses.has("instance")) w.writeLine("const instance = { id: event.instanceId };");
  w.writeLine("const steps: Record<string, unknown> = {};");
  if (!uses.has("input")) w.writeLine("void input;");
  const writer = new StepWriter(w, imports);
  const main = () => {
    writer.steps(flow.steps);
    w.writeLine(`return ${flow.output ? writer.stable(flow.output, "output") : "null"};`);
  };
  if (flow.onError.length === 0) {
    main();
    return;
  }
  w.write("try ").block(main);
  // on_error steps are durable steps too; the instance still fails afterwards.
  w.write(" catch (error) ").block(() => {
    writer.steps(flow.onError);
    w.writeLine("throw error;");
  });
}

/** Calls `visit` on every Value of the flow's workflow side (steps, on_error, output). */
export function forEachValue(flow: Flow, visit: (value: Value | undefined) => void): void {
  const walk = (steps: readonly Step[]) => {
    for (const step of steps) {
      visit(step.if);
      switch (step.kind) {
        case "http":
          visit(step.request.url);
          visit(step.request.body);
          step.request.headers.forEach((h) => visit(h.value));
          break;
        case "sleep_until":
          visit(step.until);
          break;
        case "set":
          step.values.forEach((e) => visit(e.value));
          break;
        case "fail":
          visit(step.message);
          break;
        case "if":
          visit(step.condition);
          walk(step.then);
          walk(step.else);
          break;
        default:
          break;
      }
    }
  };
  walk(flow.steps);
  walk(flow.onError);
  visit(flow.output);
}

/** True when any step of the flow (at any depth, on_error included) matches. */
export function someStep(flow: Flow, test: (step: Step) => boolean): boolean {
  const any = (steps: readonly Step[]): boolean =>
    steps.some((s) => test(s) || (s.kind === "if" && (any(s.then) || any(s.else))));
  return any(flow.steps) || any(flow.onError);
}
