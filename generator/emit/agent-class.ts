import { Scope, StructureKind, VariableDeclarationKind, type CodeBlockWriter, type MethodDeclarationStructure, type OptionalKind, type VariableStatementStructure } from "ts-morph";
import type { AgentAction, Flow } from "../model/types.ts";
import { compileValue } from "../expressions/compile.ts";
import { ImportSet } from "./import-set.ts";
import { agentBinding, agentFile, flowNames, type FlowNames } from "./names.ts";
import { resolveModule, type TsFiles } from "./ts-files.ts";
import { RootUses } from "./uses.ts";
import { progressMethod, websocketMethods } from "./agent-websocket.ts";
import { someStep } from "../model/walk.ts";
import { q, textValue } from "./code-text.ts";

/**
 * `generated/agents/<agent>.ts`: one Agent class hosting the triggers,
 * delayed starts and polls of every flow that names it. Each flow gets named
 * methods (startX, startScheduledX, pollX, onXComplete, onXError); the shared
 * bookkeeping is in runtime/flow-agent.ts.
 */
export function emitAgentClass(files: TsFiles, agentClass: string, hosted: readonly Flow[], allFlows: readonly Flow[]): void {
  const path = agentFile(agentClass);
  const imports = new ImportSet()
    .value("runtime/flow-agent.ts", "FlowAgentBase")
    .type("runtime/flow-agent.ts", "FlowStart")
    .type("runtime/flow-agent.ts", "ScheduledStart")
    .type("runtime/flow-agent.ts", "StartResult");
  const methods: OptionalKind<MethodDeclarationStructure>[] = [];
  const constants: VariableStatementStructure[] = [];

  for (const flow of hosted) {
    const names = flowNames(flow);
    const ref = constName(flow.id);
    const pollRef = flow.poll ? `${ref}_POLL` : undefined;
    constants.push({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`Flow ${flow.id}: its Workflows binding${flow.workflow.script ? ` (in Worker ${flow.workflow.script})` : ""}.`],
      declarations: [{ name: ref, initializer: `{ flow: ${q(flow.id)}, binding: ${q(flow.workflow.binding)} } as const` }],
    });
    if (flow.poll && pollRef) {
      const every = flow.poll.every;
      const spec = every.kind === "cron" ? `cron: ${q(every.cron)}` : `seconds: ${every.duration.seconds}`;
      constants.push({
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: pollRef, initializer: `{ ${spec}, method: ${q(names.pollMethod)} } as const` }],
      });
    }
    const pollArg = pollRef ? `, ${pollRef}` : "";
    methods.push(
      method(names.startMethod, [["start", "FlowStart"]], "Promise<StartResult>", `Starts (or schedules) an instance of ${flow.id}. Called by its triggers.`, (w) =>
        w.writeLine(`return this.startFlow(${ref}, start, ${q(names.scheduledStartMethod)}${pollArg});`),
      ),
      method(names.scheduledStartMethod, [["payload", "ScheduledStart"]], "Promise<void>", `Schedule callback: the delayed start of ${flow.id}.`, (w) =>
        w.writeLine(`await this.startScheduled(${ref}, payload${pollArg});`),
      ),
    );
    if (flow.poll) {
      imports.type("agents", "Schedule").type("runtime/flow-agent.ts", "PollEvent").type("runtime/flow-agent.ts", "PollPayload");
      methods.push(
        method(names.pollMethod, [["payload", "PollPayload"], ["schedule", "Schedule<PollPayload>"]], "Promise<void>", `Schedule callback: checks an instance of ${flow.id} until it ends.`, (w) =>
          w.writeLine(
            `await this.pollFlow(${ref}, payload, schedule, (event) => this.${names.onCompleteMethod}(event, payload), (event) => this.${names.onErrorMethod}(event, payload));`,
          ),
        ),
        actionMethod(names.onCompleteMethod, `Poll: an instance of ${flow.id} completed.`, flow, flow.poll.onComplete, agentClass, allFlows, imports),
        actionMethod(names.onErrorMethod, `Poll: an instance of ${flow.id} errored or was terminated.`, flow, flow.poll.onError, agentClass, allFlows, imports),
      );
    }
  }

  const reporting = hosted.filter((flow) => someStep(flow, (s) => s.kind === "report")).map((flow) => constName(flow.id));
  if (reporting.length > 0) methods.push(progressMethod(reporting));
  methods.push(...websocketMethods(hosted, agentClass, imports));

  files.add(path, hosted.map((f) => f.file).join(", "), {
    imports: () => imports.declarations((m) => resolveModule(path, m)),
    groups: [
      constants,
      [
        {
          kind: StructureKind.Class,
          name: agentClass,
          isExported: true,
          extends: "FlowAgentBase",
          docs: [`Hosts the triggers and polls of: ${hosted.map((f) => f.id).join(", ")}.`],
          methods,
        },
      ],
    ],
  });
}

