import { routeAgentRequest } from "agents";
import { handleFlightRequest } from "./flight.ts";
import { handleOrderRequest } from "./orders.ts";

/** The hand-written app with both benchmark flows: the run-time benchmark's reference (bench/runtime/). */
export { HandFlightAgent, HandFlightWorkflow } from "./flight.ts";
export { HandOrderAgent, HandOrderWorkflow } from "./orders.ts";

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/flights") return handleFlightRequest(request, env);
    if (request.method === "POST" && pathname === "/bench/orders") return handleOrderRequest(request, env);
    return (await routeAgentRequest(request, env)) ?? new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler<Cloudflare.Env>;
