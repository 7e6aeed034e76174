import { env } from "cloudflare:workers";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import wranglerText from "../../wrangler.jsonc?raw";
import { SECRETS } from "./helpers.ts";

/**
 * The suite never runs with the developer's `.dev.vars` (vitest.config.ts sets
 * every var and secret over what wrangler read there): put `API_BASE=http://localhost:9999`
 * in .dev.vars and this still passes, and no request goes to that server.
 */
describe("the test Worker's env", () => {
  it("has wrangler.jsonc's own vars, whatever .dev.vars says", () => {
    const vars = (parse(wranglerText) as { vars?: Record<string, unknown> }).vars ?? {};
    expect(Object.keys(vars).length).toBeGreaterThan(0);
    const bindings = env as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(vars)) expect(bindings[name], name).toBe(value);
  });

  it("has the test secrets, whatever .dev.vars says", () => {
    const bindings = env as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(SECRETS)) expect(bindings[name], name).toBe(value);
  });
});
