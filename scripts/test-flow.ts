import { spawnSync } from "node:child_process";
import { planFlowTests } from "./flow-test-plan.ts";

/**
 * `npm run test:flow -- [flow]`: regenerates, then runs the YAML tests of one
 * flow (definitions/<flow>.test.yaml), or of every flow without an argument,
 * in workerd. Exits with vitest's status, or 1 when generate fails.
 */

const [flow, ...rest] = process.argv.slice(2);
if (rest.length > 0 || flow?.startsWith("-")) {
  console.error("usage: npm run test:flow -- [flow]");
  process.exit(2);
}
const plan = planFlowTests(process.cwd(), flow);
for (const message of plan.messages) console.error(message);
if (!plan.ok) process.exit(1);
const run = spawnSync("vitest", [...plan.vitestArgs], { stdio: "inherit" });
process.exit(run.status ?? 1);
