import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

/**
 * ts-morph, the generator's big CommonJS dependency, loaded with require().
 * Imported as an ES module, each start of the generator would have Node scan
 * its source (about 9 MB with the TypeScript it bundles) for export names
 * and module syntax, time that require() does not spend. Types still come
 * from `import type`.
 */
const require = createRequire(import.meta.url);

export const tsMorph = require("ts-morph") as typeof TsMorph;
/**
 * The TypeScript parser the expression language uses: ts-morph's own copy,
 * so a run loads one TypeScript compiler, not two (the project's
 * `typescript` package is only for type-checking with tsc).
 */
export const ts = tsMorph.ts;
