#!/usr/bin/env node
import { enableCompileCache } from "node:module";

/**
 * The `npm run generate` / `npm run check` entry (cli-main.ts does the work).
 * Node's compile cache (in the system's temp folder) keeps the compiled code
 * of the generator and of its libraries (ts-morph with its TypeScript, yaml, ajv)
 * between runs: a run loads in a fraction of the time. It must be on before
 * anything else loads, hence this file. A cache that cannot be written only
 * means a slower start.
 */
enableCompileCache();
await import("./cli-main.ts");
