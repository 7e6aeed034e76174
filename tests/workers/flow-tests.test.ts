import { assert, describe, it } from "vitest";
import { flowTests } from "../../generated/flow-tests/index.ts";
import { checkCase } from "./flow-tests-check.ts";
import { runCase, WAIT_MS } from "./flow-tests-run.ts";

/**
 * The flow tests of definitions/*.test.yaml (docs/language.md, "Testing a
 * flow"), as `npm run generate` emitted them to generated/flow-tests/: one
 * describe per file, one test per case, each run against the generated
 * Worker in workerd. A failure lists every expectation that failed, each as
 * `definitions/<file>.test.yaml:<line>: case "<name>": expected … got …`.
 */

for (const file of flowTests) {
  describe(`${file.file} (flow ${file.flow})`, () => {
    if (file.cases.length === 0) it.skip("has no cases yet", () => {});
    for (const testCase of file.cases) {
      it(
        testCase.name,
        async () => {
          const failures = checkCase(file, testCase, await runCase(file, testCase));
          if (failures.length > 0) assert.fail(failures.join("\n"));
        },
        WAIT_MS + 10_000,
      );
    }
  });
}

if (flowTests.length === 0) it.skip("no definitions/*.test.yaml", () => {});
