import { env, exports } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject, type WorkflowIntrospector } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FlightAgent } from "../../generated/agents/flight-agent.ts";
import { HttpStepFatalError, NonRetryableError } from "../../runtime/errors.ts";
import { httpCall } from "../../runtime/http-step.ts";
import { readRequest } from "../../runtime/request-context.ts";
import { HANG_MS, SECRETS, fakeOutbound, hmacHex, jsonResponse, spyEmail } from "./helpers.ts";

/**
 * Hostile HTTP input against the generated Worker's triggers. Every request
 * here must be refused with a 4xx and a JSON `{ error, reason }`, and start
 * nothing: no workflow instance (checked with introspectWorkflow on every
 * flow this Worker runs) and no scheduled start.
 */

const MIB = 1024 * 1024;

let watched: WorkflowIntrospector[] = [];
let restore: (() => void) | undefined;

beforeEach(async () => {
  watched = await Promise.all(
    [
      env.EXPENSE_APPROVAL_WORKFLOW,
      env.FLIGHT_STATUS_WORKFLOW,
      env.GITHUB_PUSH_WORKFLOW,
      env.ORDER_FULFILMENT_WORKFLOW,
      env.PARCEL_TRACKING_WORKFLOW,
      env.SEND_RECEIPT_WORKFLOW,
    ].map((w) => introspectWorkflow(w)),
  );
});

afterEach(async () => {
  restore?.();
  restore = undefined;
  await Promise.all(watched.map((w) => w.dispose()));
});

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

/** A request exactly as given: no default content type, any body (string, bytes, stream). */
async function raw(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit; token?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers["authorization"] = `Bearer ${init.token}`;
  const response = await exports.default.fetch(`https://flows.test${path}`, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsable: text.slice(0, 200) };
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body };
}

const json = { "content-type": "application/json" };

/** 4xx, JSON, a stable error code and a human reason. */
function expectRefused(answer: Answer, status: number, reason?: RegExp | string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.body["error"]).toEqual(expect.any(String));
  expect(answer.body["reason"]).toEqual(expect.any(String));
  expect(String(answer.body["reason"]).length).toBeGreaterThan(0);
  if (reason !== undefined) expect(String(answer.body["reason"])).toMatch(reason);
}

async function expectNothingStarted(): Promise<void> {
  for (const w of watched) expect(await w.get()).toHaveLength(0);
}

/** A body of `bytes` bytes sent as a stream, so the request has no content-length. */
function streamOf(bytes: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(chunk, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

describe("hostile input: bodies that are not JSON", () => {
  it.each([
    ["broken JSON", "{oops", /not valid JSON/],
    ["truncated JSON", '{"id": "x", "employee": "a', /not valid JSON/],
    ["JSON with a trailing comma", '{"id": "x",}', /not valid JSON/],
    ["a lone NaN", "NaN", /not valid JSON/],
    ["null", "null", /input is not valid/],
    ["a number", "42", /input is not valid/],
    ["an array", "[1, 2]", /input is not valid/],
    ["a string", '"expense"', /input is not valid/],
    ["an empty body", "", /input is not valid/],
  ])("%s is refused with 400", async (_, body, reason) => {
    expectRefused(await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body }), 400, reason);
    await expectNothingStarted();
  });

  it("bytes that are not UTF-8 are refused with 400", async () => {
    const body = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    expectRefused(await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body }), 400, /not valid JSON/);
    await expectNothingStarted();
  });

  it.each([
    ["arrays", "[".repeat(300_000) + "]".repeat(300_000)],
    ["objects", '{"a":'.repeat(150_000) + "1" + "}".repeat(150_000)],
  ])("deeply nested %s (under 1 MiB) are refused with 400, not a crash", async (_, body) => {
    expect(body.length).toBeLessThan(MIB);
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body });
    expectRefused(answer, 400);
    await expectNothingStarted();
  });
});

