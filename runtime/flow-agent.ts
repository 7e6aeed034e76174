import { Agent } from "agents";
import type { Connection, ConnectionContext, Schedule, WSMessage } from "agents";
import { ActionRuns, type ActionRunRecord, type ActionRunRetry, type AgentActionFn } from "./action-run.ts";
import { admitConnection, requestGrants } from "./agent-connections.ts";
import { describeError } from "./errors.ts";
import type { FlowParams, ParentLink } from "./flow-call.ts";
import { instanceEvent, type PollEvent } from "./instance-event.ts";
import { retryDelaySeconds } from "./retry-delay.ts";
import { answerTriggerMessage } from "./websocket-triggers.ts";

export type { ActionRunRecord, AgentActionFn, PollEvent };

/**
 * The base of every generated Agent class. Generated subclasses add one thin,
 * named method per trigger, scheduled start and poll (so a reader sees their
 * flow in the class); the bookkeeping that is the same for every flow lives here.
 * What only some flows use stays out of the class, so that a bundle carries
 * it only when a flow needs it: `report:` steps (recordProgress in
 * progress.ts). WebSocket handling is the exception: every agent must refuse
 * unauthenticated connections, client state updates and frames it cannot
 * use, whatever its flows, so the base answers frames (websocket-triggers.ts,
 * with no triggers unless a generated onMessage passes them).
 */

/** Which Workflows binding runs a flow. */
export interface FlowRef {
  readonly flow: string;
  readonly binding: string;
}

/**
 * How the owning agent watches an instance: a cron schedule or a fixed
 * interval (`method` is the poll callback), and the methods that list the
 * actions for a completed and for a failed instance.
 */
export type PollSpec = ({ readonly cron: string } | { readonly seconds: number }) & {
  readonly method: string;
  readonly onComplete: string;
  readonly onError: string;
};

/** What a trigger asks of the agent. `startAt` (ISO) in the future means "schedule it". */
export interface FlowStart {
  readonly input: unknown;
  readonly instanceId: string;
  readonly startAt?: string;
  /** Set when a calling flow waits for this one (a `call:` step with `wait: true`). */
  readonly parent?: ParentLink;
}

export interface StartResult {
  readonly flow: string;
  readonly instance_id: string;
  /** `exists`: an instance (or a pending start) with this id was already there; nothing new started. */
  readonly status: "started" | "scheduled" | "exists";
  readonly starts_at?: string;
}

/** Payload of the schedule that starts a delayed flow. */
export interface ScheduledStart {
  readonly instanceId: string;
  readonly input: unknown;
}

/** Payload of a poll schedule; the input rides along so poll actions can read it. */
export interface PollPayload {
  readonly instanceId: string;
  readonly input: unknown;
}

export type FlowAgentState = Record<string, unknown>;

const TERMINAL = new Set(["complete", "errored", "terminated"]);

/**
 * The bookkeeping behind the generated start, scheduled-start and poll
 * methods of every Agent class the generator writes. Each member says what
 * it guarantees; a bundle's size is measured minified as well, so these
 * comments cost a deployed Worker nothing.
 */
export class FlowAgentBase<S extends FlowAgentState = FlowAgentState> extends Agent<Cloudflare.Env, S> {
  override initialState = {} as S;

