import { exports } from "cloudflare:workers";
import { vi } from "vitest";

/**
 * Test helpers that run inside workerd next to the generated Worker.
 * Outbound HTTP is faked by replacing fetch in this isolate (the Worker,
 * its Agents and its Workflows all run here), so nothing reaches the network.
 */

export interface RecordedCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type FakeHandler = (call: RecordedCall) => Response | Promise<Response>;

/** Fakes outbound fetch: the first route whose URL prefix matches answers; anything else fails the call loudly. */
export function fakeOutbound(routes: Record<string, FakeHandler>): { calls: RecordedCall[]; restore: () => void } {
  const calls: RecordedCall[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const call: RecordedCall = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: request.body ? await request.text() : "",
    };
    calls.push(call);
    const prefix = Object.keys(routes).find((p) => call.url.startsWith(p));
    if (!prefix) return new Response(`no fake for ${call.url}`, { status: 599 });
    return routes[prefix]!(call);
  });
  return { calls, restore: () => spy.mockRestore() };
}

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
} as const;

/**
 * Waits for an instance to reach `status` by asking the binding. (The
 * introspector's own waitForStatus does not notice a resume caused by a real
 * `sendEvent`, so tests that deliver events through a trigger poll instead.)
 */
export async function waitForInstance(workflow: Workflow, id: string, status: InstanceStatus["status"], timeoutMs = 4000): Promise<InstanceStatus> {
  const instance = await workflow.get(id);
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const current = await instance.status();
    if (current.status === status) return current;
    if (["complete", "errored", "terminated"].includes(current.status)) throw new Error(`${id} ended ${current.status}, not ${status}`);
  }
  throw new Error(`${id} did not reach ${status} in ${timeoutMs} ms`);
}
