import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import { validateSendReceiptInput } from "../../generated/flows/send-receipt/input.ts";
import { childStart, startedChild } from "../../runtime/flow-call.ts";
import { spyEmail, waitForInstance } from "./helpers.ts";
import { fakeShop, order, placeOrder } from "./shop.ts";

/**
 * `call:` and `email:` through order-fulfilment, which calls send-receipt
 * with `wait: true` and then e-mails the customer itself.
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

describe("call (wait: true) and email", () => {
  it("starts the child through its owning agent, waits for it, and outputs the child's output", async () => {
    const shop = fakeShop();
    const email = spyEmail();
    cleanups.push(shop.restore, email.restore);
    await placeOrder(order("call", { customer: "linus", shipping: "standard" }));
    const parent = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-call", "complete");

    // The child's id is derived from the parent's id and the step name; it ran to completion first.
    const child = await waitForInstance(env.SEND_RECEIPT_WORKFLOW, "order-call-receipt", "complete");
    expect(child.output).toEqual({ sent: true });
    // The call step's output is the child's output.
    expect(parent.output).toMatchObject({ receipt_sent: true });
    // The child was started, and is tracked, by its own flow's agent under the caller's agent name.
    const agent = await getAgentByName(env.FlowAgent, "linus");
    const tracked = await runInDurableObject(agent, async (a: FlowAgent) => a.getWorkflow("order-call-receipt"));
    expect(tracked).toMatchObject({ workflowName: "SEND_RECEIPT_WORKFLOW" });
  });

  it("sends e-mails through the send_email binding with the computed to, subject and body", async () => {
    const shop = fakeShop();
    const email = spyEmail();
    cleanups.push(shop.restore, email.restore);
    await placeOrder(order("mail", { customer: "ada", email: "ada@example.com", total: 100 }));
    await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-mail", "complete");
    expect(email.sent).toEqual([
      // send-receipt's `mail` step (the child runs before the parent's own e-mail).
      {
        to: "ada@example.com",
        from: "receipts@example.com",
        subject: "Your receipt for order mail",
        text: "Hello ada, thank you for order mail. We charged 115 EUR.",
        html: "<p>Hello ada,</p><p>thank you for order <b>mail</b>. We charged 115 EUR.</p>",
      },
      // order-fulfilment's `confirm` step.
      {
        to: "ada@example.com",
        from: "orders@example.com",
        subject: "Order mail is on its way",
        text: "Your order ships by courier and arrives in about 1 days. You earned 200 loyalty points.",
      },
    ]);
  });

  it("fails the caller when the child fails, naming the child and its error", async () => {
    const shop = fakeShop();
    const email = spyEmail({ fail: (m) => (m.from === "receipts@example.com" ? new Error("mailbox full") : undefined) });
    cleanups.push(shop.restore, email.restore);
    await using children = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    await children.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    await placeOrder(order("fail", { customer: "edsger" }));
    const child = await waitForInstance(env.SEND_RECEIPT_WORKFLOW, "order-fail-receipt", "errored").catch(async () => {
      throw new Error(`child: ${JSON.stringify(await (await env.SEND_RECEIPT_WORKFLOW.get("order-fail-receipt")).status())}`);
    });
    expect(child.error?.message).toContain("mailbox full");
    const parent = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-fail", "errored");
    expect(parent.error?.message).toContain("call receipt: flow send-receipt (instance order-fail-receipt) failed:");
    expect(parent.error?.message).toContain("mailbox full");
    // Nothing after the call ran: the confirmation was never sent.
    expect(email.sent).toEqual([]);
  });
});

describe("call (wait: false)", () => {
  // No example flow calls without waiting yet, so this drives the same runtime calls the
  // generated step makes (tests/generator/emit-blocks.test.ts checks that code): the start
  // through the child's agent gives `{ instance_id }`, and the child runs on its own,
  // reporting to no one.
  it("starts the child, outputs its instance id, and does not wait for it", async () => {
    const email = spyEmail();
    cleanups.push(email.restore);
    const start = childStart(validateSendReceiptInput, "send-receipt", { customer: "ada", email: "ada@example.com", order_id: "nw", total: 5 }, { stepName: "kick", parentId: "caller-1" });
    expect(start.parent).toBeUndefined();
    const agent = await getAgentByName(env.FlowAgent, "ada");
    const output = startedChild(await agent.startSendReceipt(start));
    expect(output).toEqual({ instance_id: "caller-1-kick" });
    // A retried step finds the same child instead of starting another.
    expect(await agent.startSendReceipt(start)).toMatchObject({ instance_id: "caller-1-kick", status: "exists" });
    const child = await waitForInstance(env.SEND_RECEIPT_WORKFLOW, "caller-1-kick", "complete");
    expect(child.output).toEqual({ sent: true });
    expect(email.sent).toHaveLength(1);
  });
});
