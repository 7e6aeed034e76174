import { vi } from "vitest";

/**
 * Outbound HTTP faked inside workerd: fetch is replaced in the isolate where
 * the Worker, its Agents and its Workflows all run, so nothing reaches the
 * network. The flow-test runner uses it; so can a project's own Workers tests.
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

