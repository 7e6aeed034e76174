import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { describe, expect, it } from "vitest";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import type { PollPayload } from "../../runtime/flow-agent.ts";
import { SECRETS, send, waitForInstance } from "./helpers.ts";

/**
 * crm-sync has `workflow.script: crm-worker`: its workflow runs in another
 * Worker, reached through a binding with `script_name`. Here a stand-in for
 * that Worker (tests/workers/fixtures/crm-worker.js, wired in
 * vitest.config.ts) runs beside ours, so the trigger and the poll are tested
 * against the binding exactly as generated.
 */

async function pollOnce(agentName: string): Promise<void> {
  const agent = await getAgentByName(env.FlowAgent, agentName);
  await runInDurableObject(agent, async (a: FlowAgent) => {
    const poll = a.getSchedules<PollPayload>().find((s) => s.callback === "pollCrmSync");
    if (!poll) throw new Error("no poll schedule");
    await a.pollCrmSync(poll.payload, poll);
  });
}

describe("crm-sync: a workflow of another Worker", () => {
  it("starts it through the script_name binding, and the poll records its result", async () => {
    const res = await send("POST", "/crm/contacts/c1/sync?source=import", { token: SECRETS.CRM_TOKEN });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ flow: "crm-sync", instance_id: "crm-c1", status: "started" });
    const done = await waitForInstance(env.CRM_SYNC_WORKFLOW, "crm-c1", "complete");
    expect(done.output).toEqual({ contact: "c1", source: "import", crm_id: "crm-c1" });

    await pollOnce("default");
    const agent = await getAgentByName(env.FlowAgent, "default");
    const state = await runInDurableObject(agent, async (a: FlowAgent) => a.state);
    expect(state).toMatchObject({ contact: "c1", status: "complete", synced: { contact: "c1", source: "import", crm_id: "crm-c1" } });
    // A finished instance ends its poll.
    expect(await runInDurableObject(agent, async (a: FlowAgent) => a.getSchedules().filter((s) => s.callback === "pollCrmSync"))).toEqual([]);
  });

  it("records a failure of the other Worker's workflow", async () => {
    await send("POST", "/crm/contacts/broken/sync", { token: SECRETS.CRM_TOKEN });
    await waitForInstance(env.CRM_SYNC_WORKFLOW, "crm-broken", "errored");
    await pollOnce("default");
    const agent = await getAgentByName(env.FlowAgent, "default");
    const state = await runInDurableObject(agent, async (a: FlowAgent) => a.state);
    expect(state).toMatchObject({ contact: "broken", status: "errored", error: { message: expect.stringContaining("contact broken cannot be synced") } });
  });
});
