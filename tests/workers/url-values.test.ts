import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import type { PollPayload } from "../../runtime/flow-agent.ts";
import { SECRETS, fakeOutbound, jsonResponse, send, waitForInstance, type RecordedCall } from "./helpers.ts";

/**
 * Hostile values in http URLs, end to end (dsl.md §10.9), with book-status:
 * its lookup URL is `${{ env.API_BASE }}/books/${{ input.book_id }}/status?branch=${{ input.branch }}&fields=status`
 * (with the LIBRARY_API_KEY secret header), its second step posts to the
 * whole URL `${{ input.callback_url }}` (no secrets), and its poll action
 * posts to `${{ env.API_BASE }}/books/${{ input.book_id }}/checks?branch=…`.
 * The faked outbound fetch records the exact URL and headers of each call.
 */

const API = "https://api.example.com/";
const APP = "https://app.example.net/hooks/books";
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

function outbound(): RecordedCall[] {
  const fake = fakeOutbound({ [API]: () => jsonResponse({ status: "on_shelf" }), "https://app.example.net/": () => new Response(null, { status: 204 }) });
  restore = fake.restore;
  return fake.calls;
}

let next = 0;

/** Starts book-status through its trigger and waits until the instance ends as `status`. */
async function run(input: { book_id?: string; branch?: string; callback_url?: string }, status: "complete" | "errored") {
  const id = `url-${++next}`;
  const body = { request_id: id, book_id: "b1", branch: "main", callback_url: APP, ...input };
  const res = await send("POST", "/book-checks", { token: SECRETS.LIBRARY_TOKEN, body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { id, done: await waitForInstance(env.BOOK_STATUS_WORKFLOW, id, status) };
}

const lookupUrl = (segment: string, component = "main") => `${API}books/${segment}/status?branch=${component}&fields=status`;

/** value → how it must appear, encoded, as a path segment or a query component. */
const ENCODED: readonly (readonly [string, string])[] = [
  ["../", "..%2F"],
  ["?", "%3F"],
  ["#", "%23"],
  ["%2F", "%252F"],
  ["@", "%40"],
  ["//evil.example", "%2F%2Fevil.example"],
  ["a\r\nHost: evil.example", "a%0D%0AHost%3A%20evil.example"],
  ["é", "%C3%A9"],
  ["📚 livre", "%F0%9F%93%9A%20livre"],
  ["&x=1", "%26x%3D1"],
  ["b1/../../admin?drop=all#", "b1%2F..%2F..%2Fadmin%3Fdrop%3Dall%23"],
  ["\\..\\admin", "%5C..%5Cadmin"],
];

describe("a value in the path stays one segment", () => {
  it.each(ENCODED)("%j", async (value, encoded) => {
    const calls = outbound();
    await run({ book_id: value }, "complete");
    expect(calls[0]!.url).toBe(lookupUrl(encoded));
    expect(calls[0]!.headers["authorization"]).toBe(SECRETS.LIBRARY_API_KEY);
    // The callback is the app's own URL, and it never gets the API key.
    expect(calls[1]!.url).toBe(APP);
    expect(calls[1]!.headers["authorization"]).toBeUndefined();
  });

  it.each([".", ".."])("%j is refused, since no encoding of it stays a plain segment", async (value) => {
    const calls = outbound();
    const { done } = await run({ book_id: value }, "errored");
    expect(done.error?.message).toContain(`the URL's path \${{ input.book_id }} is '${value}'`);
    expect(calls).toEqual([]);
  });
});

describe("a value in the query stays one component", () => {
  it.each([...ENCODED, ["..", ".."], [".", "."]] as const)("%j", async (value, encoded) => {
    const calls = outbound();
    await run({ branch: value }, "complete");
    expect(calls[0]!.url).toBe(lookupUrl("b1", encoded));
    // The parsed query has exactly the template's two keys.
    expect([...new URL(calls[0]!.url).searchParams.keys()]).toEqual(["branch", "fields"]);
    expect(new URL(calls[0]!.url).searchParams.get("branch")).toBe(value);
  });
});

describe("a whole-URL value must be an absolute http(s) URL", () => {
  it.each([
    ["javascript:alert(1)", "it gave a javascript: URL"],
    ["//evil.example/x", "it gave a URL without a scheme"],
    ["ftp://x", "it gave a ftp: URL"],
    ["/hooks/books", "it gave a relative or malformed URL"],
    ["../", "it gave a relative or malformed URL"],
    ["..", "it gave a relative or malformed URL"],
    ["//evil.example", "it gave a URL without a scheme"],
    ["📚", "it gave a relative or malformed URL"],
    ["b1/../../admin?drop=all#", "it gave a relative or malformed URL"],
    ["?", "it gave a relative or malformed URL"],
    ["#", "it gave a relative or malformed URL"],
    ["%2F", "it gave a relative or malformed URL"],
    ["@", "it gave a relative or malformed URL"],
    ["&x=1", "it gave a relative or malformed URL"],
    ["é", "it gave a relative or malformed URL"],
    ["\r\n", "it gave a relative or malformed URL"],
    ["", "it gave empty text"],
  ])("%j is refused", async (value, reason) => {
    const calls = outbound();
    const { done } = await run({ callback_url: value }, "errored");
    expect(done.error?.message).toBe(`the URL's start \${{ input.callback_url }} must give an absolute http:// or https:// URL; ${reason}.`);
    // The lookup ran first (with its key, to the API); nothing went to the refused URL.
    expect(calls.map((c) => c.url)).toEqual([lookupUrl("b1")]);
  });

  it("an absolute URL is used as it is, without the secret headers of other steps", async () => {
    const calls = outbound();
    await run({ callback_url: "https://app.example.net/hooks/books?member=42#top" }, "complete");
    expect(calls[1]!.url).toBe("https://app.example.net/hooks/books?member=42#top");
    expect(calls[1]!.headers["authorization"]).toBeUndefined();
  });
});

describe("the poll's http action places values the same way", () => {
  it("encodes the path and query values of its URL and sends its secret header only to API_BASE", async () => {
    const calls = outbound();
    const { id } = await run({ book_id: "../admin", branch: "a&b=c" }, "complete");
    const agent = await getAgentByName(env.FlowAgent, "default");
    await runInDurableObject(agent, async (a: FlowAgent) => {
      const poll = (await a.listSchedules()).find((s) => s.callback === "pollBookStatus" && (s.payload as PollPayload).instanceId === id);
      expect(poll).toBeDefined();
      await a.pollBookStatus(poll!.payload as PollPayload, poll as Schedule<PollPayload>);
    });
    const check = calls.find((c) => c.url.includes("/checks"));
    expect(check?.url).toBe(`${API}books/..%2Fadmin/checks?branch=a%26b%3Dc`);
    expect(check?.headers["authorization"]).toBe(SECRETS.LIBRARY_API_KEY);
  });
});
