/**
 * `event` in agent actions: what an ended workflow instance left behind, in
 * one shape whatever the engine reports. The engine gives an error as an
 * object `{ name, message }`, sometimes as plain text, and nothing at all for
 * a terminated instance; actions read `event.error.message` and must not
 * have to guess.
 */

/** An instance's error as actions see it. */
export interface EventError {
  readonly name: string;
  readonly message: string;
}

/** What agent actions see as `event`. */
export interface PollEvent {
  /** The terminal status: `complete`, `errored` or `terminated` (later also `timed_out`). */
  readonly status: string;
  /** The instance's output; null when it has none (always null unless complete). */
  readonly output: unknown;
  /** Why it did not complete; null when it completed. */
  readonly error: EventError | null;
}

/** The event of an instance that has ended with this status. */
export function instanceEvent(status: { readonly status: string; readonly output?: unknown; readonly error?: unknown }): PollEvent {
  if (status.status === "complete") return { status: status.status, output: status.output ?? null, error: null };
  return { status: status.status, output: null, error: eventError(status.status, status.error) };
}

/** `{ name, message }` from whatever the engine gave; a terminated instance without an error gets one that says so. */
export function eventError(status: string, raw: unknown): EventError {
  if (typeof raw === "string" && raw !== "") return splitText(raw);
  if (raw !== null && typeof raw === "object") {
    const { name, message } = raw as { name?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : message === undefined ? "" : String(message);
    if (typeof name === "string" && name !== "") return { name, message: text };
    if (text !== "") return splitText(text);
  }
  if (status === "terminated") return { name: "Terminated", message: "The instance was terminated." };
  return { name: "Error", message: `The instance ended ${status} without an error message.` };
}

/** `"TypeError: bad value"` → `{ name: "TypeError", message: "bad value" }`; other text is the message of an `Error`. */
function splitText(text: string): EventError {
  const match = /^([A-Z][A-Za-z0-9_]*(?:Error|Exception|Failure)): (.*)$/s.exec(text);
  return match ? { name: match[1]!, message: match[2]! } : { name: "Error", message: text };
}
