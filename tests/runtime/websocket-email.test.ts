import { NonRetryableError } from "cloudflare:workflows";
import { describe, expect, it, vi } from "vitest";
import { sendEmail } from "../../runtime/email-step.ts";
import { progressValue } from "../../runtime/progress.ts";
import { handleMessage, MAX_FRAME_BYTES, parseFrame, type MessageHandler, type MessageTrigger } from "../../runtime/websocket-triggers.ts";

describe("websocket frames", () => {
  it("parses JSON objects with a string type", () => {
    expect(parseFrame('{"type":"book","a":1}')).toEqual({ kind: "message", type: "book", message: { type: "book", a: 1 } });
  });

  it("answers frames it cannot use with a bad_message error", () => {
    for (const frame of ["nope", "[1]", '{"a":1}', '{"type":3}', new ArrayBuffer(2), new Uint8Array([123, 125])]) {
      expect(parseFrame(frame)).toMatchObject({ kind: "reply", reply: { type: "error", error: "bad_message" } });
    }
  });

  it("refuses prototype keys at any depth", () => {
    for (const frame of ['{"type":"go","__proto__":{"x":1}}', '{"type":"go","a":[{"constructor":{}}]}', '{"type":"go","b":{"prototype":1}}']) {
      expect(parseFrame(frame)).toMatchObject({ kind: "reply", reply: { error: "bad_message", reason: expect.stringMatching(/^forbidden key (__proto__|constructor|prototype) in the message$/) } });
    }
  });

  it("refuses frames over 1 MiB, counting UTF-8 bytes", () => {
    const padded = (text: string) => JSON.stringify({ type: "go", pad: text });
    expect(parseFrame(padded("a".repeat(MAX_FRAME_BYTES)))).toMatchObject({ kind: "reply", reply: { error: "too_large" } });
    // Fewer characters than the limit, more bytes: "é" is two bytes.
    expect(parseFrame(padded("é".repeat(MAX_FRAME_BYTES / 2)))).toMatchObject({ kind: "reply", reply: { error: "too_large" } });
    expect(parseFrame(padded("a".repeat(MAX_FRAME_BYTES - 100)))).toMatchObject({ kind: "message", type: "go" });
  });

  it("answers the Agents SDK's own frame types like any unknown type (the SDK handles the ones it knows first)", () => {
    expect(parseFrame('{"type":"cf_agent_use_chat_request"}')).toMatchObject({ kind: "message", type: "cf_agent_use_chat_request" });
  });
});

describe("websocket replies", () => {
  const started: MessageHandler = async () => ({ flow: "f", instance_id: "i", status: "started" });
  const rejected: MessageHandler = async () => ({ status: 400, body: { error: "invalid_input", reason: "bad", fields: [{ field: "a", message: "is required" }] } });
  const broken: MessageHandler = async () => {
    throw new Error("secret internals");
  };
  const open = (start: MessageHandler): Record<string, MessageTrigger> => ({ go: { auth: "none", start } });

  it("replies <type>:started or <type>:rejected", async () => {
    expect(await handleMessage(open(started), ["none"], "go", {})).toEqual({ type: "go:started", flow: "f", instance_id: "i", status: "started" });
    expect(await handleMessage(open(rejected), ["none"], "go", {})).toEqual({
      type: "go:rejected",
      error: "invalid_input",
      reason: "bad",
      fields: [{ field: "a", message: "is required" }],
    });
  });

  it("never throws: a failing handler gives an internal_error rejection without its details", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await handleMessage(open(broken), ["none"], "go", {})).toEqual({ type: "go:rejected", error: "internal_error", reason: "the flow could not be started" });
    log.mockRestore();
  });

  it("names the known types for an unknown one (and not Object.prototype's)", async () => {
    expect(await handleMessage(open(started), ["none"], "toString", {})).toEqual({
      type: "error",
      error: "unknown_type",
      reason: 'no trigger handles messages of type "toString" (known: go)',
    });
  });

  it("starts nothing for a connection without the trigger's grant, and lists only the types it may send", async () => {
    const start = vi.fn(started);
    const triggers: Record<string, MessageTrigger> = { buy: { auth: "SHOP_TOKEN", start }, refund: { auth: "SUPPORT_TOKEN", start } };
    expect(await handleMessage(triggers, ["SHOP_TOKEN"], "refund", {})).toEqual({
      type: "error",
      error: "unauthorized",
      reason: 'this connection may not send "refund" messages: connect with the token of its trigger',
    });
    expect(await handleMessage(triggers, ["WATCH_TOKEN"], "buy", {})).toMatchObject({ error: "unauthorized" });
    expect(await handleMessage(triggers, ["SHOP_TOKEN"], "sell", {})).toMatchObject({ reason: 'no trigger handles messages of type "sell" (known: buy)' });
    expect(await handleMessage(triggers, [], "sell", {})).toMatchObject({ reason: 'no trigger handles messages of type "sell"' });
    expect(start).not.toHaveBeenCalled();
  });
});

describe("email step", () => {
  const binding = () => {
    const sent: unknown[] = [];
    return { sent, send: async (m: unknown) => (sent.push(m), { messageId: "1" }) } as unknown as SendEmail & { sent: unknown[] };
  };

  it("sends the computed fields, text becoming the body when there is no html", async () => {
    const email = binding();
    expect(await sendEmail(email, "mail", { to: ["a@x.test", "b@x.test"], from: "f@x.test", subject: 42, cc: null })).toBeNull();
    expect(email.sent).toEqual([{ to: ["a@x.test", "b@x.test"], from: "f@x.test", subject: "42", text: "" }]);
  });

  it("fails without retry when there is no recipient or sender", async () => {
    await expect(sendEmail(binding(), "mail", { to: null, from: "f@x.test", subject: "s" })).rejects.toThrow(NonRetryableError);
    await expect(sendEmail(binding(), "mail", { to: [], from: "f@x.test", subject: "s" })).rejects.toThrow("email mail: `to` must be");
    await expect(sendEmail(binding(), "mail", { to: "a@x.test", from: "", subject: "s" })).rejects.toThrow("email mail: `from` must be");
  });
});

describe("report step", () => {
  it("accepts an object as progress and refuses anything else", () => {
    expect(progressValue("p", { percent: 50, at: undefined })).toEqual({ percent: 50 });
    expect(() => progressValue("p", [1])).toThrow("report p: progress must be an object, got array");
  });
});
