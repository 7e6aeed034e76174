import { formatDiagnostic } from "../generator/diagnostics.ts";
import { runGenerator } from "../generator/pipeline.ts";
import { readFlowTests } from "../generator/load/read-definitions.ts";
import { testModuleName } from "../generator/flow-tests/load-flow-tests.ts";

/**
 * What `npm run test:flow -- [flow]` runs: first `generate` (so the cases run
 * are those of the YAML on disk, never a stale generated/flow-tests/), then
 * the workers project's flow-tests file, filtered to one flow's describe
 * block. Kept apart from the command (scripts/test-flow.ts) so a test can
 * check the plan without starting workerd.
 */

export type FlowTestPlan =
  | { readonly ok: true; readonly vitestArgs: readonly string[]; readonly messages: readonly string[] }
  | { readonly ok: false; readonly messages: readonly string[] };

export const FLOW_TESTS_FILE = "tests/workers/flow-tests.test.ts";

export function planFlowTests(root: string, flow: string | undefined): FlowTestPlan {
  const generated = runGenerator(root, "generate");
  const messages = generated.diagnostics.map(formatDiagnostic);
  if (!generated.ok) return { ok: false, messages: [...messages, "generate failed, so no flow test ran (fix the errors above first)"] };
  const base = ["run", "--project", "workers", FLOW_TESTS_FILE];
  if (flow === undefined) return { ok: true, vitestArgs: base, messages };
  const tested = readFlowTests(root).map((t) => testModuleName(t.file));
  if (!tested.includes(flow)) {
    const known = tested.length > 0 ? `flows with tests: ${tested.sort().join(", ")}` : "no flow has tests yet";
    return { ok: false, messages: [...messages, `there is no definitions/${flow}.test.yaml (${known})`] };
  }
  // flow-tests.test.ts names each file's describe block "definitions/<flow>.test.yaml (flow <id>)".
  return { ok: true, vitestArgs: [...base, "--testNamePattern", `^definitions/${escapeRegExp(flow)}\\.test\\.ya?ml `], messages };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
