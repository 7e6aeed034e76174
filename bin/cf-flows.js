#!/usr/bin/env node
// The `cf-flows` command. The package runs the compiled generator (dist/, made by
// `npm run build` before `npm pack`); a checkout of the repository without a build
// runs it from source (Node's type stripping). Node's compile cache keeps the
// compiled code between runs: a quicker start.
import { existsSync } from "node:fs";
import { enableCompileCache } from "node:module";

enableCompileCache();
const compiled = new URL("../dist/generator/cli.js", import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL("../generator/cli.ts", import.meta.url).href);
