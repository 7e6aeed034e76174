import { env } from "cloudflare:workers";
import { createScheduledController, introspectWorkflow } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../generated/worker.ts";
import { SECRETS, fakeOutbound, hmacHex, jsonResponse, send } from "./helpers.ts";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const DEPLOY = "https://api.example.com/deployments";
const REPORT = "https://api.example.com/hooks/deploys";

async function push(after: string, ref = "refs/heads/main") {
  const body = JSON.stringify({ ref, after, pusher: { name: "ada" } });
  const signature = `sha256=${await hmacHex(SECRETS.GITHUB_WEBHOOK_SECRET, body)}`;
  return send("POST", "/webhooks/github", { rawBody: body, headers: { "x-hub-signature-256": signature } });
}

describe("github-push: guards, sleeps and cron", () => {
  it("runs to the end with sleeps skipped, passing the deploy's output to the report", async () => {
    const outbound = fakeOutbound({ [DEPLOY]: () => jsonResponse({ id: "dep-7" }, 201), [REPORT]: () => jsonResponse({ ok: true }) });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.GITHUB_PUSH_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
    });
    expect((await push("c0ffee")).status).toBe(202);
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(outbound.calls.map((c) => c.url)).toEqual([DEPLOY, REPORT]);
    expect(JSON.parse(outbound.calls[0]!.body)).toEqual({ ref: "refs/heads/main", commit: "c0ffee" });
    expect(outbound.calls[0]!.headers["authorization"]).toBe("test-deploy-token");
    expect(JSON.parse(outbound.calls[1]!.body)).toEqual({ ref: "refs/heads/main", deployment: "dep-7" });
  });

  it("skips a step whose if: is false; its output is null", async () => {
    const outbound = fakeOutbound({ [REPORT]: () => jsonResponse({ ok: true }) });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.GITHUB_PUSH_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
    });
    await push("feed01", "refs/heads/feature");
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(outbound.calls.map((c) => c.url)).toEqual([REPORT]);
    expect(JSON.parse(outbound.calls[0]!.body)).toEqual({ ref: "refs/heads/feature", deployment: null });
  });

  it("starts the flow from its cron trigger with the cron's input and defaults", async () => {
    restore = fakeOutbound({ "https://": () => jsonResponse({ id: "nightly" }) }).restore;
    await using wf = await introspectWorkflow(env.GITHUB_PUSH_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
    });
    await worker.scheduled(createScheduledController({ cron: "0 3 * * *", scheduledTime: Date.UTC(2026, 10, 25, 3) }), env);
    const [instance] = await wf.get();
    expect(instance).toBeDefined();
    await instance!.waitForStatus("complete");
    // `settle` is guarded by `pusher != 'scheduler'`: the cron run has the default pusher, so it was skipped.
    expect(await instance!.waitForStepResult({ name: "deploy" })).toEqual({ body: { id: "nightly" } });
  });

  it("a cron expression that no trigger uses starts nothing", async () => {
    await using wf = await introspectWorkflow(env.GITHUB_PUSH_WORKFLOW);
    await worker.scheduled(createScheduledController({ cron: "1 2 3 4 5" }), env);
    expect(await wf.get()).toHaveLength(0);
  });
});
