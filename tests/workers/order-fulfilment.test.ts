import { env } from "cloudflare:workers";
import { introspectWorkflow } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deferred, spyEmail, waitForInstance, within } from "./helpers.ts";
import { INVENTORY, PAYMENTS, fakeShop, order, placeOrder, startOrderDirectly } from "./shop.ts";

/**
 * order-fulfilment end to end: a switch on the shipping method, a for_each
 * over the order lines, a parallel charge + loyalty action, a child flow
 * (send-receipt) and an e-mail. Outbound HTTP and the action are observed
 * in-runtime; sleeps are disabled.
 */

// The action module as the generated workflow imports it, wrapped so a test
// can see its calls and hold it open (vi.mock reaches the Worker's modules:
// they run in this isolate).
const action = vi.hoisted(() => ({
  calls: [] as { args: unknown; ctx: Record<string, unknown> }[],
  hold: undefined as (() => Promise<void>) | undefined,
}));
vi.mock("../../actions/index.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../actions/index.ts")>();
  return {
    ...actual,
    reserveLoyaltyPoints: async (...args: Parameters<typeof actual.reserveLoyaltyPoints>) => {
      const [input, ctx] = args;
      action.calls.push({ args: input, ctx: { instanceId: ctx.instanceId, flow: ctx.flow, stepId: ctx.stepId, hasEnv: typeof ctx.env === "object" } });
      await action.hold?.();
      return actual.reserveLoyaltyPoints(...args);
    },
  };
});

const cleanups: (() => void)[] = [];
beforeEach(() => {
  action.calls.length = 0;
  action.hold = undefined;
});
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

function shop(...args: Parameters<typeof fakeShop>) {
  const fake = fakeShop(...args);
  const email = spyEmail();
  cleanups.push(fake.restore, email.restore);
  return { calls: fake.calls, sent: email.sent };
}

async function introspect() {
  const wf = await introspectWorkflow(env.ORDER_FULFILMENT_WORKFLOW);
  await wf.modifyAll(async (m) => {
    await m.disableSleeps();
  });
  return wf;
}

describe("order-fulfilment: switch", () => {
  it.each([
    ["express", { carrier: "courier", days: 1, fee: 15 }],
    ["standard", { carrier: "post", days: 4, fee: 5 }],
    ["pickup", { carrier: "none", days: 0, fee: 0 }], // no case: the default branch
  ] as const)("takes the %s branch and skips the others", async (shipping, quote) => {
    const { calls } = shop();
    await using wf = await introspect();
    const id = `sw-${shipping}`;
    expect((await placeOrder(order(id, { shipping }))).status).toBe(202);
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, `order-${id}`, "complete");
    const [instance] = await wf.get();
    expect(await instance!.waitForStepResult({ name: `${shipping}_quote` })).toEqual(quote);
    expect(done.output).toMatchObject({ shipping: quote });
    // Only the branch taken ran a step: the first recorded output is its quote, and no other quote follows.
    const outputs = (done as { __LOCAL_DEV_STEP_OUTPUTS?: unknown[] }).__LOCAL_DEV_STEP_OUTPUTS ?? [];
    expect(outputs[0]).toEqual(quote);
    expect(outputs.filter((o) => typeof o === "object" && o !== null && "carrier" in o)).toHaveLength(1);
    // The charge includes the fee of the quote taken.
    const charge = calls.find((c) => c.url === PAYMENTS);
    expect(JSON.parse(charge!.body)).toMatchObject({ amount: 90 + quote.fee });
  });
});

