import type { Flow, Project } from "../model/types.ts";
import { type AgentFlowPart, agentFlowPart, emitAgentClass } from "./agent-class.ts";
import { emitInputModule } from "./input-module.ts";
import { agentBinding } from "./names.ts";
import { emitTriggersModule } from "./triggers-module.ts";
import { TsFiles } from "./ts-files.ts";
import { emitWorkerEntry, type FlowExports } from "./worker-entry.ts";
import { emitWorkflowClass, type WorkflowClassOptions } from "./workflow-class.ts";
import type { DesiredConfig } from "./wrangler-config.ts";
import { secretNames } from "./secret-names.ts";
import { flowSteps, someStep } from "../model/walk.ts";
import { calledWithWait, EMAIL_BINDING } from "./workflow-calls.ts";
import { DEFAULT_STEP_LIMIT } from "../model/build-flow.ts";
import { bookPage, flowPictures } from "../book/flow-book.ts";
import { startersByFlow } from "../diagrams/callers.ts";
import type { RunHooks } from "../frontend.ts";
import { type StageTimings, timed } from "../timings.ts";

export interface EmittedProject {
  /** File path relative to generated/ → content. */
  readonly files: ReadonlyMap<string, string>;
  /** What wrangler.jsonc must say for these flows. */
  readonly wrangler: DesiredConfig;
}

/** What one flow contributes: its own files, the route lists its triggers module exports, its chapter of the book. */
export interface FlowOutput {
  /** By path relative to generated/: input.ts and its validator, workflow.ts, triggers.ts, the diagram. */
  readonly files: ReadonlyMap<string, string>;
  readonly exports: { readonly http?: string; readonly cron?: string };
  readonly section: string;
}

/**
 * Stage 5: every generated file and the wrangler bindings, from a checked
 * model. With watch mode's cache, a flow's files are made again only when
 * something they are made from changed: the flow, the flows it calls, and
 * what other flows say about it (a caller waits for it, who starts it);
 * likewise each agent class's file. The rest is assembled every time.
 * `onFile` hears each file as soon as it is made (the pipeline's background
 * writer starts on it while the rest is emitted).
 */
export function emitProject(project: Project, hooks: RunHooks = {}, onFile?: (path: string, text: string) => void): EmittedProject {
  const { timings, cache } = hooks;
  const flows = sortedFlows(project);
  // `call:` and poll `start` name a flow by id; the first in id order is the one emitters look up.
  const byId = new Map<string, Flow>();
  for (const flow of flows) if (!byId.has(flow.id)) byId.set(flow.id, flow);
  const waitedFor = calledWithWait(flows, flowSteps);
  const starters = startersByFlow(flows);
  const files = new Map<string, string>();
  const add = (path: string, text: string): void => {
    files.set(path, text);
    onFile?.(path, text);
  };
  const exports: FlowExports[] = [];
  const sections: string[] = [];
  for (const flow of flows) {
    const reportsToCaller = waitedFor.has(flow.id);
    const startedBy = starters.get(flow.id) ?? [];
    const make = (): FlowOutput => emitFlow(flow, { flows, reportsToCaller }, startedBy, timings);
    const called = flowSteps(flow).flatMap((s) => (s.kind === "call" ? [byId.get(s.flow)] : []));
    const out = cache ? cache.flowOutputs.get(flow.file, [flow, reportsToCaller, startedBy.join("\n"), ...called], make) : make();
    for (const [path, text] of out.files) add(path, text);
    exports.push({ flow, ...out.exports });
    sections.push(out.section);
  }
  const agents = agentClasses(flows);
  const started = (f: Flow): (Flow | undefined)[] =>
    [...(f.poll?.onComplete ?? []), ...(f.poll?.onError ?? [])].flatMap((a) => (a.kind === "start" ? [byId.get(a.flow)] : []));
  const partOf = (flow: Flow): AgentFlowPart => {
    const make = (): AgentFlowPart => timed(timings, "print", () => agentFlowPart(flow, flows));
    return cache ? cache.agentParts.get(flow.file, [flow, ...started(flow)], make) : make();
  };
  for (const [agentClass, hosted] of agents) {
    const make = (): ReadonlyMap<string, string> => {
      const ts = new TsFiles();
      emitAgentClass(ts, agentClass, hosted, flows, partOf);
      return timed(timings, "print", () => ts.print());
    };
    for (const [path, text] of cache ? cache.agentFiles.get(agentClass, [...hosted, ...hosted.flatMap(started)], make) : make()) add(path, text);
  }
  const ts = new TsFiles();
  emitWorkerEntry(ts, exports, [...agents.keys()]);
  for (const [path, text] of timed(timings, "print", () => ts.print())) add(path, text);
  add("flow-book.html", bookPage(flows, sections));
  return { files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), wrangler: desiredConfig(flows, [...agents.keys()]) };
}

/** What wrangler.jsonc must say for the project's flows (the same as emitProject's `wrangler`, without emitting anything). */
export function projectConfig(project: Project): DesiredConfig {
  const flows = sortedFlows(project);
  return desiredConfig(flows, [...agentClasses(flows).keys()]);
}

function sortedFlows(project: Project): Flow[] {
  return [...project.flows].sort((a, b) => a.id.localeCompare(b.id));
}

function emitFlow(flow: Flow, options: WorkflowClassOptions, startedBy: readonly string[], timings: StageTimings | undefined): FlowOutput {
  const ts = new TsFiles();
  const files = new Map(emitInputModule(ts, flow));
  if (!flow.workflow.script) emitWorkflowClass(ts, flow, options);
  const exported = emitTriggersModule(ts, flow);
  for (const [path, text] of timed(timings, "print", () => ts.print())) files.set(path, text);
  const { diagram, section } = flowPictures(flow, startedBy);
  files.set(`diagrams/${flow.id}.mmd`, diagram);
  return { files, exports: exported, section };
}

function agentClasses(flows: readonly Flow[]): Map<string, Flow[]> {
  const byClass = new Map<string, Flow[]>();
  for (const flow of flows) {
    const hosted = byClass.get(flow.agentClass);
    if (hosted) hosted.push(flow);
    else byClass.set(flow.agentClass, [flow]);
  }
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
