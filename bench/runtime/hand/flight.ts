import { Agent, getAgentByName, type Schedule } from "agents";
import { AgentWorkflow, type AgentWorkflowEvent, type AgentWorkflowStep } from "agents/workflows";
import { getJson, hasBearer, isObject, jsonBody, reply } from "./http.ts";

/**
 * The flight-status flow written by hand with the Agents SDK: the same
 * behaviour as definitions/flight-status.yaml (POST /flights with a bearer
 * token, the user's own agent starts the check five minutes later, a
 * `lookup` step with 5 exponential retries and a 30 s timeout, a `facts`
 * step, a poll every five minutes that stores the result in the agent's
 * state), in the shape a Workers developer would give it.
 */

export interface FlightCheck {
  readonly user: string;
  readonly flight: string;
  readonly date: string;
  readonly notify: boolean;
}

export interface FlightResult {
  readonly flight: string;
  readonly date: string;
  readonly status: string | null;
  readonly delayed: boolean;
}

interface FlightState {
  readonly flight?: string;
  readonly result?: unknown;
  readonly error?: unknown;
}

interface PendingCheck {
  readonly id: string;
  readonly check: FlightCheck;
}

interface Watch {
  readonly id: string;
  readonly flight: string;
}

const FLIGHT_NUMBER = /^[A-Z0-9]{2}[0-9]{1,4}$/;
const START_DELAY_SECONDS = 300;

/** The check a request asks for, or why it is not valid. */
export function parseFlightCheck(user: unknown, body: unknown): FlightCheck | string {
  if (typeof user !== "string") return "the user-id header is required";
  if (!isObject(body)) return "the body must be a JSON object";
  const { flight, date } = body;
  if (typeof flight !== "string" || !FLIGHT_NUMBER.test(flight)) return "flight must be a flight number such as DL264";
  if (typeof date !== "string" || !isIsoDate(date)) return "date must be a date such as 2026-12-01";
  return { user, flight, date, notify: true };
}

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** POST /flights */
export async function handleFlightRequest(request: Request, env: Cloudflare.Env): Promise<Response> {
  if (!hasBearer(request, env.FLIGHTS_TOKEN)) return reply(401, { error: "unauthorized" });
  const check = parseFlightCheck(request.headers.get("user-id") ?? undefined, await jsonBody(request));
  if (typeof check === "string") return reply(400, { error: "invalid_input", reason: check });
  const agent = await getAgentByName(env.HandFlightAgent, check.user);
  return reply(202, await agent.requestCheck(check));
}

/** One per user: schedules that user's checks and keeps the latest result in its state. */
export class HandFlightAgent extends Agent<Cloudflare.Env, FlightState> {
  override initialState: FlightState = {};

  async requestCheck(check: FlightCheck): Promise<{ flow: string; instance_id: string; status: string; starts_at: string }> {
    const id = crypto.randomUUID();
    const startsAt = new Date(Date.now() + START_DELAY_SECONDS * 1000);
    await this.schedule<PendingCheck>(startsAt, "startCheck", { id, check });
    return { flow: "flight-status", instance_id: id, status: "scheduled", starts_at: startsAt.toISOString() };
  }

  async startCheck(pending: PendingCheck): Promise<void> {
    await this.runWorkflow("HAND_FLIGHT_WORKFLOW", pending.check, { id: pending.id });
    await this.schedule<Watch>("*/5 * * * *", "watchCheck", { id: pending.id, flight: pending.check.flight });
  }

  async watchCheck(watch: Watch, schedule: Schedule<Watch>): Promise<void> {
    const instance = await this.env.HAND_FLIGHT_WORKFLOW.get(watch.id);
    const { status, output, error } = await instance.status();
    if (status === "complete") this.setState({ ...this.state, flight: watch.flight, result: output ?? null });
    else if (status === "errored" || status === "terminated") this.setState({ ...this.state, flight: watch.flight, error: error ?? null });
    else return;
    await this.cancelSchedule(schedule.id);
  }
}

export class HandFlightWorkflow extends AgentWorkflow<HandFlightAgent, FlightCheck> {
  override async run(event: AgentWorkflowEvent<FlightCheck>, step: AgentWorkflowStep): Promise<FlightResult> {
    const { flight, date, notify } = event.payload;
    const lookup = await step.do(
      "lookup",
      { retries: { limit: 5, delay: "10 seconds", backoff: "exponential" }, timeout: "30 seconds" },
      async () => {
        const body = await getJson(`${this.env.API_BASE}/flights/${flight}?date=${date}`, { authorization: this.env.FLIGHT_API_KEY });
        return { status: isObject(body) && typeof body["status"] === "string" ? body["status"] : null };
      },
    );
    const facts = await step.do("facts", async () => {
      const delayed = lookup.status === "delayed";
      return { status: lookup.status, delayed, notify: notify && delayed };
    });
    return { flight, date, status: facts.status, delayed: facts.delayed };
  }
}
