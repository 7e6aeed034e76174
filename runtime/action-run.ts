import { describeError } from "./errors.ts";
import type { PollEvent } from "./instance-event.ts";
import { retryDelaySeconds } from "./retry-delay.ts";

/**
 * An "action run": the agent actions a flow lists for one ended instance and
 * one purpose (`poll`: its on_complete or on_error list; later `deadline`),
 * run exactly once each.
 *
 * - The run is recorded in the agent's KV storage (one key per purpose and
 *   instance) before its first action, with the event the actions see and
 *   how many of them have succeeded. After each action the count moves on,
 *   so an action that succeeded is never repeated, also when the agent is
 *   evicted and a later action is retried by a fresh one.
 * - A failing action is logged (one line) and retried by a one-shot schedule
 *   after a growing delay (1 s, 2 s, 4 s … at most 10 minutes), never dropped.
 * - A `start:` action names the instance it starts after the ended instance
 *   and its own position (actionInstanceId), so a repeat of it finds that
 *   instance and starts nothing new.
 * - The record is deleted once every action has run.
 */

/** One agent action. `childId` is the instance id a `start:` action gives the instance it starts. */
export type AgentActionFn = (childId: string) => Promise<void>;

/** What the ended instance's actions read: its id and the input it ran with. */
export interface ActionPayload {
  readonly instanceId: string;
  readonly input: unknown;
}

/** Payload of the one-shot schedule that retries a run. */
export interface ActionRunRetry {
  readonly purpose: string;
  readonly instanceId: string;
}

/** A run as stored. */
export interface ActionRunRecord {
  readonly flow: string;
  readonly purpose: string;
  readonly instance_id: string;
  /** The agent method that lists the actions (generated: `onXComplete`, `onXError`). */
  readonly method: string;
  readonly event: PollEvent;
  readonly input: unknown;
  /** How many actions, in order, have succeeded. */
  readonly done: number;
  /** Failed attempts so far, the last error, and when the next attempt is due. */
  readonly attempts: number;
  readonly last_error: string | null;
  readonly last_attempt_at: string | null;
  readonly retry_at: string | null;
  /** The schedule that makes the next attempt. */
  readonly retry_schedule: string | null;
}

/** What the runs need of their agent. */
export interface ActionRunHost {
  readonly kv: SyncKvStorage;
  /** The actions of `method` for this event, in order. */
  actionsOf(method: string, event: PollEvent, payload: ActionPayload): readonly AgentActionFn[];
  /** Schedules the retry callback at `at`; answers the schedule's id. */
  scheduleRetry(at: Date, payload: ActionRunRetry): Promise<string>;
  cancelSchedule(id: string): Promise<unknown>;
}

export type ActionRunStart = Pick<ActionRunRecord, "flow" | "purpose" | "instance_id" | "method" | "event" | "input">;

/** Key prefix of the runs in an agent's KV storage; `<purpose>:<instance id>` follows. */
const PREFIX = "cf-flows:action-run:";

const MAX_INSTANCE_ID = 100;

export class ActionRuns {
  private readonly host: ActionRunHost;
  /** The runs executing now in this agent, by key (in memory: an evicted agent has none). */
  private readonly running = new Map<string, Promise<void>>();

  constructor(host: ActionRunHost) {
    this.host = host;
  }

  get(purpose: string, instanceId: string): ActionRunRecord | undefined {
    return this.host.kv.get<ActionRunRecord>(runKey(purpose, instanceId));
  }

  list(): ActionRunRecord[] {
    return [...this.host.kv.list<ActionRunRecord>({ prefix: PREFIX })].map(([, record]) => record);
  }

  /** Records a run unless one is there already (whose progress is kept). Synchronous, so check and write are atomic. */
  begin(start: ActionRunStart): void {
    const key = runKey(start.purpose, start.instance_id);
    if (this.host.kv.get(key) !== undefined) return;
    this.host.kv.put(key, { ...start, done: 0, attempts: 0, last_error: null, last_attempt_at: null, retry_at: null, retry_schedule: null } satisfies ActionRunRecord);
  }

  /**
   * Runs the recorded actions not yet done. A failure is recorded and
   * scheduled for a retry, not thrown; a run already executing in this agent
   * is awaited instead of started twice. `current` is the retry schedule
   * calling, if any (it ends by itself; any other retry schedule is dropped
   * once all actions ran).
   */
  run(purpose: string, instanceId: string, current?: string): Promise<void> {
    const key = runKey(purpose, instanceId);
    const inFlight = this.running.get(key);
    if (inFlight) return inFlight;
    const execution = this.execute(key, current).finally(() => this.running.delete(key));
    this.running.set(key, execution);
    return execution;
  }

  private async execute(key: string, current: string | undefined): Promise<void> {
    const record = this.host.kv.get<ActionRunRecord>(key);
    if (!record) return;
    const payload: ActionPayload = { instanceId: record.instance_id, input: record.input };
    let done = record.done;
    try {
      const actions = this.host.actionsOf(record.method, record.event, payload);
      for (; done < actions.length; done++) {
        await actions[done]!(await actionInstanceId(record.instance_id, record.purpose, done));
        this.host.kv.put(key, { ...record, done: done + 1 } satisfies ActionRunRecord);
      }
    } catch (error) {
      await this.retryLater(key, { ...record, done }, error);
      return;
    }
    this.host.kv.delete(key);
    if (record.retry_schedule && record.retry_schedule !== current) await this.host.cancelSchedule(record.retry_schedule);
  }

  private async retryLater(key: string, record: ActionRunRecord, error: unknown): Promise<void> {
    const attempt = record.attempts + 1;
    const now = new Date();
    const retryAt = new Date(now.getTime() + retryDelaySeconds(attempt) * 1000);
    const message = describeError(error).slice(0, 500);
    console.error(
      `flow ${record.flow}: ${record.purpose} action ${record.done + 1} (${record.method}) for instance ${record.instance_id} failed (attempt ${attempt}): ${message}; retrying at ${retryAt.toISOString()}`,
    );
    // Recorded before the schedule exists: if scheduling fails, the caller's error leaves the record for the next poll.
    const failed: ActionRunRecord = { ...record, attempts: attempt, last_error: message, last_attempt_at: now.toISOString(), retry_at: retryAt.toISOString() };
    this.host.kv.put(key, failed);
    const scheduleId = await this.host.scheduleRetry(retryAt, { purpose: record.purpose, instanceId: record.instance_id });
    this.host.kv.put(key, { ...failed, retry_schedule: scheduleId } satisfies ActionRunRecord);
  }
}

function runKey(purpose: string, instanceId: string): string {
  return `${PREFIX}${purpose}:${instanceId}`;
}

/**
 * The instance id a `start:` action at `index` gives the instance it starts:
 * `<ended id>-<purpose>-<index>`, a valid Workflows id when the ended one is.
 * Past 100 characters the ended id is cut and a hash of it keeps the result
 * distinct: `<start of it>-<16 hex>-<purpose>-<index>`.
 */
export async function actionInstanceId(instanceId: string, purpose: string, index: number): Promise<string> {
  const suffix = `-${purpose}-${index}`;
  const plain = instanceId + suffix;
  if (plain.length <= MAX_INSTANCE_ID) return plain;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(instanceId)));
  const hash = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${instanceId.slice(0, MAX_INSTANCE_ID - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}
