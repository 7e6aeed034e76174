import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { runGenerator } from "../../generator/pipeline.ts";

/**
 * The load benchmark's own project: one bench-only flow, generated with the
 * real generator into a throw-away folder under bench/results/ (definitions/
 * and generated/ of the repository are never touched). Its runtime/ is a
 * copy of the repository's, taken when the benchmark starts: the Worker runs
 * the same runtime code, and edits made meanwhile do not restart it mid-run.
 */

export const LOAD_FLOW = "load-ping";
export const LOAD_WORKFLOW = "load-ping";
export const LOAD_TOKEN_SECRET = "LOAD_TOKEN";

/**
 * Starts at once (no delay), makes one outbound call to the fake API and
 * finishes: no sleeps, no events. The agent is chosen by `shard`, so the
 * starts spread over a few Agents as real traffic spreads over users.
 */
const DEFINITION = `# Bench-only flow (bench/load): written by bench/load/load-project.ts.
flow: ${LOAD_FLOW}
description: One outbound call, then done. Used by the load benchmark only.

input:
  id: { type: string }
  shard: { type: string }

triggers:
  - http: POST /load
    auth: { bearer: ${LOAD_TOKEN_SECRET} }
    instance_id: load-\${{ request.body.id }}
    agent_name: \${{ request.body.shard }}
    input:
      id: \${{ request.body.id }}
      shard: \${{ request.body.shard }}

steps:
  - id: call
    http:
      method: POST
      url: \${{ env.API_BASE }}/load/\${{ input.id }}
      body: { id: "\${{ input.id }}" }
    retries: { limit: 5, delay: 1 second, backoff: exponential }
  - id: done
    set:
      id: \${{ input.id }}
      answered: \${{ steps.call.output.status }}

output:
  id: \${{ input.id }}
  answered: \${{ steps.call.output.status }}
`;

const WRANGLER = `// Bench-only project (bench/load). The generator fills in the rest.
{
  "name": "flows-load-bench",
  "vars": { "API_BASE": "http://127.0.0.1:9" },
  "compatibility_date": "2026-11-01",
  "compatibility_flags": ["nodejs_compat"]
}
`;

/** Creates (from scratch) and generates the project in `dir`; returns its wrangler.jsonc path. */
export function prepareLoadProject(dir: string, repoRoot: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "definitions"), { recursive: true });
  writeFileSync(join(dir, "definitions", `${LOAD_FLOW}.yaml`), DEFINITION);
  writeFileSync(join(dir, "wrangler.jsonc"), WRANGLER);
  // The generated code imports ../runtime/*.ts; npm packages resolve upwards to the repository's node_modules.
  cpSync(resolve(repoRoot, "runtime"), join(dir, "runtime"), { recursive: true });
  const result = runGenerator(dir, "generate");
  if (!result.ok) {
    throw new Error(`generating the load project failed:\n${result.diagnostics.map(formatDiagnostic).join("\n")}`);
  }
  return join(dir, "wrangler.jsonc");
}
