import { readFileSync } from "node:fs";
import { testModuleName } from "../flow-tests/load-flow-tests.ts";
import type { FlowTestFile } from "../flow-tests/types.ts";
import { generatedHeader } from "./header.ts";
import { pascalCase } from "./names.ts";

/**
 * generated/flow-tests/: each test file as a data module (the Workers test
 * cannot read definitions/ at run time), an index listing them for
 * tests/workers/flow-tests.test.ts, and the types both sides share (a copy
 * of generator/flow-tests/types.ts). Paths are relative to generated/.
 */

const TYPES_SOURCE = new URL("../flow-tests/types.ts", import.meta.url);
const DIR = "flow-tests";

export function emitFlowTests(tests: readonly FlowTestFile[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${DIR}/types.ts`, `${generatedHeader("generator/flow-tests/types.ts")}${readFileSync(TYPES_SOURCE, "utf8")}`);
  const modules = [...tests].sort((a, b) => a.file.localeCompare(b.file)).map((test) => ({ test, module: testModuleName(test.file), name: variableName(test.file) }));
  for (const { test, module, name } of modules) {
    const body = [
      `import type { FlowTestFile } from "./types.ts";`,
      "",
      `/** The cases of ${test.file} (flow ${test.flow}). */`,
      `export const ${name}: FlowTestFile = ${JSON.stringify(test, null, 2)};`,
      "",
    ];
    files.set(`${DIR}/${module}.ts`, `${generatedHeader(test.file)}${body.join("\n")}`);
  }
  const index = [
    `import type { FlowTestFile } from "./types.ts";`,
    ...modules.map(({ module, name }) => `import { ${name} } from "./${module}.ts";`),
    "",
    "/** Every flow test file, for tests/workers/flow-tests.test.ts. */",
    `export const flowTests: readonly FlowTestFile[] = [${modules.map((m) => m.name).join(", ")}];`,
    "",
  ];
  files.set(`${DIR}/index.ts`, `${generatedHeader("definitions/*.test.yaml")}${index.join("\n")}`);
  return files;
}

/** `definitions/flight-status.test.yaml` → `flightStatusTests`. */
function variableName(file: string): string {
  const pascal = pascalCase(testModuleName(file));
  const name = `${pascal.charAt(0).toLowerCase()}${pascal.slice(1)}Tests`;
  return /^[A-Za-z_$]/.test(name) ? name : `_${name}`;
}
