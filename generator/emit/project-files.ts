import type { Flow, Project } from "../model/types.ts";
import { emitAgentClass } from "./agent-class.ts";
import { emitInputModule } from "./input-module.ts";
import { agentBinding } from "./names.ts";
import { emitTriggersModule } from "./triggers-module.ts";
import { TsFiles } from "./ts-files.ts";
import { emitWorkerEntry, type FlowExports } from "./worker-entry.ts";
import { emitWorkflowClass } from "./workflow-class.ts";
import type { DesiredConfig } from "./wrangler-config.ts";
import { secretNames } from "./secret-names.ts";
import { flowSteps, someStep } from "../model/walk.ts";
import { calledWithWait, EMAIL_BINDING } from "./workflow-calls.ts";
import { DEFAULT_STEP_LIMIT } from "../model/build-flow.ts";
import { emitPictures } from "../book/flow-book.ts";

export interface EmittedProject {
  /** File path relative to generated/ → content. */
  readonly files: ReadonlyMap<string, string>;
  /** What wrangler.jsonc must say for these flows. */
  readonly wrangler: DesiredConfig;
}

/** Stage 5: every generated file and the wrangler bindings, from a checked model. */
export function emitProject(project: Project): EmittedProject {
  const flows = [...project.flows].sort((a, b) => a.id.localeCompare(b.id));
  const ts = new TsFiles();
  const extra = new Map<string, string>();
  const exports: FlowExports[] = [];
  const waitedFor = calledWithWait(flows, flowSteps);
  for (const flow of flows) {
    for (const [path, text] of emitInputModule(ts, flow)) extra.set(path, text);
    if (!flow.workflow.script) emitWorkflowClass(ts, flow, { flows, reportsToCaller: waitedFor.has(flow.id) });
    exports.push({ flow, ...emitTriggersModule(ts, flow) });
  }
  const agents = agentClasses(flows);
  for (const [agentClass, hosted] of agents) emitAgentClass(ts, agentClass, hosted, flows);
  emitWorkerEntry(ts, exports, [...agents.keys()]);
  for (const [path, text] of emitPictures(flows)) extra.set(path, text);

  const files = new Map([...ts.print(), ...extra]);
  return { files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), wrangler: desiredConfig(flows, [...agents.keys()]) };
}

function agentClasses(flows: readonly Flow[]): Map<string, Flow[]> {
  const byClass = new Map<string, Flow[]>();
  for (const flow of flows) byClass.set(flow.agentClass, [...(byClass.get(flow.agentClass) ?? []), flow]);
  return new Map([...byClass].sort(([a], [b]) => a.localeCompare(b)));
}

function desiredConfig(flows: readonly Flow[], agents: readonly string[]): DesiredConfig {
  const crons = new Set<string>();
  for (const flow of flows) for (const t of flow.triggers) if (t.kind === "cron") crons.add(t.cron);
  const email = flows.some((f) => someStep(f, (s) => s.kind === "email"));
  return {
    main: "generated/worker.ts",
    workflows: flows.map((f) => ({
      name: f.workflow.name,
      binding: f.workflow.binding,
      class_name: f.workflow.className,
      ...(f.workflow.script ? { script_name: f.workflow.script } : {}),
      ...(f.workflow.stepLimit !== DEFAULT_STEP_LIMIT ? { limits: { steps: f.workflow.stepLimit } } : {}),
    })),
    durableObjects: agents.map((a) => ({ name: agentBinding(a), class_name: a })),
    crons: [...crons].sort(),
    secretsRequired: secretNames(flows),
    ...(email ? { extra: { bindings: { send_email: [{ name: EMAIL_BINDING }] } } } : {}),
  };
}
