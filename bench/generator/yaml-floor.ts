import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";

/**
 * The floor no generator on `yaml` goes below: that package alone parsing a
 * project's definitions (`parseDocument`, as the generator's load stage
 * does through yaml's lexer, parser and composer). Once to warm the JIT as
 * the generator's own run would have, then timed. Prints one JSON line.
 *
 * usage: node bench/generator/yaml-floor.ts <project dir>
 */

const dir = process.argv[2];
if (!dir) throw new Error("usage: yaml-floor.ts <project dir>");
const definitions = join(dir, "definitions");
const texts = readdirSync(definitions)
  .filter((f) => f.endsWith(".yaml") && !f.endsWith(".test.yaml"))
  .map((f) => readFileSync(join(definitions, f), "utf8"));
for (const text of texts) parseDocument(text);
const started = performance.now();
for (const text of texts) parseDocument(text);
console.log(JSON.stringify({ files: texts.length, yamlParseMs: performance.now() - started }));
