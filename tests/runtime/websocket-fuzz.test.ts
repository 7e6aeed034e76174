import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { presentedToken } from "../../runtime/websocket-access.ts";
import { handleMessage, type MessageTrigger, parseFrame } from "../../runtime/websocket-triggers.ts";

/**
 * Property tests of what a WebSocket client controls: the frames it sends and
 * the headers of its upgrade. Whatever arrives, parsing never throws, a frame
 * either becomes a message with a string type and no prototype keys or gets an
 * error reply, and a trigger starts only for a connection granted its auth.
 */

/** JSON objects whose keys include the prototype names a client might smuggle in. */
const hostileKey = fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "prototype", "type", "cf_agent_state", ""));
const hostileObject = fc.dictionary(hostileKey, fc.jsonValue(), { maxKeys: 6 });
const frameText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.json(),
  hostileObject.map((o) => JSON.stringify(o)),
  // JSON.stringify drops an own "__proto__" set through a dictionary; write it literally.
  fc.tuple(fc.jsonValue(), fc.string()).map(([value, type]) => `{"type":${JSON.stringify(type)},"__proto__":${JSON.stringify(value)}}`),
  fc.tuple(fc.string(), fc.jsonValue()).map(([type, inner]) => `{"type":${JSON.stringify(type)},"deep":{"constructor":{"prototype":${JSON.stringify(inner)}}}}`),
);

function hasPrototypeKey(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  return Object.keys(value).some((k) => k === "__proto__" || k === "constructor" || k === "prototype" || hasPrototypeKey((value as Record<string, unknown>)[k]));
}

describe("WebSocket frames from any client", () => {
  it("parse without throwing into a typed message free of prototype keys, or an error reply", () => {
    fc.assert(
      fc.property(frameText, (frame) => {
        const parsed = parseFrame(frame);
        if (parsed.kind === "reply") {
          expect(parsed.reply["type"]).toBe("error");
          expect(["bad_message", "too_large"]).toContain(parsed.reply["error"]);
          expect(typeof parsed.reply["reason"]).toBe("string");
          return;
        }
        expect(typeof parsed.type).toBe("string");
        expect(parsed.type).not.toBe("");
        expect(hasPrototypeKey(parsed.message)).toBe(false);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 1000 },
    );
  });

  it("binary frames of any content get a bad_message reply", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const parsed = parseFrame(bytes);
        expect(parsed.kind === "reply" && parsed.reply["error"]).toBe("bad_message");
      }),
    );
  });

  it("start a trigger only when the connection holds its grant, whatever the type and grants", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.array(fc.constantFrom<string>("none", "A_TOKEN", "B_TOKEN", "__proto__"), { maxLength: 3 }), async (type, grants) => {
        const started: string[] = [];
        const trigger = (name: string, auth: string): MessageTrigger => ({
          auth,
          start: async () => {
            started.push(name);
            return { flow: name, instance_id: "i-1", status: "started" };
          },
        });
        const triggers = { a: trigger("a", "A_TOKEN"), b: trigger("b", "B_TOKEN"), open: trigger("open", "none") };
        const reply = await handleMessage(triggers, grants, type, { type });
        const known = Object.hasOwn(triggers, type) ? triggers[type as keyof typeof triggers] : undefined;
        if (known && grants.includes(known.auth)) {
          expect(started).toEqual([type]);
          expect(reply["type"]).toBe(`${type}:started`);
        } else {
          expect(started).toEqual([]);
          expect(reply["error"]).toBe(known ? "unauthorized" : "unknown_type");
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("upgrade headers from any client", () => {
  // Header values a Request accepts: visible ASCII, spaces and tabs.
  const headerText = fc.string({ unit: fc.constantFrom(..."abcXYZ019-_=+/., \t;:bearer.cf-flows".split("")), maxLength: 80 });

  it("give one token or a reason, never a throw", () => {
    fc.assert(
      fc.property(fc.option(headerText), fc.option(headerText), (protocols, authorization) => {
        const headers = new Headers({ upgrade: "websocket" });
        if (protocols !== null) headers.set("sec-websocket-protocol", protocols);
        if (authorization !== null) headers.set("authorization", authorization);
        const presented = presentedToken(new Request("https://flows.example/agents/order-agent/a", { headers }));
        if (!presented.ok) expect(presented.reason.length).toBeGreaterThan(0);
        else if (presented.token !== undefined) expect(presented.token).not.toBe("");
      }),
      { numRuns: 1000 },
    );
  });
});