describe("order-fulfilment: for_each", () => {
  it("runs the lines in order, naming each iteration's steps, and outputs the last step of each", async () => {
    const { calls } = shop();
    await using wf = await introspect();
    await placeOrder(order("many"));
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-many", "complete");
    const [instance] = await wf.get();
    // Each iteration's steps have their own durable names.
    expect(await instance!.waitForStepResult({ name: "reserve_items[0].reserve" })).toEqual({ body: { id: "r-tea" } });
    expect(await instance!.waitForStepResult({ name: "reserve_items[1].reserve" })).toMatchObject({ body: { id: "r-cup" } });
    // steps.reserve.output inside the loop is this iteration's.
    expect(await instance!.waitForStepResult({ name: "reserve_items[2].reserved_line" })).toEqual({ line: 2, sku: "pot", reservation: "r-pot" });
    expect(done.output).toMatchObject({
      reservations: [
        { line: 0, sku: "tea", reservation: "r-tea" },
        { line: 1, sku: "cup", reservation: "r-cup" },
        { line: 2, sku: "pot", reservation: "r-pot" },
      ],
    });
    const reservations = calls.filter((c) => c.url === INVENTORY).map((c) => JSON.parse(c.body) as unknown);
    expect(reservations).toEqual([
      { order: "many", line: 0, sku: "tea", quantity: 1 },
      { order: "many", line: 1, sku: "cup", quantity: 2 },
      { order: "many", line: 2, sku: "pot", quantity: 1 },
    ]);
  });

  it("runs once for a single item", async () => {
    const { calls } = shop();
    await placeOrder(order("one", { items: [{ sku: "mug", quantity: 4 }] }));
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-one", "complete");
    expect(done.output).toMatchObject({ reservations: [{ line: 0, sku: "mug", reservation: "r-mug" }] });
    expect(calls.filter((c) => c.url === INVENTORY)).toHaveLength(1);
  });

  it("runs no iteration for an empty list and goes on (output [])", async () => {
    const { calls } = shop();
    await startOrderDirectly("order-empty", order("empty", { items: [] }));
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-empty", "complete");
    expect(done.output).toMatchObject({ order: "empty", reservations: [], payment: "ch-empty" });
    // (The order's parcel-tracking child may poll its own endpoint meanwhile.)
    expect(calls.map((c) => c.url).filter((url) => url === INVENTORY || url === PAYMENTS)).toEqual([PAYMENTS]);
  });

  it("fails before the first iteration when the list would exceed the step limit", async () => {
    const { calls } = shop();
    await using wf = await introspect();
    const items = Array.from({ length: 5001 }, (_, i) => ({ sku: `s${i}`, quantity: 1 }));
    await startOrderDirectly("order-huge", order("huge", { items }));
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    const error = await instance!.getError();
    expect(error.message).toContain("for_each reserve_items: 5001 items × 2 steps each need about 10002 steps");
    expect(error.message).toContain("limit of 10000");
    // Nothing of this order was called (parcel-tracking children of earlier tests may still poll).
    expect(calls.filter((c) => c.url === INVENTORY || c.url === PAYMENTS)).toEqual([]);
  });
});

describe("order-fulfilment: parallel and run", () => {
  it("runs the branches at the same time: both are entered before either answers", async () => {
    const chargeOpen = deferred();
    const pointsOpen = deferred();
    let overlapped = false;
    // Each side waits for the other to have started: only concurrent branches can finish.
    action.hold = async () => {
      pointsOpen.resolve();
      await within(chargeOpen.promise, 3000, "the charge to start while the points action is open");
    };
    shop({
      charge: async () => {
        chargeOpen.resolve();
        await within(pointsOpen.promise, 3000, "the points action to start while the charge is open");
        overlapped = true;
        return new Response(JSON.stringify({ id: "ch-par" }), { status: 201, headers: { "content-type": "application/json" } });
      },
    });
    await placeOrder(order("par"));
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-par", "complete");
    expect(overlapped).toBe(true);
    expect(done.output).toMatchObject({ payment: "ch-par", points: 90 });
  });

  it("calls the project's action with the step's `with:` and an ActionContext, and outputs its return value", async () => {
    shop();
    await using wf = await introspect();
    await placeOrder(order("act", { customer: "grace", total: 120 }));
    await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-act", "complete");
    expect(action.calls).toEqual([
      { args: { customer: "grace", total: 120 }, ctx: { instanceId: "order-act", flow: "order-fulfilment", stepId: "points", hasEnv: true } },
    ]);
    const [instance] = await wf.get();
    // 120 EUR is past the double-points threshold.
    expect(await instance!.waitForStepResult({ name: "points" })).toEqual({ points: 240 });
    expect(await instance!.getOutput()).toMatchObject({ points: 240 });
  });
});

describe("order-fulfilment: call without waiting", () => {
  it("starts parcel-tracking as a child and goes on; its output is the child's instance id", async () => {
    shop();
    await using wf = await introspect();
    await using parcels = await introspectWorkflow(env.PARCEL_TRACKING_WORKFLOW);
    expect((await placeOrder(order("nowait", { shipping: "standard" }))).status).toBe(202);
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-nowait", "complete");
    const tracking = (done.output as { tracking?: unknown }).tracking;
    expect(typeof tracking).toBe("string");
    // The child exists under that id, with the input the call built.
    const [child] = await parcels.get();
    expect(child).toBeDefined();
    const status = await (await env.PARCEL_TRACKING_WORKFLOW.get(String(tracking))).status();
    expect(["queued", "running", "waiting", "complete", "errored"]).toContain(status.status);
    expect((await wf.get()).length).toBe(1);
  });

  it("skips the call (output null) when its if: is false", async () => {
    shop();
    await using wf = await introspect();
    await placeOrder(order("nowait-pickup", { shipping: "pickup" }));
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-nowait-pickup", "complete");
    expect((done.output as { tracking?: unknown }).tracking ?? null).toBeNull();
    expect((await wf.get()).length).toBe(1);
  });
});
