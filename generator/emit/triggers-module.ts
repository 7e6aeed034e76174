import type { CodeBlockWriter } from "ts-morph";
import { compileValue } from "../expressions/compile.ts";
import type { Auth, CronTrigger, Flow, HttpTrigger, Trigger, Value } from "../model/types.ts";
import { ImportSet } from "./import-set.ts";
import { agentBinding, flowNames, type FlowNames } from "./names.ts";
import { resolveModule, type TsFiles, type TsStatement } from "./ts-files.ts";
import { RootUses } from "./uses.ts";
import { q } from "./code-text.ts";
import { writeTriggerInstance } from "./trigger-instance.ts";

/**
 * `generated/flows/<flow>/triggers.ts`: the Worker side of the flow's http
 * and cron triggers. Each computes what its YAML says (agent name, input,
 * instance id, start time), validates it, and calls the owning agent.
 * Returns the names of the exported route lists.
 */
export function emitTriggersModule(files: TsFiles, flow: Flow): { http?: string; cron?: string } {
  const names = flowNames(flow);
  const path = `${names.dir}/triggers.ts`;
  const http = flow.triggers.filter((t): t is HttpTrigger => t.kind === "http");
  const cron = flow.triggers.filter((t): t is CronTrigger => t.kind === "cron");
  if (http.length === 0 && cron.length === 0) return {};
  const imports = new ImportSet();
  const exported: { http?: string; cron?: string } = {};
  const statements: TsStatement[] = [];

  if (http.length > 0) {
    imports.type("runtime/http-triggers.ts", "HttpRoute");
    exported.http = `${names.camel}Routes`;
    statements.push((w) => {
      w.writeLine(`/** The http triggers of ${flow.id}. */`);
      w.write(`export const ${exported.http}: readonly HttpRoute[] = `);
      writeList(w, http, (t) => writeHttpRoute(w, flow, names, t, imports));
      w.write(";").newLine();
    });
  }
  if (cron.length > 0) {
    imports.type("runtime/http-triggers.ts", "CronRoute");
    exported.cron = `${names.camel}Crons`;
    statements.push((w) => {
      w.blankLineIfLastNot();
      w.writeLine(`/** The cron triggers of ${flow.id}. */`);
      w.write(`export const ${exported.cron}: readonly CronRoute[] = `);
      writeList(w, cron, (t) => writeCronRoute(w, flow, names, t, imports));
      w.write(";").newLine();
    });
  }
  files.add(path, flow.file, { imports: () => imports.declarations((m) => resolveModule(path, m)), groups: [{ statements, separator: "" }] });
  return exported;
}

function writeList<T>(w: CodeBlockWriter, items: readonly T[], write: (item: T) => void): void {
  w.write("[");
  w.indent(() => {
    for (const item of items) {
      write(item);
      w.write(",");
    }
  });
  w.newLine().write("]");
}

function writeHttpRoute(w: CodeBlockWriter, flow: Flow, names: FlowNames, t: HttpTrigger, imports: ImportSet): void {
  w.inlineBlock(() => {
    w.writeLine(`flow: ${q(flow.id)},`);
    w.writeLine(`method: ${q(t.method)},`);
    w.writeLine(`path: ${q(t.path)},`);
    w.writeLine(`auth: ${authValue(t.auth, imports)},`);
    w.write("async handle(request, env) ").inlineBlock(() => {
      declareRoots(w, flow, t);
      if (t.sendEvent) {
        imports.value("runtime/send-event.ts", "sendFlowEvent");
        let instanceId = value(t.sendEvent.instanceId, imports);
        // `instance.id` in the payload is the id of the instance signalled.
        if (new RootUses().value(t.sendEvent.payload).has("instance")) {
          imports.value("runtime/start-request.ts", "triggerInstance");
          w.writeLine(`const instanceId = ${instanceId};`);
          w.writeLine("const instance = triggerInstance(instanceId);");
          instanceId = "instanceId";
        }
        const payload = t.sendEvent.payload ? value(t.sendEvent.payload, imports) : "null";
        w.writeLine(`return sendFlowEvent(env.${flow.workflow.binding}, ${q(flow.id)}, ${instanceId}, ${q(t.sendEvent.type)}, ${payload});`);
        return;
      }
      writeStart(w, flow, names, t, imports, (rejection) => `return ${rejection};`);
      w.writeLine(`return { status: 202, body: await agent.${names.startMethod}(prepared.start) };`);
    });
  });
}

