#!/usr/bin/env node
// The `cf-flows` command: the compiled generator (dist/, made by `npm run build`).
// Node's compile cache keeps its compiled code between runs (a quicker start).
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("../dist/generator/cli.js");
