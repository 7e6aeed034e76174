import { routeAgentRequest } from "agents";
import { handleFlightRequest } from "./flight.ts";

/** The hand-written flight-status app on its own: the size benchmark's reference (bench/size/). */
export { HandFlightAgent, HandFlightWorkflow } from "./flight.ts";

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/flights") return handleFlightRequest(request, env);
    return (await routeAgentRequest(request, env)) ?? new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler<Cloudflare.Env>;