function writeCronRoute(w: CodeBlockWriter, flow: Flow, names: FlowNames, t: CronTrigger, imports: ImportSet): void {
  w.inlineBlock(() => {
    w.writeLine(`flow: ${q(flow.id)},`);
    w.writeLine(`cron: ${q(t.cron)},`);
    w.write("async fire(time, env) ").inlineBlock(() => {
      if (usesRoot(t, "schedule")) w.writeLine("const schedule = { time };");
      else w.writeLine("void time;");
      declareRoots(w, flow, t);
      imports.value("runtime/start-request.ts", "rejectionError");
      writeStart(w, flow, names, t, imports, (rejection) => `throw rejectionError(${rejection});`);
      w.writeLine(`await agent.${names.startMethod}(prepared.start);`);
    });
  });
}

/** prepareStart + the owning agent's stub; leaves `prepared` and `agent` in scope. */
function writeStart(w: CodeBlockWriter, flow: Flow, names: FlowNames, t: Trigger, imports: ImportSet, onReject: (rejection: string) => string): void {
  imports.value("runtime/start-request.ts", "prepareStart");
  imports.value("agents", "getAgentByName");
  imports.value(`generated/${names.dir}/input.ts`, `validate${names.pascal}Input`);
  const instanceId = writeTriggerInstance(w, t, imports, (v) => value(v, imports));
  w.write(`const prepared = prepareStart(validate${names.pascal}Input, `).inlineBlock(() => {
    if (t.agentName) w.writeLine(`agentName: ${value(t.agentName, imports)},`);
    w.writeLine(`input: ${t.input ? value(t.input, imports) : "{}"},`);
    if (instanceId) w.writeLine(`instanceId: ${instanceId},`);
    if (t.delay) w.writeLine(`delaySeconds: ${t.delay.seconds},`);
    if (t.at) w.writeLine(`at: ${value(t.at, imports)},`);
  });
  w.write(");").newLine();
  w.writeLine(`if (!prepared.ok) ${onReject("prepared.rejection")}`);
  w.writeLine(`const agent = await getAgentByName(env.${agentBinding(flow.agentClass)}, prepared.agentName);`);
}

function declareRoots(w: CodeBlockWriter, flow: Flow, t: Trigger): void {
  if (usesRoot(t, "flow")) w.writeLine(`const flow = { name: ${q(flow.id)} };`);
  if (t.kind === "http" && !usesRoot(t, "request")) w.writeLine("void request;");
}

function usesRoot(t: Trigger, root: string): boolean {
  const uses = new RootUses().value(t.input).value(t.agentName).value(t.instanceId).value(t.at);
  if (t.kind === "http" && t.sendEvent) uses.value(t.sendEvent.instanceId).value(t.sendEvent.payload);
  return uses.has(root);
}

function value(v: Value, imports: ImportSet): string {
  if (v.kind !== "literal") imports.namespace("runtime/expr.ts", "$");
  return compileValue(v);
}

/** The route's RouteAuth (runtime/auth.ts): one maker per kind, so a bundle holds only the checks its triggers use. */
function authValue(auth: Auth, imports: ImportSet): string {
  switch (auth.kind) {
    case "none":
      imports.value("runtime/auth.ts", "noAuth");
      return "noAuth";
    case "bearer":
      imports.value("runtime/auth.ts", "bearerAuth");
      return `bearerAuth(${q(auth.secret)})`;
    case "hmac":
      imports.value("runtime/auth.ts", "hmacAuth");
      return `hmacAuth({ secret: ${q(auth.secret)}, header: ${q(auth.header)}, prefix: ${q(auth.prefix)}, algorithm: ${q(auth.algorithm)} })`;
  }
}
