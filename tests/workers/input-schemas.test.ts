import { env } from "cloudflare:workers";
import { introspectWorkflow } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { SECRETS, fakeOutbound, jsonResponse, send } from "./helpers.ts";

/**
 * Input fields take the whole JSON Schema 2020-12 vocabulary (dsl.md §3),
 * checked by the validator generated for shipping-quote's input inside
 * workerd: a body that breaks one keyword is a 400 naming the field it
 * concerns, and starts nothing; a body that keeps to them all starts.
 */

let restore: (() => void) | undefined;
afterEach(() => restore?.());

type Quote = Record<string, unknown>;

function quote(id: string, change: (q: Quote) => void = () => {}): Quote {
  const q: Quote = {
    quote_id: id,
    customer: { name: "Ada", email: "ada@example.com" },
    destination: { street: "1 High St", postcode: "SW1A 1AA", country: "GB" },
    parcels: [{ weight_kg: 2.5, size_cm: [30, 20, 10] }],
    insured_pence: 5000,
    delivery_days: ["sat", "mon"],
    labels: { door: "side gate" },
  };
  change(q);
  return q;
}

const customer = (q: Quote): Record<string, unknown> => q["customer"] as Record<string, unknown>;
const parcel = (q: Quote): Record<string, unknown> => (q["parcels"] as Record<string, unknown>[])[0]!;

/** Each case breaks one keyword; `field` is the failing field the 400 must name. */
const BAD: readonly (readonly [keyword: string, field: string, change: (q: Quote) => void])[] = [
  ["required (a list in an object)", "customer.name", (q) => delete customer(q)["name"]],
  ["anyOf", "customer", (q) => delete customer(q)["email"]],
  ["dependentRequired", "customer", (q) => (customer(q)["sms"] = true)],
  ["dependentSchemas", "customer.vat", (q) => (customer(q)["company"] = "Ada Ltd")],
  ["additionalProperties: false", "customer.nickname", (q) => (customer(q)["nickname"] = "A")],
  ["minLength", "customer.name", (q) => (customer(q)["name"] = "")],
  ["format", "customer.email", (q) => (customer(q)["email"] = "not an address")],
  ["oneOf ($ref to $defs, and a locker)", "destination", (q) => (q["destination"] = { locker: "L1234", street: "1 High St" })],
  ["if/then (a GB postcode)", "destination.postcode", (q) => (q["destination"] = { street: "1 High St", postcode: "12345", country: "GB" })],
  ["enum (inside $defs)", "destination.country", (q) => (q["destination"] = { street: "1 High St", postcode: "D02 X285", country: "DE" })],
  ["minItems", "parcels", (q) => (q["parcels"] = [])],
  ["exclusiveMinimum", "parcels.0.weight_kg", (q) => (parcel(q)["weight_kg"] = 0)],
  ["maximum", "parcels.0.weight_kg", (q) => (parcel(q)["weight_kg"] = 31)],
  ["prefixItems", "parcels.0.size_cm.1", (q) => (parcel(q)["size_cm"] = [30, "wide", 10])],
  ["items: false after prefixItems", "parcels.0.size_cm", (q) => (parcel(q)["size_cm"] = [30, 20, 10, 5])],
  ["unevaluatedProperties", "parcels.0.colour", (q) => (parcel(q)["colour"] = "red")],
  ["enum with a default", "service", (q) => (q["service"] = "overnight")],
  ["allOf (multipleOf)", "insured_pence", (q) => (q["insured_pence"] = 5050)],
  ["type integer", "insured_pence", (q) => (q["insured_pence"] = 50.5)],
  ["not", "coupon", (q) => (q["coupon"] = "TEST-10")],
  ["uniqueItems", "delivery_days", (q) => (q["delivery_days"] = ["mon", "mon"])],
  ["contains", "delivery_days", (q) => (q["delivery_days"] = ["sat", "sun"])],
  ["propertyNames", "labels", (q) => (q["labels"] = { a_very_long_label_name_indeed: "x" })],
  ["patternProperties", "labels.door", (q) => (q["labels"] = { door: "x".repeat(41) })],
  ["additionalProperties: false beside patternProperties", "labels.Door", (q) => (q["labels"] = { Door: "side gate" })],
];

describe("input field schemas (JSON Schema 2020-12) in the Workers runtime", () => {
  it.each(BAD)("%s: a 400 naming %s, and nothing starts", async (_keyword, field, change) => {
    await using wf = await introspectWorkflow(env.SHIPPING_QUOTE_WORKFLOW);
    const res = await send("POST", "/shipping-quotes", { token: SECRETS.ORDERS_TOKEN, body: quote("bad", change) });
    expect(res.status).toBe(400);
    expect(res.body["error"]).toBe("invalid_input");
    const fields = (res.body["fields"] as { field: string }[]).map((f) => f.field);
    expect(fields, JSON.stringify(res.body["fields"])).toContain(field);
    expect(await wf.get()).toHaveLength(0);
  });

  it("an unknown key inside a field is named with its path, and said to be not allowed there", async () => {
    const res = await send("POST", "/shipping-quotes", { token: SECRETS.ORDERS_TOKEN, body: quote("bad", (q) => (parcel(q)["colour"] = "red")) });
    expect(res.body["fields"]).toEqual([{ field: "parcels.0.colour", message: "is not allowed here" }]);
  });

  it("a quote that keeps every rule starts, with defaults filled in", async () => {
    const outbound = fakeOutbound({ "https://api.example.com/shipping/quotes": () => jsonResponse({ price: "£7.50" }) });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.SHIPPING_QUOTE_WORKFLOW);
    const good = quote("good-1", (q) => {
      q["destination"] = { locker: "L0042" };
      delete q["insured_pence"];
      delete q["delivery_days"];
      delete q["labels"];
    });
    const res = await send("POST", "/shipping-quotes", { token: SECRETS.ORDERS_TOKEN, body: good });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ flow: "shipping-quote", instance_id: "quote-good-1" });
    const [instance] = await wf.get();
    expect(instance).toBeDefined();
    await instance!.waitForStatus("complete");
    expect(JSON.parse(outbound.calls[0]!.body)).toEqual({ destination: { locker: "L0042" }, parcels: good["parcels"], service: "standard" });
  });
});