  /**
   * Idempotent per instance id, also for concurrent duplicates: a start of an
   * id still being created waits for it and answers "exists" (or tries itself
   * if that one failed). A start whose `startAt` is in the future is recorded
   * in the agent's KV storage (a pending record, one key per instance id,
   * written in the same transaction as its schedule) and scheduled: the KV
   * store exists in every agent, where a table of our own would be a schema
   * change in each new agent, which costs far more than a row (BENCHMARKS.md,
   * "Run time"). An immediate start records nothing: a failure to create the
   * instance reaches the caller.
   */
  protected async startFlow(ref: FlowRef, start: FlowStart, startMethod: string, poll?: PollSpec): Promise<StartResult> {
    for (let inFlight = this.launching.get(start.instanceId); inFlight; inFlight = this.launching.get(start.instanceId)) {
      await inFlight.catch(() => undefined);
    }
    // From here to the first await nothing else runs: the check and the claim below are atomic.
    const known = this.existing(ref, start.instanceId);
    if (known) return known;
    const startsAt = start.startAt ? Date.parse(start.startAt) : Number.NaN;
    if (Number.isFinite(startsAt) && startsAt > Date.now()) {
      const when = new Date(startsAt);
      const payload: ScheduledStart = { instanceId: start.instanceId, input: start.input };
      // Recorded before the schedule exists so a concurrent duplicate trigger sees it.
      this.putPending(start.instanceId, { flow: ref.flow, starts_at: when.toISOString(), method: startMethod, attempts: 0, last_error: null, last_attempt_at: null, retry_at: null });
      try {
        await this.schedule(when, startMethod as keyof this, payload);
      } catch (error) {
        // Nothing will make this start: forget it, so the caller's retry is not answered "exists".
        this.deletePending(start.instanceId);
        throw error;
      }
      return { flow: ref.flow, instance_id: start.instanceId, status: "scheduled", starts_at: when.toISOString() };
    }
    // An immediate start needs no pending record: if the instance cannot be created, the
    // error reaches the caller (the trigger answers 500, a calling flow's step fails and is retried).
    const launch = this.launch(ref, start.instanceId, start.input, poll, start.parent);
    this.launching.set(start.instanceId, launch);
    try {
      return await launch;
    } finally {
      if (this.launching.get(start.instanceId) === launch) this.launching.delete(start.instanceId);
    }
  }

  /**
   * A delayed start that fails is never dropped: its pending record stays,
   * counts the attempt and keeps the error, the failure is logged, and a new
   * one-shot schedule of the same callback tries again after a growing delay
   * (1 s, 2 s, 4 s … at most 10 minutes). (The Agents scheduler alone would
   * retry a throwing callback only 3 times within a second and then delete
   * the schedule, leaving the record orphaned.)
   */
  protected async startScheduled(ref: FlowRef, payload: ScheduledStart, poll?: PollSpec): Promise<void> {
    try {
      const result = await this.launch(ref, payload.instanceId, payload.input, poll);
      // An earlier attempt created the instance (it is ours) but failed before its poll existed:
      // add the poll now. Recurring schedules with the same payload are deduplicated by the SDK.
      if (result.status === "exists" && poll && this.getWorkflow(payload.instanceId)) await this.startPolling(poll, payload.instanceId, payload.input);
    } catch (error) {
      await this.retryScheduledStart(ref, payload, error);
      return;
    }
    this.deletePending(payload.instanceId);
  }

