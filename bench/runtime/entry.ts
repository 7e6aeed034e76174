import generated from "../results/runtime/project/generated/worker.ts";
import hand from "./hand/worker.ts";

/**
 * The benchmark Worker: the generated Worker of flight-status + steps-50
 * (bench-runtime.ts generates it into bench/results/runtime/project/ before
 * the run) and the hand-written app, side by side in one isolate so both
 * run under identical conditions. Requests to host `hand.test` go to the
 * hand-written fetch handler, all others to the generated one.
 */
export { FlightAgent, FlowAgent, FlightStatusWorkflow, Steps50Workflow } from "../results/runtime/project/generated/worker.ts";
export { HandFlightAgent, HandFlightWorkflow, HandOrderAgent, HandOrderWorkflow } from "./hand/worker.ts";

export const HAND_HOST = "hand.test";

export default {
  async fetch(request, env): Promise<Response> {
    return new URL(request.url).hostname === HAND_HOST ? hand.fetch(request, env) : generated.fetch(request, env);
  },
} satisfies ExportedHandler<Cloudflare.Env>;
