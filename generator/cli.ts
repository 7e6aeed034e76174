#!/usr/bin/env node
import { fastStart } from "./fast-start.ts";

/**
 * The `npm run generate` / `npm run check` entry (cli-main.ts does the work).
 * fastStart (Node's compile cache, the generator's modules kept stripped of
 * their types) must be on before anything else loads, hence this file.
 */
fastStart();
await import("./cli-main.ts");
