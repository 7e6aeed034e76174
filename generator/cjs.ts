import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";
import type * as TypeScript from "typescript";

/**
 * The generator's two big CommonJS dependencies, loaded with require().
 * Imported as ES modules, each start of the generator would have Node scan
 * their source (about 9 MB each: ts-morph bundles its own TypeScript) for
 * export names and module syntax, a few hundred milliseconds that require()
 * does not spend. Types still come from `import type`.
 */
const require = createRequire(import.meta.url);

export const tsMorph = require("ts-morph") as typeof TsMorph;
/** The TypeScript parser the expression language uses (the project's `typescript`, not ts-morph's copy). */
export const ts = require("typescript") as typeof TypeScript;
