import { env } from "cloudflare:workers";
import { introspectWorkflow } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { SECRETS, fakeOutbound, hmacHex, jsonResponse, send } from "./helpers.ts";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const expense = (id: string) => ({ id, employee: "ada", amount: 42 });

describe("http trigger auth", () => {
  it("answers 401 without a token and starts nothing", async () => {
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    const res = await send("POST", "/expenses", { body: expense("a1") });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "unauthorized", reason: "missing bearer token" });
    expect(await wf.get()).toHaveLength(0);
  });

  it("answers 401 with a wrong token and starts nothing", async () => {
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    const res = await send("POST", "/expenses", { token: "not-the-token", body: expense("a2") });
    expect(res.status).toBe(401);
    expect(res.body["reason"]).toBe("invalid bearer token");
    expect(await wf.get()).toHaveLength(0);
  });

  it("checks auth before the body: a bad body without a token is still 401", async () => {
    const res = await send("POST", "/expenses", { rawBody: "{not json" });
    expect(res.status).toBe(401);
  });

  it("rejects a webhook with a bad HMAC signature", async () => {
    await using wf = await introspectWorkflow(env.GITHUB_PUSH_WORKFLOW);
    const body = JSON.stringify({ ref: "refs/heads/main", after: "abc123", pusher: { name: "ada" } });
    const res = await send("POST", "/webhooks/github", { rawBody: body, headers: { "x-hub-signature-256": `sha256=${"0".repeat(64)}` } });
    expect(res.status).toBe(401);
    expect(res.body["reason"]).toBe("invalid signature");
    const missing = await send("POST", "/webhooks/github", { rawBody: body });
    expect(missing.status).toBe(401);
    expect(await wf.get()).toHaveLength(0);
  });

  it("accepts a webhook signed with the secret (GitHub style) and starts the flow", async () => {
    await using wf = await introspectWorkflow(env.GITHUB_PUSH_WORKFLOW);
    const body = JSON.stringify({ ref: "refs/heads/main", after: "abc123", pusher: { name: "ada" } });
    const signature = `sha256=${await hmacHex(SECRETS.GITHUB_WEBHOOK_SECRET, body)}`;
    const res = await send("POST", "/webhooks/github", { rawBody: body, headers: { "x-hub-signature-256": signature } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ flow: "github-push", instance_id: "push-abc123", status: "started" });
    expect(await wf.get()).toHaveLength(1);
  });
});

describe("http trigger input", () => {
  it("answers 400 naming the failing fields, and starts nothing", async () => {
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    const res = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: { id: "a3", employee: 7, amount: -5 } });
    expect(res.status).toBe(400);
    expect(res.body["error"]).toBe("invalid_input");
    const fields = (res.body["fields"] as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(["amount", "employee"]);
    expect(await wf.get()).toHaveLength(0);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, rawBody: "{nope" });
    expect(res.status).toBe(400);
    expect(res.body["reason"]).toBe("request body is not valid JSON");
  });

  it("answers 400 when the instance id computed from the request is not a valid id", async () => {
    const res = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: expense("has spaces/and slashes") });
    expect(res.status).toBe(400);
    expect(res.body["error"]).toBe("invalid_instance_id");
  });

  it("answers 404 for an unknown path and 405 for a known path with another method", async () => {
    expect((await send("POST", "/nowhere")).status).toBe(404);
    const wrongMethod = await send("GET", "/expenses", { token: SECRETS.EXPENSES_TOKEN });
    expect(wrongMethod.status).toBe(405);
  });
});

describe("starting flows", () => {
  it("answers 202 with the flow and the instance id", async () => {
    restore = fakeOutbound({ "https://": () => jsonResponse({ ok: true }) }).restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    const res = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: expense("a4") });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ flow: "expense-approval", instance_id: "expense-a4", status: "started" });
    const instances = await wf.get();
    expect(instances).toHaveLength(1);
  });

  it("starts one instance when the same instance_id is triggered twice", async () => {
    restore = fakeOutbound({ "https://": () => jsonResponse({ ok: true }) }).restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    const first = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: expense("dup") });
    const second = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: expense("dup") });
    expect(first.body).toMatchObject({ instance_id: "expense-dup", status: "started" });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ instance_id: "expense-dup", status: "exists" });
    expect(await wf.get()).toHaveLength(1);
  });

  it("reports an existing instance even when another agent started it", async () => {
    restore = fakeOutbound({ "https://": () => jsonResponse({ ok: true }) }).restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: { id: "shared", employee: "ada", amount: 1 } });
    const other = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: { id: "shared", employee: "grace", amount: 1 } });
    expect(other.body).toMatchObject({ instance_id: "expense-shared", status: "exists" });
    expect(await wf.get()).toHaveLength(1);
  });
});
