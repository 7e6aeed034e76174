import type { CodeBlockWriter, MethodDeclarationStructure, OptionalKind } from "ts-morph";
import { tsMorph } from "../cjs.ts";
import { compileValue } from "../expressions/compile.ts";
import type { Flow, SocketAuth, Value, WebsocketTrigger } from "../model/types.ts";
import { q } from "./code-text.ts";
import type { ImportSet } from "./import-set.ts";
import { agentBinding, flowNames, pascalCase } from "./names.ts";
import { writeTriggerInstance } from "./trigger-instance.ts";
import { RootUses } from "./uses.ts";

const { Scope } = tsMorph;

/**
 * The Agent side of WebSocket triggers and progress reports:
 * - `onMessage` hands each frame to answerTriggerMessage (runtime/
 *   websocket-triggers.ts, imported only by agents with such triggers) with
 *   one named method per trigger (`onBookFlightMessage`), which computes the
 *   trigger's values with `message` in scope, validates them and starts the
 *   flow in this agent (or in the agent `agent_name` names);
 * - `onWorkflowProgress` records and broadcasts `report:` steps (recordProgress,
 *   runtime/progress.ts).
 */

export function websocketMethods(hosted: readonly Flow[], agentClass: string, imports: ImportSet): OptionalKind<MethodDeclarationStructure>[] {
  const triggers = hosted.flatMap((flow) => flow.triggers.filter((t): t is WebsocketTrigger => t.kind === "websocket").map((trigger) => ({ flow, trigger })));
  if (triggers.length === 0) return [];
  imports.type("agents", "Connection").type("agents", "WSMessage").type("runtime/websocket-triggers.ts", "TriggerMessage");
  imports.value("runtime/websocket-triggers.ts", "answerTriggerMessage");
  imports.type("runtime/start-request.ts", "Rejection").value("runtime/start-request.ts", "prepareStart");
  const used = new Set<string>();
  const handlers: { type: string; method: string; grant: string }[] = [];
  const methods: OptionalKind<MethodDeclarationStructure>[] = [];
  for (const { flow, trigger } of triggers) {
    // Two flows of one agent cannot both answer a type; the first in flow order wins (the checker reports the clash).
    if (handlers.some((h) => h.type === trigger.messageType)) continue;
    let method = `on${pascalCase(trigger.messageType)}Message`;
    for (let n = 2; used.has(method); n++) method = `on${pascalCase(trigger.messageType)}Message${n}`;
    used.add(method);
    handlers.push({ type: trigger.messageType, method, grant: socketGrant(trigger.auth) });
    methods.push({
      name: method,
      isAsync: true,
      scope: Scope.Public,
      docs: [`WebSocket trigger \`${trigger.messageType}\`: starts ${flow.id}.`],
      parameters: [{ name: "message", type: "TriggerMessage" }],
      returnType: "Promise<StartResult | Rejection>",
      statements: (w) => writeTrigger(w, flow, trigger, agentClass, imports),
    });
  }
  const onMessage: OptionalKind<MethodDeclarationStructure> = {
    name: "onMessage",
    isAsync: true,
    hasOverrideKeyword: true,
    scope: Scope.Public,
    docs: ["WebSocket messages `{\"type\": …}`: each type starts a flow, if the connection presented that trigger's token (`auth`); the reply goes back on the same connection."],
    parameters: [
      { name: "connection", type: "Connection" },
      { name: "message", type: "WSMessage" },
    ],
    returnType: "Promise<void>",
    statements: (w) => {
      w.write("await answerTriggerMessage(connection, message, ").inlineBlock(() => {
        for (const h of handlers) w.writeLine(`${q(h.type)}: { auth: ${q(h.grant)}, start: (parsed) => this.${h.method}(parsed) },`);
      });
      w.write(");").newLine();
    },
  };
  return [onMessage, ...methods];
}

/** What a connection must have been granted to use an auth (runtime/agent-connections.ts): `none` or the secret's name. */
export function socketGrant(auth: SocketAuth): string {
  return auth.kind === "none" ? "none" : auth.secret;
}

function writeTrigger(w: CodeBlockWriter, flow: Flow, t: WebsocketTrigger, agentClass: string, imports: ImportSet): void {
  const names = flowNames(flow);
  const uses = new RootUses().value(t.input).value(t.agentName).value(t.instanceId).value(t.at);
  imports.value(`generated/${names.dir}/input.ts`, `validate${names.pascal}Input`);
  if (uses.has("flow")) w.writeLine(`const flow = { name: ${q(flow.id)} };`);
  if (uses.has("env")) w.writeLine("const env = this.env;");
  if (!uses.has("message")) w.writeLine("void message;");
  const instanceId = writeTriggerInstance(w, t, imports, (v) => value(v, imports));
  w.write(`const prepared = prepareStart(validate${names.pascal}Input, `).inlineBlock(() => {
    // Without agent_name the flow runs in this agent: the one the client is connected to.
    w.writeLine(`agentName: ${t.agentName ? value(t.agentName, imports) : "this.name"},`);
    w.writeLine(`input: ${t.input ? value(t.input, imports) : "{}"},`);
    if (instanceId) w.writeLine(`instanceId: ${instanceId},`);
    if (t.delay) w.writeLine(`delaySeconds: ${t.delay.seconds},`);
    if (t.at) w.writeLine(`at: ${value(t.at, imports)},`);
  });
  w.write(");").newLine();
  w.writeLine("if (!prepared.ok) return prepared.rejection;");
  if (!t.agentName) {
    w.writeLine(`return this.${names.startMethod}(prepared.start);`);
    return;
  }
  w.writeLine(`if (prepared.agentName === this.name) return this.${names.startMethod}(prepared.start);`);
  imports.value("agents", "getAgentByName");
  w.writeLine(`const agent = await getAgentByName(this.env.${agentBinding(agentClass)}, prepared.agentName);`);
  w.writeLine(`return agent.${names.startMethod}(prepared.start);`);
}

/** `onWorkflowProgress` when a hosted flow has `report:` steps; `refs` are the flows' FlowRef constants. */
export function progressMethod(refs: readonly string[], imports: ImportSet): OptionalKind<MethodDeclarationStructure> {
  imports.value("runtime/progress.ts", "recordProgress");
  return {
    name: "onWorkflowProgress",
    isAsync: true,
    hasOverrideKeyword: true,
    scope: Scope.Public,
    docs: ["`report:` steps: the latest progress of each flow goes into the state (`progress.<flow>`) and to every client."],
    parameters: [
      { name: "workflowName", type: "string" },
      { name: "instanceId", type: "string" },
      { name: "progress", type: "unknown" },
    ],
    returnType: "Promise<void>",
    statements: (w) => w.writeLine(`recordProgress(this, [${refs.join(", ")}], workflowName, instanceId, progress);`),
  };
}

function value(v: Value, imports: ImportSet): string {
  if (v.kind !== "literal") imports.namespace("runtime/expr.ts", "$");
  return compileValue(v);
}
