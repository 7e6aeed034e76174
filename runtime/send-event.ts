import { instanceIdProblem, type Rejection } from "./start-request.ts";

/**
 * The `send_event` form of an http trigger: delivers an event to a running
 * instance (an approval, say) instead of starting a new one.
 */

export interface EventDelivered {
  readonly status: 202;
  readonly body: { readonly flow: string; readonly instance_id: string; readonly event: string };
}

const FINISHED = new Set(["complete", "errored", "terminated"]);

export async function sendFlowEvent(
  workflow: Workflow,
  flow: string,
  instanceIdValue: unknown,
  type: string,
  payload: unknown,
): Promise<EventDelivered | Rejection> {
  const instanceId = instanceIdProblem(instanceIdValue);
  if (typeof instanceId !== "string") return instanceId;
  let instance: WorkflowInstance;
  try {
    instance = await workflow.get(instanceId);
  } catch {
    return { status: 404, body: { error: "unknown_instance", reason: `no instance ${instanceId} of flow ${flow}` } };
  }
  const { status } = await instance.status();
  if (FINISHED.has(status)) {
    return { status: 409, body: { error: "instance_finished", reason: `instance ${instanceId} is already ${status}` } };
  }
  // Request-derived objects have a null prototype (see safe-json.ts), which RPC
  // refuses to serialise; a structured clone gives plain objects with the same data.
  await instance.sendEvent({ type, payload: structuredClone(payload ?? null) });
  return { status: 202, body: { flow, instance_id: instanceId, event: type } };
}
