import { readFileSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { defineConfig } from "vitest/config";

const compatibility = { compatibilityDate: "2026-11-01", compatibilityFlags: ["nodejs_compat"] };

/** Secrets the example flows name; tests/workers/helpers.ts uses the same values. */
const TEST_SECRETS = {
  FLIGHTS_TOKEN: "test-flights-token",
  EXPENSES_TOKEN: "test-expenses-token",
  APPROVER_TOKEN: "test-approver-token",
  GITHUB_WEBHOOK_SECRET: "test-hmac-secret",
  FLIGHT_API_KEY: "test-flight-api-key",
  PAYMENTS_API_KEY: "test-payments-api-key",
  DEPLOY_TOKEN: "test-deploy-token",
  SHOP_TOKEN: "test-shop-token",
  ORDERS_TOKEN: "test-orders-token",
  PARCELS_TOKEN: "test-parcels-token",
  CRM_TOKEN: "test-crm-token",
  STOREFRONT_TOKEN: "test-storefront-token",
  ORDERS_DASHBOARD_TOKEN: "test-orders-dashboard-token",
  SUPPORT_TOKEN: "test-support-token",
  LIBRARY_TOKEN: "test-library-token",
  LIBRARY_API_KEY: "test-library-api-key",
};

/**
 * The tests never take a value from the developer's `.dev.vars` (or `.env`, or the shell): wrangler
 * reads them beside wrangler.jsonc and offers no switch to stop it, and an API_BASE there once sent
 * the suite's requests to a developer's local server. Every var of wrangler.jsonc and every secret
 * is set here, over whatever wrangler read (miniflare's bindings win), so a run is the same on
 * every machine. tests/workers/dev-vars.test.ts checks it.
 */
// wrangler, reading wrangler.jsonc for the workers project, logs where it looked for secrets and warns
// that the ones tests set here (miniflare's bindings) are missing from .dev.vars: once per test file,
// and wrong for a suite that never uses .dev.vars. Its errors still show; WRANGLER_LOG=warn npm test
// shows the rest. (The same config is checked with every warning by `npm run bundle` and `npm run dev`.)
process.env["WRANGLER_LOG"] ??= "error";

const WRANGLER_VARS = (parse(readFileSync("wrangler.jsonc", "utf8")) as { vars?: Record<string, string> }).vars ?? {};
const TEST_BINDINGS = { ...WRANGLER_VARS, ...TEST_SECRETS };

/**
 * Time budgets per project. A test's outcome must never depend on the machine's speed: these only
 * bound a hang, and are set for a loaded two-core machine running two suites at once (the default
 * 5 s failed slow-but-correct generator tests there). Speed is measured in bench/, never asserted here.
 */
const BUDGET = {
  generator: { testTimeout: 60_000, hookTimeout: 60_000 },
  runtime: { testTimeout: 30_000, hookTimeout: 30_000 },
  workers: { testTimeout: 90_000, hookTimeout: 60_000 },
};

export default defineConfig({
  test: {
    projects: [
      {
        // The generator runs on Node: its own unit and golden tests.
        // Its disk caches start empty each run: here the generator runs from source, which changes without a new
        // package version (the caches' key), so an entry from an earlier run could be stale.
        test: {
          name: "generator",
          include: ["tests/generator/**/*.test.ts"],
          environment: "node",
          ...BUDGET.generator,
          env: { FLOWS_CACHE_DIR: mkdtempSync(join(tmpdir(), "cf-flows-cache-")) },
        },
      },
      {
        // The generated flow book, opened in real headless Chromium (/usr/bin/chromium, driven from Node).
        test: { name: "book", include: ["tests/book/**/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        // Runtime modules, each tested alone inside workerd.
        plugins: [cloudflareTest({ miniflare: compatibility })],
        test: { name: "runtime", include: ["tests/runtime/**/*.test.ts"], ...BUDGET.runtime },
      },
      {
        // The generated Worker, end to end, inside workerd.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            // Not workerd's --verbose: it prints every exception a workflow ends with, and the
            // suite fails workflows on purpose (~150 stack lines in a green run). A workflow that
            // fails unexpectedly still fails its test, and the Worker's own console output shows.
            verbose: process.env["FLOWS_TEST_VERBOSE"] === "1",
            miniflare: {
              bindings: TEST_BINDINGS,
              // miniflare's local Workflows engine runs on a compatibility date of its own (2024-10-22) plus the
              // Worker's explicit flags, so without this flag it replaces the message of a NonRetryableError
              // thrown inside a step (an http step's 4xx) by a generic one. wrangler.jsonc cannot name it: its
              // compatibility_date (2026-11-01) already turns it on, and naming it then stops a deploy. fail:
              // steps and failed calls do not depend on it (they fail the run with a plain Error).
              compatibilityFlags: ["workflows_preserve_non_retryable_error_message"],
              // crm-sync's workflow lives in the crm-worker Worker (`workflow.script`); a stand-in runs beside ours.
              workers: [
                {
                  name: "crm-worker",
                  modules: true,
                  scriptPath: "./tests/workers/fixtures/crm-worker.js",
                  ...compatibility,
                },
              ],
            },
          }),
        ],
        test: { name: "workers", include: ["tests/workers/**/*.test.ts"], ...BUDGET.workers },
      },
    ],
  },
});
