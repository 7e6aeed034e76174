import type { CodeBlockWriter, MethodDeclarationStructure, OptionalKind } from "ts-morph";
import { tsMorph } from "../cjs.ts";
import { compileValue } from "../expressions/compile.ts";
import type { AgentAction, Flow } from "../model/types.ts";
import { q } from "./code-text.ts";
import type { ImportSet } from "./import-set.ts";
import { agentBinding, flowNames, type FlowNames } from "./names.ts";
import { urlCode } from "./url-code.ts";
import { RootUses } from "./uses.ts";

const { Scope } = tsMorph;

/**
 * The methods of an Agent class (agent-class.ts), and the poll actions they
 * run. A poll's action list is a method answering one async function per
 * action, in order: the runtime (runtime/action-run.ts) calls them one by
 * one and records each success, so that each runs exactly once.
 */

export function method(
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

export function actionMethod(
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
  const body = (w: CodeBlockWriter) => {
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
    if (actions.length === 0) {
      w.writeLine("return [];");
      return;
    }
    w.writeLine("return [");
    w.indent(() => {
      for (const action of actions) {
        w.write(`async (${action.kind === "start" ? "childId" : ""}) => `).inlineBlock(() => writeAction(w, action, agentClass, allFlows, imports));
        w.write(",").newLine();
      }
    });
    w.writeLine("];");
  };
  return {
    name,
    scope: Scope.Public,
    docs: [doc],
    parameters: [
      { name: "event", type: "PollEvent" },
      { name: "payload", type: "PollPayload" },
    ],
    returnType: "AgentActionFn[]",
    statements: body,
  };
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
      const fields = [`method: ${q(spec.method)}`, `url: ${urlCode(spec.url, value, imports)}`];
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
      // The instance id comes from the ended instance and this action's place, so a repeat finds it and starts nothing new.
      w.writeLine(`const start = prepareOrThrow(validate${names.pascal}Input, { agentName: this.name, input: ${input}, instanceId: childId });`);
      if (target.agentClass === agentClass) {
        w.writeLine(`await this.${names.startMethod}(start.start);`);
      } else {
        imports.value("agents", "getAgentByName");
        w.writeLine(`const agent = await getAgentByName(this.env.${agentBinding(target.agentClass)}, start.agentName);`);
        w.writeLine(`await agent.${names.startMethod}(start.start);`);
      }
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
