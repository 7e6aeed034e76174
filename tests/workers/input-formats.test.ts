import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SECRETS, send } from "./helpers.ts";
import { order, placeOrder } from "./shop.ts";

/**
 * Input formats, checked by the generated validators inside workerd. A
 * format ajv checks with a function (flight-status's `date`) comes from
 * runtime/input-formats-own.ts (written to give ajv-formats' verdicts); a
 * format that is a regular expression (order-fulfilment's `email`) is
 * inlined into the validator. Either way a bad value is a 400 naming the field.
 */

function flightOn(user: string, date: string) {
  return send("POST", "/flights", { token: SECRETS.FLIGHTS_TOKEN, headers: { "user-id": user }, body: { flight: "DL264", date } });
}

describe("input formats in the Workers runtime", () => {
  it("date (runtime/input-formats-own.ts): calendar dates pass, leap days only in leap years", async () => {
    for (const [i, date] of ["2026-12-01", "2028-02-29", "2000-02-29", "0000-02-29"].entries()) {
      const res = await flightOn(`fmt-ok-${i}`, date);
      expect(res.status, date).toBe(202);
    }
  });

  it.each(["2026-02-29", "1900-02-29", "0100-02-29", "2026-13-01", "2026-04-31", "2026-12-1", "2026-12-01T10:00:00Z", "tomorrow", ""])(
    "date (runtime/input-formats-own.ts): %j is a 400 on the date field",
    async (date) => {
      const res = await flightOn("fmt-bad", date);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "invalid_input", fields: [{ field: "date", message: 'must match format "date"' }] });
    },
  );

  it("email (inlined in the validator): a bad address is a 400 on the email field, and nothing starts", async () => {
    const res = await placeOrder(order("fmt-email", { email: "not an address" }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_input", fields: [{ field: "email", message: 'must match format "email"' }] });
    await expect(env.ORDER_FULFILMENT_WORKFLOW.get("order-fmt-email")).rejects.toThrow();
  });
});
