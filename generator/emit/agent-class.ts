import type { ClassDeclarationStructure, MethodDeclarationStructure, OptionalKind, VariableStatementStructure } from "ts-morph";
import { tsMorph } from "../cjs.ts";
import type { Flow } from "../model/types.ts";
import { actionMethod, method } from "./agent-actions.ts";
import { ImportSet } from "./import-set.ts";
import { agentFile, flowNames } from "./names.ts";
import { PRINT, resolveModule, type TsFiles } from "./ts-files.ts";
import { progressMethod, websocketMethods } from "./agent-websocket.ts";
import { someStep } from "../model/walk.ts";
import { q } from "./code-text.ts";

const { printStructure, StructureKind, VariableDeclarationKind } = tsMorph;

/**
 * `generated/agents/<agent>.ts`: one Agent class hosting the triggers,
 * delayed starts and polls of every flow that names it. Each flow gets named
 * methods (startX, startScheduledX, pollX, onXComplete, onXError); the shared
 * bookkeeping is in runtime/flow-agent.ts.
 */
/** What one hosted flow adds to its agent class's file, printed: made once per flow and reused while the flow is unchanged (watch mode). */
export interface AgentFlowPart {
  /** Its constants (`FLIGHT_STATUS`, `FLIGHT_STATUS_POLL`), one statement a line. */
  readonly constants: string;
  /** Its methods as class members (indented, a blank line between). */
  readonly members: string;
  /** What they import. */
  readonly imports: ImportSet;
}

export function emitAgentClass(
  files: TsFiles,
  agentClass: string,
  hosted: readonly Flow[],
  allFlows: readonly Flow[],
  partOf: (flow: Flow) => AgentFlowPart = (flow) => agentFlowPart(flow, allFlows),
): void {
  const path = agentFile(agentClass);
  const imports = new ImportSet()
    .value("runtime/flow-agent.ts", "FlowAgentBase")
    .type("runtime/flow-agent.ts", "FlowStart")
    .type("runtime/flow-agent.ts", "ScheduledStart")
    .type("runtime/flow-agent.ts", "StartResult");
  const parts = hosted.map(partOf);
  for (const part of parts) imports.add(part.imports);
  const tail: OptionalKind<MethodDeclarationStructure>[] = [];
  const reporting = hosted.filter((flow) => someStep(flow, (s) => s.kind === "report")).map((flow) => constName(flow.id));
  if (reporting.length > 0) tail.push(progressMethod(reporting, imports));
  tail.push(...websocketMethods(hosted, agentClass, imports));

  // The class as printStructure prints it whole: its shell, then every member, a blank line between.
  const shell: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: agentClass,
    isExported: true,
    extends: "FlowAgentBase",
    docs: [`Hosts the triggers and polls of: ${hosted.map((f) => f.id).join(", ")}.`],
  };
  const classText = (): string => {
    const members = [...parts.map((p) => p.members), ...(tail.length > 0 ? [printMembers(tail)] : [])].filter((m) => m !== "");
    const empty = printStructure(shell, PRINT);
    return members.length === 0 ? empty : `${empty.slice(0, -1)}${members.join("\n\n")}\n}`;
  };
  files.add(path, hosted.map((f) => f.file).join(", "), {
    imports: () => imports.declarations((m) => resolveModule(path, m)),
    groups: [parts.map((p) => p.constants).filter((c) => c !== ""), [{ lazy: classText }]],
  });
}

/** A hosted flow's constants and methods (start, delayed start, poll and its actions), printed. */
export function agentFlowPart(flow: Flow, allFlows: readonly Flow[]): AgentFlowPart {
  const agentClass = flow.agentClass;
  const imports = new ImportSet();
  const methods: OptionalKind<MethodDeclarationStructure>[] = [];
  const constants: VariableStatementStructure[] = [];
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
      declarations: [{ name: pollRef, initializer: `{ ${spec}, method: ${q(names.pollMethod)}, onComplete: ${q(names.onCompleteMethod)}, onError: ${q(names.onErrorMethod)} } as const` }],
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
    imports
      .type("agents", "Schedule")
      .type("runtime/flow-agent.ts", "AgentActionFn")
      .type("runtime/flow-agent.ts", "PollEvent")
      .type("runtime/flow-agent.ts", "PollPayload");
    methods.push(
      method(names.pollMethod, [["payload", "PollPayload"], ["schedule", "Schedule<PollPayload>"]], "Promise<void>", `Schedule callback: checks an instance of ${flow.id} until it ends.`, (w) =>
        w.writeLine(`await this.pollFlow(${ref}, ${pollRef}, payload, schedule);`),
      ),
      actionMethod(names.onCompleteMethod, `Poll: the actions once an instance of ${flow.id} completed (each runs once; see runtime/action-run.ts).`, flow, flow.poll.onComplete, agentClass, allFlows, imports),
      actionMethod(names.onErrorMethod, `Poll: the actions once an instance of ${flow.id} errored or was terminated (each runs once).`, flow, flow.poll.onError, agentClass, allFlows, imports),
    );
  }
  return { constants: constants.map((c) => printStructure(c, PRINT)).join("\n"), members: printMembers(methods), imports };
}

/** Methods as printStructure prints them inside a class: indented, a blank line between. */
function printMembers(methods: OptionalKind<MethodDeclarationStructure>[]): string {
  const text = printStructure({ kind: StructureKind.Class, name: "Members", methods }, PRINT);
  return text.slice(text.indexOf("\n") + 1, text.lastIndexOf("\n"));
}

/** `flight-status` → `FLIGHT_STATUS` */
export function constName(id: string): string {
  return id.replace(/-/g, "_").toUpperCase();
}
