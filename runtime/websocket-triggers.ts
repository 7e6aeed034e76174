import type { Connection, WSMessage } from "agents";
import { connectionGrants } from "./agent-connections.ts";
import { describeError } from "./errors.ts";
import type { StartResult } from "./flow-agent.ts";
import { parseUntrustedJson } from "./safe-json.ts";
import type { Rejection } from "./start-request.ts";

/**
 * WebSocket triggers: a client connected to an Agent sends
 * `{"type": "<trigger>", …}` and the Agent starts the flow. This module turns
 * a raw frame into a trigger call and the outcome into the reply sent back
 * on the same connection. It never throws: a bad frame gets an error reply
 * and starts nothing.
 *
 * Replies (JSON):
 * - started: `{ type: "<trigger>:started", flow, instance_id, status, starts_at? }`
 *   (`status` is started | scheduled | exists, as for http triggers);
 * - rejected: `{ type: "<trigger>:rejected", error, reason, fields? }`
 *   (`error` is invalid_input, invalid_instance_id, … or internal_error);
 * - a frame it cannot use: `{ type: "error", error, reason }` with `error`
 *   one of `too_large` (over {@link MAX_FRAME_BYTES}), `bad_message` (binary,
 *   not JSON, not an object with a string `type`, or a `__proto__`,
 *   `constructor` or `prototype` key anywhere), `unknown_type` (no trigger of
 *   this agent has that type; the reason lists the ones this connection may
 *   send) or `unauthorized` (the connection did not present that trigger's
 *   token: a watcher, or a client of another trigger).
 *
 * Frames of the Agents SDK's own protocol are answered by the SDK before
 * they get here: a state update (`cf_agent_state`) with
 * `cf_agent_state_error`, since every connection is read-only, and an RPC
 * call with an error, since flow agents have no callable methods.
 */

/** The largest frame a trigger accepts, as for HTTP trigger bodies: 1 MiB. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** The parsed message, visible to the trigger's expressions as `message`. */
export type TriggerMessage = Readonly<Record<string, unknown>>;

/** A generated trigger handler: computes, validates and starts (or rejects). */
export type MessageHandler = (message: TriggerMessage) => Promise<StartResult | Rejection>;

/** A websocket trigger of the agent: the grant it needs (`none` or its bearer secret's name) and its handler. */
export interface MessageTrigger {
  readonly auth: string;
  readonly start: MessageHandler;
}

export type Reply = Readonly<Record<string, unknown>>;

export type Parsed =
  | { readonly kind: "message"; readonly type: string; readonly message: TriggerMessage }
  | { readonly kind: "reply"; readonly reply: Reply };

/**
 * The body of a generated onMessage: routes `{"type": …}` frames to the
 * flows' WebSocket triggers this connection may send, and answers on the
 * same connection. Never throws.
 */
export async function answerTriggerMessage(connection: Connection, frame: WSMessage, triggers: Readonly<Record<string, MessageTrigger>>): Promise<void> {
  const parsed = parseFrame(frame);
  const reply = parsed.kind === "reply" ? parsed.reply : await handleMessage(triggers, connectionGrants(connection), parsed.type, parsed.message);
  connection.send(JSON.stringify(reply));
}

export function parseFrame(frame: string | ArrayBuffer | ArrayBufferView): Parsed {
  if (typeof frame !== "string") return badMessage("binary frames are not understood; send JSON text");
  // Each UTF-16 unit is at least one byte: only a long frame needs counting.
  if (frame.length > MAX_FRAME_BYTES || (frame.length * 3 > MAX_FRAME_BYTES && new TextEncoder().encode(frame).byteLength > MAX_FRAME_BYTES)) {
    return { kind: "reply", reply: { type: "error", error: "too_large", reason: `the message is larger than ${MAX_FRAME_BYTES} bytes (1 MiB)` } };
  }
  const parsed = parseUntrustedJson(frame, "the message");
  if (!parsed.ok) return badMessage(parsed.reason);
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return badMessage("the message must be a JSON object");
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || type === "") return badMessage('the message needs a string "type"');
  return { kind: "message", type, message: value as TriggerMessage };
}

/** Runs the trigger of a parsed message, if this connection's grants allow it, and builds the reply. */
export async function handleMessage(triggers: Readonly<Record<string, MessageTrigger>>, grants: readonly string[], type: string, message: TriggerMessage): Promise<Reply> {
  const trigger = Object.hasOwn(triggers, type) ? triggers[type] : undefined;
  if (!trigger) {
    // Only the types this connection may send: a watcher learns nothing about the others.
    const allowed = Object.keys(triggers).filter((t) => grants.includes(triggers[t]!.auth)).sort();
    return { type: "error", error: "unknown_type", reason: `no trigger handles messages of type "${type}"${allowed.length ? ` (known: ${allowed.join(", ")})` : ""}` };
  }
  if (!grants.includes(trigger.auth)) {
    return { type: "error", error: "unauthorized", reason: `this connection may not send "${type}" messages: connect with the token of its trigger` };
  }
  try {
    const outcome = await trigger.start(message);
    if ("body" in outcome) return { type: `${type}:rejected`, ...outcome.body };
    return { type: `${type}:started`, ...outcome };
  } catch (error) {
    // The cause goes to the log only: it may name internals.
    console.error(`websocket trigger ${type} failed: ${describeError(error)}`);
    return { type: `${type}:rejected`, error: "internal_error", reason: "the flow could not be started" };
  }
}

function badMessage(reason: string): Parsed {
  return { kind: "reply", reply: { type: "error", error: "bad_message", reason } };
}
