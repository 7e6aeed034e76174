import type { DefaultProgress } from "agents/workflows";
import { typeName } from "./expr-values.ts";
import { toJson } from "./step-values.ts";

/**
 * The `report: { progress }` step. The workflow side sends the progress to
 * its owning Agent (AgentWorkflow.reportProgress, inside the step's step.do
 * so it is sent once); the Agent side (FlowAgentBase.recordProgress, called
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