describe("hostile input: bodies over 1 MiB", () => {
  const big = `{"id":"big","employee":"ada","amount":1,"pad":"${"x".repeat(MIB)}"}`;

  it("with content-length: refused with 413 before the body is parsed", async () => {
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body: big });
    expectRefused(answer, 413, /larger than 1048576 bytes/);
    expect(answer.body["error"]).toBe("payload_too_large");
    await expectNothingStarted();
  });

  it("without content-length (streamed): refused with 413 once the limit is crossed", async () => {
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body: streamOf(MIB + 1) });
    expectRefused(answer, 413, /larger than 1048576 bytes/);
    await expectNothingStarted();
  });

  it("exactly at the limit is read (and then judged on its content)", async () => {
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body: streamOf(MIB) });
    // 1 MiB of spaces is not JSON: refused for that, not for its size.
    expectRefused(answer, 400, /not valid JSON/);
    await expectNothingStarted();
  });

  it("a signed webhook over the limit: 413 before the signature is even checked, with or without content-length", async () => {
    const signature = `sha256=${await hmacHex(SECRETS.GITHUB_WEBHOOK_SECRET, big)}`;
    const headers = { ...json, "x-hub-signature-256": signature };
    expectRefused(await raw("POST", "/webhooks/github", { headers, body: big }), 413);
    expectRefused(await raw("POST", "/webhooks/github", { headers, body: streamOf(2 * MIB) }), 413);
    await expectNothingStarted();
  });
});

describe("hostile input: a Content-Length that lies", () => {
  // Over HTTP the runtime frames a body by its Content-Length; a caller in-process (a service
  // binding, this test) can send any header with any body, so the trigger must not trust it.
  const expense = JSON.stringify({ id: "cl-lies", employee: "ada", amount: 10 });
  const refusedReason = /does not match its Content-Length/;

  it.each([
    ["shorter than the body", "5", refusedReason],
    ["longer than the body (bytes that never come)", String(expense.length + 100), refusedReason],
    // workerd itself drops the body of a request that declares none: an empty input.
    ["zero for a body", "0", /the flow input is not valid/],
  ])("%s: refused with 400, without hanging", async (_, declared, reason) => {
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: { ...json, "content-length": declared }, body: expense });
    expectRefused(answer, 400, reason);
    await expectNothingStarted();
  });

  it("a small one on a body of 8 MiB: refused with 400 at the first bytes past it, not read to the end", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8 * MIB) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: { ...json, "content-length": "5" }, body });
    expectRefused(answer, 400, refusedReason);
    expect(sent).toBeLessThan(MIB);
    await expectNothingStarted();
  });

  it("on a signed webhook whose signature matches the real body: still refused with 400", async () => {
    const push = JSON.stringify({ ref: "refs/heads/main", after: "c1-lies", pusher: { name: "ada" } });
    const headers = { ...json, "x-hub-signature-256": `sha256=${await hmacHex(SECRETS.GITHUB_WEBHOOK_SECRET, push)}`, "content-length": "7" };
    expectRefused(await raw("POST", "/webhooks/github", { headers, body: push }), 400, refusedReason);
    await expectNothingStarted();
  });

  it("chunked (no Content-Length) and well-formed: read in full and started", async () => {
    const outbound = fakeOutbound({ "https://api.example.com/hooks/expenses/": () => jsonResponse({ ok: true }, 202) });
    restore = outbound.restore;
    const bytes = new TextEncoder().encode(JSON.stringify({ id: "chunked-ok", employee: "ada", amount: 12.5 }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 7) controller.enqueue(bytes.slice(at, at + 7));
        controller.close();
      },
    });
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body).toMatchObject({ flow: "expense-approval", instance_id: "expense-chunked-ok" });
    const call = await until("the review call", () => outbound.calls[0]);
    expect(JSON.parse(call.body)).toMatchObject({ expense: "chunked-ok", employee: "ada", amount: 12.5 });
  });
});

describe("hostile input: content types", () => {
  const expense = JSON.stringify({ id: "ct", employee: "ada", amount: 10 });

  it.each([
    ["application/xml", "<expense/>", 415],
    ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nct\r\n--x--", 415],
    ["application/octet-stream", expense, 415],
    ["image/png", expense, 415],
    ["text/plain; charset=x-no-such-charset", expense, 415],
    ["text/plain", expense, 400], // read as text: a string is not the flow's input
    ["application/x-www-form-urlencoded", "id=ct&employee=ada&amount=10", 400], // form values are strings: amount is not a number
    ["application/json-seq", expense, 415],
  ])("%s is refused with %i", async (type, body, status) => {
    expectRefused(await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: { "content-type": type }, body }), status);
    await expectNothingStarted();
  });

  it("a body without any content type is refused with 415", async () => {
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: new TextEncoder().encode(expense) });
    expectRefused(answer, 415, /unsupported content type/);
    await expectNothingStarted();
  });
});

