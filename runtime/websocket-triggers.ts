import type { Connection, WSMessage } from "agents";
import { describeError } from "./errors.ts";
import type { StartResult } from "./flow-agent.ts";
import type { Rejection } from "./start-request.ts";

/**
 * WebSocket triggers: a client connected to an Agent sends
 * `{"type": "<trigger>", …}` and the Agent starts the flow. This module turns
 * a raw frame into a trigger call and the outcome into the reply sent back
 * on the same connection. It never throws: a bad frame gets an error reply.
 *
 * Replies (JSON):
 * - started: `{ type: "<trigger>:started", flow, instance_id, status, starts_at? }`
 *   (`status` is started | scheduled | exists, as for http triggers);
 * - rejected: `{ type: "<trigger>:rejected", error, reason, fields? }`
 *   (`error` is invalid_input, invalid_instance_id, … or internal_error);
 * - a frame that is not a JSON object with a string `type`, or whose type no
 *   trigger handles: `{ type: "error", error: "bad_message" | "unknown_type", reason }`.
 * Frames of the Agents SDK's own protocol (`cf_agent_*`) are left alone.
 *
 * Only the agents that host a WebSocket trigger import this module (their
 * generated onMessage calls answerTriggerMessage).
 */

/** The parsed message, visible to the trigger's expressions as `message`. */
export type TriggerMessage = Readonly<Record<string, unknown>>;

/** A generated trigger handler: computes, validates and starts (or rejects). */
export type MessageHandler = (message: TriggerMessage) => Promise<StartResult | Rejection>;

export type Reply = Readonly<Record<string, unknown>>;

export type Parsed =
  | { readonly kind: "message"; readonly type: string; readonly message: TriggerMessage }
  | { readonly kind: "ignore" }
  | { readonly kind: "reply"; readonly reply: Reply };

/**
 * The body of a generated onMessage: routes `{"type": …}` frames to the
 * flows' WebSocket triggers and answers on the same connection. Never throws.
 */
export async function answerTriggerMessage(connection: Connection, frame: WSMessage, handlers: Readonly<Record<string, MessageHandler>>): Promise<void> {
  const parsed = parseFrame(frame);
  if (parsed.kind === "ignore") return;
  const reply = parsed.kind === "reply" ? parsed.reply : await handleMessage(handlers, parsed.type, parsed.message);
  connection.send(JSON.stringify(reply));
}

export function parseFrame(frame: string | ArrayBuffer | ArrayBufferView): Parsed {
  if (typeof frame !== "string") return badMessage("binary frames are not understood; send JSON text");
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return badMessage("the message is not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return badMessage("the message must be a JSON object");
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || type === "") return badMessage('the message needs a string "type"');
  if (type.startsWith("cf_agent")) return { kind: "ignore" };
  return { kind: "message", type, message: value as TriggerMessage };
}

/** Runs the handler for a parsed message and builds the reply. */
export async function handleMessage(handlers: Readonly<Record<string, MessageHandler>>, type: string, message: TriggerMessage): Promise<Reply> {
  const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
  if (!handler) {
    const known = Object.keys(handlers).sort();
    return { type: "error", error: "unknown_type", reason: `no trigger handles messages of type "${type}"${known.length ? ` (known: ${known.join(", ")})` : ""}` };
  }
  try {
    const outcome = await handler(message);
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
