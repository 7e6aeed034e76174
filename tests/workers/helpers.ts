import { env, exports } from "cloudflare:workers";
import { vi } from "vitest";

/**
 * Test helpers that run inside workerd next to the generated Worker.
 * Outbound HTTP is faked by replacing fetch in this isolate (the Worker,
 * its Agents and its Workflows all run here), so nothing reaches the network.
 */

export { fakeOutbound, type FakeHandler, type RecordedCall } from "cf-flows/testing";

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** Sends a request to the generated Worker's fetch handler. */
export async function send(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await exports.default.fetch(`https://flows.test${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Lower-case hex HMAC-SHA256, as GitHub signs webhooks. */
export async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The secrets the tests' Worker runs with (see vitest.config.ts). */
export const SECRETS = {
  FLIGHTS_TOKEN: "test-flights-token",
  EXPENSES_TOKEN: "test-expenses-token",
  APPROVER_TOKEN: "test-approver-token",
  GITHUB_WEBHOOK_SECRET: "test-hmac-secret",
  ORDERS_TOKEN: "test-orders-token",
  PARCELS_TOKEN: "test-parcels-token",
  CRM_TOKEN: "test-crm-token",
  STOREFRONT_TOKEN: "test-storefront-token",
  ORDERS_DASHBOARD_TOKEN: "test-orders-dashboard-token",
  SUPPORT_TOKEN: "test-support-token",
  LIBRARY_TOKEN: "test-library-token",
  LIBRARY_API_KEY: "test-library-api-key",
  SHOP_TOKEN: "test-shop-token",
} as const;

/**
 * How long a test waits for something the Worker does before calling it a hang. Only a bound,
 * never a speed check: generous, since the machine running the suite may be loaded (the
 * workers project's testTimeout, vitest.config.ts, is larger still).
 */
export const HANG_MS = 30_000;

/**
 * Waits for an instance to reach `status` by asking the binding. (The
 * introspector's own waitForStatus does not notice a resume caused by a real
 * `sendEvent`, so tests that deliver events through a trigger poll instead.)
 */
export async function waitForInstance(workflow: Workflow, id: string, status: InstanceStatus["status"], timeoutMs = HANG_MS): Promise<InstanceStatus> {
  let instance: WorkflowInstance | undefined;
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    // An instance another one starts (a called child) may not exist yet.
    instance ??= await workflow.get(id).catch(() => undefined);
    if (!instance) continue;
    const current = await instance.status();
    if (current.status === status) return current;
    if (["complete", "errored", "terminated"].includes(current.status)) throw new Error(`${id} ended ${current.status}, not ${status}`);
  }
  throw new Error(`${id} did not reach ${status} in ${timeoutMs} ms`);
}

/**
 * Records every message the Worker sends through its `send_email` binding
 * (`EMAIL`). The binding is the same object in the workflows of this isolate,
 * so a spy on it sees their sends; each call still goes on to miniflare's
 * local send_email binding (which validates and logs it), unless `fail` says
 * to throw instead.
 */
export function spyEmail(options: { fail?: (message: EmailMessageBuilder) => Error | undefined } = {}): { sent: EmailMessageBuilder[]; restore: () => void } {
  const sent: EmailMessageBuilder[] = [];
  const binding = env.EMAIL;
  const deliver = binding.send;
  const spy = vi.spyOn(binding, "send").mockImplementation(async (message: EmailMessageBuilder) => {
    const failure = options.fail?.(message);
    if (failure) throw failure;
    const result = await deliver(message);
    sent.push(message);
    return result;
  });
  return { sent, restore: () => spy.mockRestore() };
}

/** A promise with its resolve function, for tests that hold a fake endpoint open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves with `promise`, or rejects after `ms` with `what` in the message. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))]);
}

export interface AgentSocket {
  /** Every JSON message received so far, in order. */
  readonly messages: Record<string, unknown>[];
  send(message: unknown): void;
  sendRaw(frame: string | ArrayBuffer): void;
  /** The first message (already received or still to come) that matches. */
  next(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

/** How a test client presents its token: as a browser does (subprotocols), in the Authorization header, or not at all. */
export type Presenting = { readonly protocols?: readonly string[]; readonly headers?: Record<string, string> };

/** The subprotocols a browser offers to present `token` (docs/language.md, "Connecting from a browser"). */
export function tokenProtocols(token: string): string[] {
  const base64url = btoa(token).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return ["cf-flows", `bearer.${base64url}`];
}

/** The upgrade request a WebSocket client sends to `/agents/<agent-kebab>/<name>` (plus `query`), through the Worker's fetch. */
export function upgradeAgent(agent: string, name: string, presenting: Presenting = {}, query = ""): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket", ...presenting.headers };
  if (presenting.protocols) headers["Sec-WebSocket-Protocol"] = presenting.protocols.join(", ");
  return exports.default.fetch(`https://flows.test/agents/${agent}/${name}${query}`, { headers });
}

/** Opens a WebSocket to an Agent instance through the Worker's fetch, presenting `token` as a browser would. */
export async function connectAgent(agent: string, name: string, token: string): Promise<AgentSocket> {
  const response = await upgradeAgent(agent, name, { protocols: tokenProtocols(token) });
  const ws = response.webSocket;
  if (!ws) throw new Error(`no WebSocket from /agents/${agent}/${name}: ${response.status} ${await response.text()}`);
  ws.accept();
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (event) => {
    if (typeof event.data === "string") messages.push(JSON.parse(event.data) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    sendRaw: (frame) => ws.send(frame),
    async next(match, timeoutMs = HANG_MS) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        const left = end - Date.now();
        if (left <= 0) throw new Error(`no matching message; received: ${JSON.stringify(messages.map((m) => m["type"]))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
    },
    close: () => ws.close(),
  };
}