function method(
  name: string,
  params: readonly [string, string][],
  returnType: string,
  doc: string,
  body: (w: CodeBlockWriter) => void,
): OptionalKind<MethodDeclarationStructure> {
  return {
    name,
    isAsync: true,
    scope: Scope.Public,
    docs: [doc],
    parameters: params.map(([n, type]) => ({ name: n, type })),
    returnType,
    statements: body,
  };
}

function actionMethod(
  name: string,
  doc: string,
  flow: Flow,
  actions: readonly AgentAction[],
  agentClass: string,
  allFlows: readonly Flow[],
  imports: ImportSet,
): OptionalKind<MethodDeclarationStructure> {
  const uses = new RootUses();
  for (const action of actions) forActionValues(action, (v) => uses.value(v));
  return method(name, [["event", "PollEvent"], ["payload", "PollPayload"]], "Promise<void>", doc, (w) => {
    if (uses.has("input")) {
      const names = flowNames(flow);
      imports.type(`generated/${names.dir}/input.ts`, names.inputType);
      w.writeLine(`const input = payload.input as ${names.inputType};`);
    }
    if (uses.has("env") || actions.some((a) => a.kind === "http")) w.writeLine("const env = this.env;");
    if (uses.has("flow")) w.writeLine(`const flow = { name: ${q(flow.id)} };`);
    if (uses.has("instance")) w.writeLine("const instance = { id: payload.instanceId };");
    if (!uses.has("event")) w.writeLine("void event;");
    if (!uses.has("input") && !uses.has("instance")) w.writeLine("void payload;");
    for (const action of actions) writeAction(w, action, agentClass, allFlows, imports);
  });
}

function writeAction(w: CodeBlockWriter, action: AgentAction, agentClass: string, allFlows: readonly Flow[], imports: ImportSet): void {
  const value = (v: Parameters<typeof compileValue>[0]) => {
    if (v.kind !== "literal") imports.namespace("runtime/expr.ts", "$");
    return compileValue(v);
  };
  switch (action.kind) {
    case "set_state":
      w.writeLine(`this.mergeState(${value(action.value)});`);
      return;
    case "broadcast":
      w.writeLine(`this.broadcastJson(${value(action.value)});`);
      return;
    case "http": {
      imports.value("runtime/http-step.ts", "httpCall").namespace("runtime/expr.ts", "$");
      const spec = action.request;
      const fields = [`method: ${q(spec.method)}`, `url: ${textValue(spec.url, value)}`];
      if (spec.headers.length) {
        imports.value("runtime/step-values.ts", "headerValues");
        fields.push(`headers: headerValues({ ${spec.headers.map((h) => `${q(h.key)}: ${value(h.value)}`).join(", ")} })`);
      }
      if (spec.secretHeaders.length) fields.push(`secretHeaders: { ${spec.secretHeaders.map((h) => `${q(h.header)}: ${q(h.secret)}`).join(", ")} }`);
      if (spec.body) fields.push(`body: ${value(spec.body)}`);
      if (spec.expect) fields.push(`expect: [${spec.expect.join(", ")}]`);
      w.writeLine(`await httpCall({ ${fields.join(", ")} }, env);`);
      return;
    }
    case "start": {
      const target = allFlows.find((f) => f.id === action.flow);
      if (!target) throw new Error(`internal: unknown flow ${action.flow} survived the checks`);
      const names: FlowNames = flowNames(target);
      imports.value("runtime/start-request.ts", "prepareOrThrow");
      imports.value(`generated/${names.dir}/input.ts`, `validate${names.pascal}Input`);
      const input = action.input ? value(action.input) : "{}";
      w.write("").block(() => {
        w.writeLine(`const start = prepareOrThrow(validate${names.pascal}Input, { agentName: this.name, input: ${input} });`);
        if (target.agentClass === agentClass) {
          w.writeLine(`await this.${names.startMethod}(start.start);`);
        } else {
          imports.value("agents", "getAgentByName");
          w.writeLine(`const agent = await getAgentByName(this.env.${agentBinding(target.agentClass)}, start.agentName);`);
          w.writeLine(`await agent.${names.startMethod}(start.start);`);
        }
      });
      return;
    }
  }
}

function forActionValues(action: AgentAction, visit: (v: Parameters<RootUses["value"]>[0]) => void): void {
  switch (action.kind) {
    case "set_state":
    case "broadcast":
      visit(action.value);
      return;
    case "http":
      visit(action.request.url);
      visit(action.request.body);
      action.request.headers.forEach((h) => visit(h.value));
      return;
    case "start":
      visit(action.input);
      return;
  }
}

/** `flight-status` → `FLIGHT_STATUS` */
export function constName(id: string): string {
  return id.replace(/-/g, "_").toUpperCase();
}