describe("hostile input: prototype keys", () => {
  it.each([
    ["__proto__ at the top", '{"__proto__": {"polluted": true}, "id": "p1", "employee": "ada", "amount": 1}', "__proto__"],
    ["constructor at the top", '{"constructor": {"prototype": {"polluted": true}}, "id": "p2", "employee": "ada", "amount": 1}', "prototype"],
    ["__proto__ deep in a list", '{"id": "p3", "employee": "ada", "amount": 1, "meta": {"tags": [1, {"x": [{"__proto__": {"polluted": true}}]}]}}', "__proto__"],
    ["constructor deep down", '{"id": "p4", "employee": "ada", "amount": 1, "a": {"b": {"c": {"d": {"constructor": 1}}}}}', "constructor"],
    ["prototype as a key", '{"id": "p5", "employee": "ada", "amount": 1, "prototype": null}', "prototype"],
  ])("%s is refused with 400", async (_, body, key) => {
    expectRefused(await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body }), 400, new RegExp(`forbidden key ${key}`));
    await expectNothingStarted();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it.each(["__proto__[polluted]=1&id=p6&employee=ada&amount=1", "constructor=x&id=p7", "id=p8&prototype=1"])("form field %s is refused with 400", async (body) => {
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expectRefused(answer, 400);
    await expectNothingStarted();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("the same keys on a send_event trigger are refused before any event is delivered", async () => {
    const answer = await raw("POST", "/expenses/victim/approve", { token: SECRETS.APPROVER_TOKEN, headers: json, body: '{"approved": true, "__proto__": {"approved": true}}' });
    expectRefused(answer, 400, /forbidden key __proto__/);
    await expectNothingStarted();
  });
});

describe("hostile input: path traversal in path parameters", () => {
  it.each([
    "/expenses/..%2F..%2Fadmin/approve",
    "/expenses/..%2fadmin/approve",
    "/expenses/%2e%2e%2f%2e%2e%2fadmin/approve",
    "/expenses/a%2Fb/approve",
    "/expenses/..%5C..%5Cadmin/approve",
    "/expenses/a%5Cb/approve",
    "/expenses/%2e%2e/approve",
    "/expenses/../approve",
    "/expenses/./approve",
    "/expenses/%2e/approve",
    "/expenses//approve",
    "/expenses/%00/approve",
    "/expenses/a%0d%0ab/approve",
    "/expenses/%E0%A4%A/approve",
    "/expenses/e1/approve/..%2F..%2F",
    "/crm/contacts/..%2F..%2Fadmin/sync",
    "/crm/contacts/%2e%2e/sync",
  ])("%s matches no trigger: 404", async (path) => {
    // With valid credentials for both routes, so only the path decides.
    for (const token of [SECRETS.APPROVER_TOKEN, SECRETS.CRM_TOKEN]) {
      const answer = await raw("POST", path, { token, headers: json, body: '{"approved": true}' });
      expectRefused(answer, 404, /no trigger matches this path/);
    }
    await expectNothingStarted();
  });

  it("a double-encoded traversal reaches the trigger as plain text and is refused as an instance id", async () => {
    const answer = await raw("POST", "/expenses/%252e%252e%252fadmin/approve", { token: SECRETS.APPROVER_TOKEN, headers: json, body: '{"approved": true}' });
    expectRefused(answer, 400);
    expect(answer.body["error"]).toBe("invalid_instance_id");
    await expectNothingStarted();
  });
});

describe("hostile input: CR/LF meant for outgoing headers", () => {
  it("in a value that becomes part of an instance id (and of mail headers later): refused with 400", async () => {
    const order = {
      order_id: "o1\r\nBcc: victim@example.com",
      customer: "ada",
      email: "ada@example.com",
      shipping: "pickup",
      items: [{ sku: "tea", quantity: 1 }],
      total: 10,
    };
    const answer = await raw("POST", "/orders", { token: SECRETS.ORDERS_TOKEN, headers: json, body: JSON.stringify(order) });
    expectRefused(answer, 400);
    expect(answer.body["error"]).toBe("invalid_instance_id");
    const parcel = { tracking_number: "t1\r\nX-Injected: 1", customer: "ada", email: "ada@example.com", ship_date: "2030-01-01T00:00:00Z" };
    expectRefused(await raw("POST", "/parcels", { token: SECRETS.PARCELS_TOKEN, headers: json, body: JSON.stringify(parcel) }), 400);
    await expectNothingStarted();
  });

  it("in an address field: refused by the input schema (format: email)", async () => {
    const order = { order_id: "o2", customer: "ada", email: "ada@example.com\r\nBcc: victim@example.com", shipping: "pickup", items: [{ sku: "tea", quantity: 1 }], total: 10 };
    const answer = await raw("POST", "/orders", { token: SECRETS.ORDERS_TOKEN, headers: json, body: JSON.stringify(order) });
    expectRefused(answer, 400);
    expect(answer.body["error"]).toBe("invalid_input");
    await expectNothingStarted();
  });

  it("in a value an http step would put into a header: the step refuses it before sending, without retry", async () => {
    // No example flow copies request data into an outgoing header, so this drives the
    // same two runtime pieces a generated trigger and http step use, with a hostile request.
    const request = new Request("https://flows.test/anything", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ user: "ada\r\nX-Injected: yes", trace: "t\nx" }),
    });
    const read = await readRequest(request, {});
    expect(read.ok).toBe(true);
    const body = read.ok ? (read.ctx.body as Record<string, string>) : {};
    const outbound = fakeOutbound({ "https://api.example.com/": () => jsonResponse({ ok: true }) });
    restore = outbound.restore;
    for (const value of [body["user"]!, body["trace"]!]) {
      const call = httpCall({ method: "GET", url: "https://api.example.com/users", headers: { "x-user": value } }, env);
      await expect(call).rejects.toBeInstanceOf(HttpStepFatalError);
      await expect(call).rejects.toBeInstanceOf(NonRetryableError);
      await expect(call).rejects.toThrow(/header x-user has an invalid value \(line breaks or control characters\)/);
      // The value itself is not echoed into the error (it may be anything).
      await expect(call).rejects.not.toThrow(/X-Injected/);
    }
    expect(outbound.calls).toHaveLength(0);
  });

  it("in a value that only reaches a JSON body or an agent's name: it is data, sent escaped, never as a header", async () => {
    const outbound = fakeOutbound({ "https://api.example.com/hooks/expenses/": () => jsonResponse({ ok: true }, 202) });
    restore = outbound.restore;
    const employee = "ada\r\nX-Injected: yes";
    const answer = await raw("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, headers: json, body: JSON.stringify({ id: "crlf-data", employee, amount: 5 }) });
    expect(answer.status).toBe(202);
    const call = await until("the review call", () => outbound.calls[0]);
    expect(Object.keys(call.headers)).not.toContain("x-injected");
    expect(JSON.parse(call.body)).toMatchObject({ employee });
    expect(call.body).toContain("\\r\\n");
  });

  // sendEmail refuses line breaks in header fields (subject, from, reply-to, addresses), which
  // miniflare's local binding would otherwise send as they are.
  it("in a mail subject built from the input: the e-mail step fails the instance instead of sending", async () => {
    const email = spyEmail();
    restore = email.restore;
    await watched[5]!.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    const id = "receipt-crlf";
    const agent = await getAgentByName(env.FlowAgent, "ada");
    const input = { customer: "ada", email: "ada@example.com", order_id: "o9\r\nBcc: victim@example.com", total: 1 };
    expect((await agent.startSendReceipt({ input, instanceId: id })).status).toBe("started");
    const ended = await waitForEnd(env.SEND_RECEIPT_WORKFLOW, id);
    expect(email.sent).toHaveLength(0);
    expect(ended.status).toBe("errored");
  });
});

describe("hostile input: delayed starts", () => {
  it("a refused request to a delayed trigger schedules nothing in its agent", async () => {
    const user = "hostile-flyer";
    for (const body of ['{"flight": "DL1", "date": "2026-12-01", "__proto__": {}}', "{nope", `{"flight": "${"A".repeat(10)}", "date": "2026-12-01"}`]) {
      const answer = await raw("POST", "/flights", { token: SECRETS.FLIGHTS_TOKEN, headers: { ...json, "user-id": user }, body });
      expectRefused(answer, 400);
    }
    const agent = await getAgentByName(env.FlightAgent, user);
    expect(await runInDurableObject(agent, async (a: FlightAgent) => a.listSchedules())).toHaveLength(0);
    await expectNothingStarted();
  });
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = HANG_MS): Promise<T> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const value = probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function waitForEnd(workflow: Workflow, id: string, timeoutMs = HANG_MS): Promise<InstanceStatus> {
  const instance = await workflow.get(id);
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const status = await instance.status();
    if (["complete", "errored", "terminated"].includes(status.status)) return status;
  }
  throw new Error(`${id} did not end in ${timeoutMs} ms`);
}
