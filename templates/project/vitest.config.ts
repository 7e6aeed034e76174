import { flowsProject } from "cf-flows/vitest";
import { defineConfig } from "vitest/config";

// Your tests run in workerd against the generated Worker: the flow tests of
// definitions/*.test.yaml (tests/flows.test.ts) and any tests/*.test.ts you add.
// Secrets the flows name get stand-in values; pass real-looking ones with
// flowsProject({ secrets: { NAME: "value" } }).
export default defineConfig({ test: { projects: [flowsProject()] } });
