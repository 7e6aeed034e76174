import type { Flow } from "../model/types.ts";
import { ImportSet } from "./import-set.ts";
import { agentFile, flowNames } from "./names.ts";
import { resolveModule, type TsFiles } from "./ts-files.ts";

export interface FlowExports {
  readonly flow: Flow;
  readonly http?: string;
  readonly cron?: string;
}

/**
 * `generated/worker.ts`: the Worker entry. It exports every Agent and
 * Workflow class (wrangler binds them by name), routes http triggers,
 * then the Agents SDK's own routes (WebSocket clients), and runs cron triggers.
 */
export function emitWorkerEntry(files: TsFiles, flows: readonly FlowExports[], agentClasses: readonly string[]): void {
  const path = "worker.ts";
  const file = files.create(path, "definitions/");
  const imports = new ImportSet()
    .value("agents", "routeAgentRequest")
    .value("runtime/http-triggers.ts", "dispatchCron")
    .value("runtime/http-triggers.ts", "dispatchHttp")
    .value("runtime/responses.ts", "notFound")
    .type("runtime/http-triggers.ts", "CronRoute")
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
  file.addImportDeclarations(imports.declarations((m) => resolveModule(path, m)));

  for (const agentClass of agentClasses) {
    file.addExportDeclaration({ moduleSpecifier: resolveModule(path, `generated/${agentFile(agentClass)}`), namedExports: [agentClass] });
  }
  for (const { flow } of flows) {
    if (flow.workflow.script) continue; // it lives, and is exported, in another Worker
    file.addExportDeclaration({
      moduleSpecifier: resolveModule(path, `generated/${flowNames(flow).dir}/workflow.ts`),
      namedExports: [flow.workflow.className],
    });
  }

  file.addStatements((w) => {
    w.writeLine(`const routes: readonly HttpRoute[] = [${routes.join(", ")}];`);
    w.writeLine(`const crons: readonly CronRoute[] = [${crons.join(", ")}];`);
    w.blankLine();
    w.write("export default ").inlineBlock(() => {
      w.write("async fetch(request, env): Promise<Response> ").inlineBlock(() => {
        w.writeLine("return (await dispatchHttp(routes, request, env)) ?? (await routeAgentRequest(request, env)) ?? notFound();");
      });
      w.write(",").newLine();
      w.write("async scheduled(controller, env): Promise<void> ").inlineBlock(() => {
        w.writeLine("await dispatchCron(crons, controller, env);");
      });
      w.write(",").newLine();
    });
    w.write(" satisfies ExportedHandler<Env>;").newLine();
  });
}
