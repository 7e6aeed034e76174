import type { DefaultProgress } from "agents/workflows";
import { typeName } from "./expr-values.ts";
import type { FlowAgentState, FlowRef } from "./flow-agent.ts";
import { toJson } from "./step-values.ts";

/**
 * The `report: { progress }` step. The workflow side (progressValue) sends the
 * progress to its owning Agent (AgentWorkflow.reportProgress, inside the
 * step's step.do so it is sent once); the Agent side (recordProgress, called
 * from the generated onWorkflowProgress) keeps the latest progress per flow
 * in its state and broadcasts it to its WebSocket clients.
 */

/** The progress object as the Agents SDK types it; any JSON object is accepted. */
export function progressValue(stepId: string, value: unknown): DefaultProgress {
  const json = toJson(value);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new TypeError(`report ${stepId}: progress must be an object, got ${typeName(json)}`);
  }
  return json as DefaultProgress;
}

/** The message an Agent broadcasts for each report. */
export interface ProgressMessage {
  readonly type: "flow-progress";
  readonly flow: string;
  readonly instance_id: string;
  readonly progress: unknown;
}

/** What the Agent's state holds under `progress.<flow>`: the latest report of that flow. */
export interface ProgressEntry {
  readonly instance_id: string;
  readonly progress: unknown;
}

/** The parts of a flow Agent that recordProgress uses. */
export interface ProgressHost {
  readonly state: FlowAgentState;
  setState(state: FlowAgentState): void;
  broadcast(message: string): void;
}

/**
 * The body of the generated onWorkflowProgress (a flow's `report:` step):
 * keeps the latest progress of each flow in the agent's state, under
 * `progress.<flow>` (so `useAgent` clients see it), and broadcasts a
 * `flow-progress` message to every connected client.
 */
export function recordProgress(agent: ProgressHost, flows: readonly FlowRef[], workflowName: string, instanceId: string, progress: unknown): void {
  const flow = flows.find((f) => f.binding === workflowName)?.flow ?? workflowName;
  const current = agent.state["progress"];
  const byFlow = current !== null && typeof current === "object" && !Array.isArray(current) ? current : {};
  const entry: ProgressEntry = { instance_id: instanceId, progress };
  agent.setState({ ...agent.state, progress: { ...byFlow, [flow]: entry } });
  const message: ProgressMessage = { type: "flow-progress", flow, instance_id: instanceId, progress };
  agent.broadcast(JSON.stringify(message));
}