  /** The delayed starts not made yet: due ones and ones whose creation failed (with the attempts so far and the last error). */
  public pendingStarts(): PendingStart[] {
    const starts = [...this.ctx.storage.kv.list<PendingRecord>({ prefix: PENDING_PREFIX })].map(([key, record]) => ({
      instance_id: key.slice(PENDING_PREFIX.length),
      flow: record.flow,
      starts_at: record.starts_at,
      attempts: record.attempts,
      last_error: record.last_error,
      last_attempt_at: record.last_attempt_at,
      retry_at: record.retry_at,
    }));
    return starts.sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : 0));
  }

  /**
   * Reads the instance's status and, once it is terminal, records an action
   * run (action-run.ts) of the flow's on_complete or on_error list, runs it
   * and cancels the poll schedule. Each action runs exactly once; a failing
   * one is retried by its own schedule with a growing delay (retryActionRun),
   * not by the poll. The cancel comes last, so an agent evicted before it
   * finds the recorded run at its next poll. A poll called after its schedule
   * was cancelled (a late or repeated call) does nothing.
   */
  protected async pollFlow(ref: FlowRef, poll: PollSpec, payload: PollPayload, schedule: Schedule<PollPayload>): Promise<void> {
    if (!(await this.getScheduleById(schedule.id))) return;
    const id = payload.instanceId;
    if (!this.actionRuns.get(POLL_PURPOSE, id)) {
      const status = await (await this.workflowBinding(ref).get(id)).status();
      if (!TERMINAL.has(status.status)) return;
      const event = instanceEvent(status);
      const method = event.status === "complete" ? poll.onComplete : poll.onError;
      this.actionRuns.begin({ flow: ref.flow, purpose: POLL_PURPOSE, instance_id: id, method, event, input: payload.input });
    }
    await this.actionRuns.run(POLL_PURPOSE, id);
    await this.cancelSchedule(schedule.id);
  }

  /** The schedule callback of action retries: a base-class method, so one name serves every flow and purpose. */
  public async retryActionRun(payload: ActionRunRetry, schedule?: Schedule<ActionRunRetry>): Promise<void> {
    await this.actionRuns.run(payload.purpose, payload.instanceId, schedule?.id);
  }

  /** The action runs not finished yet, with their attempts and last error. */
  public actionRunsInProgress(): ActionRunRecord[] {
    return this.actionRuns.list();
  }

  /** `set_state`: merges into the agent's state, and so reaches its clients. */
  protected mergeState(patch: unknown): void {
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
      throw new TypeError("set_state needs an object of keys to set");
    }
    this.setState({ ...this.state, ...(patch as Partial<S>) });
  }

  /** `broadcast`: JSON to every client. */
  protected broadcastJson(message: unknown): void {
    this.broadcast(JSON.stringify(message));
  }

  /**
   * WebSocket clients (agent-connections.ts): every connection is read-only
   * (a client's state update is refused by the SDK); one the Worker did not
   * authenticate gets neither state nor messages and is closed.
   */
  override shouldConnectionBeReadonly(): boolean {
    return true;
  }

  override shouldSendProtocolMessages(_connection: Connection, ctx: ConnectionContext): boolean {
    return requestGrants(ctx.request).length > 0;
  }

  override async onConnect(connection: Connection, ctx: ConnectionContext): Promise<void> {
    admitConnection(connection, ctx.request);
  }

  /** Frames go to answerTriggerMessage, which a generated onMessage gives the agent's websocket triggers (here: none). */
  override async onMessage(connection: Connection, message: WSMessage): Promise<void> {
    await answerTriggerMessage(connection, message, {});
  }

  /** Failures reach the poll's on_error actions; the log gets one line (the SDK's default asks to override it). */
  override async onWorkflowError(workflowName: string, instanceId: string, error: string): Promise<void> {
    console.error(`workflow ${workflowName} instance ${instanceId} failed: ${error}`);
  }

  private async launch(ref: FlowRef, instanceId: string, input: unknown, poll?: PollSpec, parent?: ParentLink): Promise<StartResult> {
    const params: FlowParams<unknown> = { input, agentName: this.name, ...(parent ? { parent } : {}) };
    try {
      await this.runWorkflow(ref.binding as never, params, { id: instanceId });
    } catch (error) {
      // Workflows refuses a duplicate id; this agent refuses to track one twice.
      if (!isAlreadyExists(error) && !isAlreadyTracked(error)) throw error;
      return { flow: ref.flow, instance_id: instanceId, status: "exists" };
    }
    if (poll) await this.startPolling(poll, instanceId, input);
    return { flow: ref.flow, instance_id: instanceId, status: "started" };
  }

  private async startPolling(poll: PollSpec, instanceId: string, input: unknown): Promise<void> {
    const payload: PollPayload = { instanceId, input };
    if ("cron" in poll) await this.schedule(poll.cron, poll.method as keyof this, payload);
    else await this.scheduleEvery(poll.seconds, poll.method as keyof this, payload);
  }

  private async retryScheduledStart(ref: FlowRef, payload: ScheduledStart, error: unknown): Promise<void> {
    const id = payload.instanceId;
    const known = this.getPending(id);
    const attempt = (known?.attempts ?? 0) + 1;
    const message = describeError(error).slice(0, 500);
    const now = new Date();
    // No record (removed meanwhile): find the callback on the schedule that is running now.
    const method = known?.method ?? (await this.startCallbackOf(id));
    if (!method) {
      console.error(`flow ${ref.flow}: scheduled start of instance ${id} failed (attempt ${attempt}): ${message}; no schedule to retry it with, the scheduler retries this call`);
      throw error;
    }
    const retryAt = new Date(now.getTime() + retryDelaySeconds(attempt) * 1000);
    this.putPending(id, {
      flow: ref.flow,
      starts_at: known?.starts_at ?? now.toISOString(),
      method,
      attempts: attempt,
      last_error: message,
      last_attempt_at: now.toISOString(),
      retry_at: retryAt.toISOString(),
    });
    console.error(`flow ${ref.flow}: scheduled start of instance ${id} failed (attempt ${attempt}): ${message}; retrying at ${retryAt.toISOString()}`);
    await this.schedule(retryAt, method as keyof this, payload);
  }

  private async startCallbackOf(instanceId: string): Promise<string | undefined> {
    const schedules = await this.listSchedules();
    return schedules.find((s) => (s.type === "scheduled" || s.type === "delayed") && (s.payload as Partial<ScheduledStart> | undefined)?.instanceId === instanceId)?.callback;
  }

  private existing(ref: FlowRef, instanceId: string): StartResult | undefined {
    const pending = this.getPending(instanceId);
    if (pending) return { flow: ref.flow, instance_id: instanceId, status: "exists", starts_at: pending.starts_at };
    if (this.getWorkflow(instanceId)) return { flow: ref.flow, instance_id: instanceId, status: "exists" };
    return undefined;
  }

  private workflowBinding(ref: FlowRef): Workflow {
    const binding = (this.env as unknown as Record<string, Workflow | undefined>)[ref.binding];
    if (!binding) throw new Error(`Workflow binding ${ref.binding} is missing from the Worker's environment`);
    return binding;
  }

  /** The starts being created right now, by instance id (in memory: an evicted agent has none in flight). */
  private readonly launching = new Map<string, Promise<StartResult>>();

  private readonly actionRuns: ActionRuns = new ActionRuns({
    kv: this.ctx.storage.kv,
    actionsOf: (method, event, payload) => {
      const list = (this as unknown as Record<string, unknown>)[method];
      if (typeof list !== "function") throw new Error(`${this.constructor.name} has no action list ${method}`);
      return (list as (event: PollEvent, payload: PollPayload) => readonly AgentActionFn[]).call(this, event, payload);
    },
    scheduleRetry: async (at, payload): Promise<string> => (await this.schedule(at, "retryActionRun" as keyof this, payload)).id,
    cancelSchedule: (id) => this.cancelSchedule(id),
  });

  private getPending(instanceId: string): PendingRecord | undefined {
    return this.ctx.storage.kv.get<PendingRecord>(PENDING_PREFIX + instanceId);
  }

  private putPending(instanceId: string, record: PendingRecord): void {
    this.ctx.storage.kv.put(PENDING_PREFIX + instanceId, record);
  }

  private deletePending(instanceId: string): void {
    this.ctx.storage.kv.delete(PENDING_PREFIX + instanceId);
  }
}

