import type { Flow, SocketAuth } from "../model/types.ts";
import { socketGrant } from "./agent-websocket.ts";
import { q } from "./code-text.ts";
import { ImportSet } from "./import-set.ts";
import { agentFile, flowNames, kebabCase } from "./names.ts";
import { importText, resolveModule, type TsFiles, type TsStatement } from "./ts-files.ts";

export interface FlowExports {
  readonly flow: Flow;
  readonly http?: string;
  readonly cron?: string;
}

/** `export { name } from "module";` as ts-morph prints an ExportDeclaration. */
function exportText(module: string, name: string): string {
  return `export { ${name} } from ${JSON.stringify(module)};`;
}

/**
 * `generated/worker.ts`: the Worker entry. It exports every Agent and
 * Workflow class (wrangler binds them by name), routes http triggers,
 * then `/agents/…` (WebSocket clients, admitted by the auths each Agent's
 * flows declare, `agentAccess`: runtime/websocket-access.ts refuses the rest
 * before an Agent is woken), and runs cron triggers
 * (its `scheduled` handler exists only when a flow has one: wrangler.jsonc
 * lists exactly those crons, so without them nothing calls it).
 */
export function emitWorkerEntry(files: TsFiles, flows: readonly FlowExports[], agentClasses: readonly string[]): void {
  const path = "worker.ts";
  const imports = new ImportSet()
    .value("runtime/websocket-access.ts", "serveAgentRequest")
    .type("runtime/websocket-access.ts", "AgentAccess")
    .value("runtime/http-triggers.ts", "dispatchHttp")
    .value("runtime/responses.ts", "notFound")
    .type("runtime/http-triggers.ts", "HttpRoute");
  const routes: string[] = [];
  const crons: string[] = [];
  for (const entry of flows) {
    const module = `generated/${flowNames(entry.flow).dir}/triggers.ts`;
    if (entry.http) {
      imports.value(module, entry.http);
      routes.push(`...${entry.http}`);
    }
    if (entry.cron) {
      imports.value(module, entry.cron);
      crons.push(`...${entry.cron}`);
    }
  }
  if (crons.length > 0) imports.value("runtime/http-triggers.ts", "dispatchCron").type("runtime/http-triggers.ts", "CronRoute");
  const declarations = imports.declarations((m) => resolveModule(path, m)).map(importText);
  const statements: TsStatement[] = [];
  for (const agentClass of agentClasses) {
    statements.push(exportText(resolveModule(path, `generated/${agentFile(agentClass)}`), agentClass));
  }
  for (const { flow } of flows) {
    if (flow.workflow.script) continue; // it lives, and is exported, in another Worker
    statements.push(exportText(resolveModule(path, `generated/${flowNames(flow).dir}/workflow.ts`), flow.workflow.className));
  }

  statements.push((w) => {
    w.writeLine(`const routes: readonly HttpRoute[] = [${routes.join(", ")}];`);
    if (crons.length > 0) w.writeLine(`const crons: readonly CronRoute[] = [${crons.join(", ")}];`);
    w.writeLine("/** Who may open a WebSocket to each Agent: the auths of its flows' websocket triggers and watch (none: it refuses every connection). */");
    w.write("const agentAccess: AgentAccess = ").inlineBlock(() => {
      for (const agentClass of agentClasses) {
        const auths = socketAuths(flows.map((f) => f.flow).filter((f) => f.agentClass === agentClass));
        w.writeLine(`${q(kebabCase(agentClass))}: [${auths.map(authText).join(", ")}],`);
      }
    });
    w.write(";").newLine();
    w.blankLine();
    w.write("export default ").inlineBlock(() => {
      w.write("async fetch(request, env): Promise<Response> ").inlineBlock(() => {
        w.writeLine("return (await dispatchHttp(routes, request, env)) ?? (await serveAgentRequest(request, env, agentAccess)) ?? notFound();");
      });
      w.write(",").newLine();
      if (crons.length === 0) return;
      w.write("async scheduled(controller, env): Promise<void> ").inlineBlock(() => {
        w.writeLine("await dispatchCron(crons, controller, env);");
      });
      w.write(",").newLine();
    });
    w.write(" satisfies ExportedHandler<Env>;").newLine();
  });
  // The layout of the ts-morph manipulations this replaced: no blank line before the handler.
  // (The re-exports are text, like the imports: one per flow, so printStructure's cost per call showed.)
  const exported = statements.length > 1;
  files.add(path, "definitions/", { groups: exported ? [declarations, statements] : [[...declarations, ...statements]] });
}

/** The distinct auths of the hosted flows' websocket triggers and watches, in a fixed order. */
function socketAuths(hosted: readonly Flow[]): SocketAuth[] {
  const byGrant = new Map<string, SocketAuth>();
  for (const flow of hosted) {
    for (const t of flow.triggers) if (t.kind === "websocket") byGrant.set(socketGrant(t.auth), t.auth);
    if (flow.watch) byGrant.set(socketGrant(flow.watch.auth), flow.watch.auth);
  }
  return [...byGrant].sort(([a], [b]) => a.localeCompare(b)).map(([, auth]) => auth);
}

function authText(auth: SocketAuth): string {
  return auth.kind === "none" ? '{ kind: "none" }' : `{ kind: "bearer", secret: ${q(auth.secret)} }`;
}