/** The action run of a poll's on_complete or on_error list. */
const POLL_PURPOSE = "poll";

/** Key prefix of the pending-start records in an agent's KV storage; the instance id follows. */
const PENDING_PREFIX = "cf-flows:pending-start:";

/** A pending start as stored (the instance id is in its key). */
interface PendingRecord {
  readonly flow: string;
  readonly starts_at: string;
  /** The schedule callback that makes the start. */
  readonly method: string;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly last_attempt_at: string | null;
  readonly retry_at: string | null;
}

/** A delayed start that has not been made yet (see FlowAgentBase.pendingStarts). */
export interface PendingStart {
  readonly instance_id: string;
  readonly flow: string;
  readonly starts_at: string;
  /** Failed attempts to create the instance so far. */
  readonly attempts: number;
  readonly last_error: string | null;
  readonly last_attempt_at: string | null;
  /** When the next attempt is scheduled, after a failure. */
  readonly retry_at: string | null;
}

export { retryDelaySeconds };

/** Workflows reports a duplicate instance id as `instance.already_exists`. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && error.message.includes("already_exists");
}

/**
 * The Agents SDK's runWorkflow refuses to track an instance id twice. It
 * happens when a duplicate create is not refused by Workflows (the local
 * engine checks and creates in two steps) and the instance is already ours.
 */
function isAlreadyTracked(error: unknown): boolean {
  return error instanceof Error && /^Workflow with ID ".*" is already being tracked$/s.test(error.message);
}
