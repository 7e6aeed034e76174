import { assert, describe, it } from "vitest";
import type { FlowTestFile } from "../generator/flow-tests/types.ts";
import { checkCase } from "./check-case.ts";
import { runCase, WAIT_MS } from "./run-case.ts";

export type { FlowTestFile } from "../generator/flow-tests/types.ts";
export { fakeOutbound, type FakeHandler, type RecordedCall } from "./fake-outbound.ts";

/**
 * `cf-flows/testing`: the runner of a project's flow tests (definitions/*.test.yaml,
 * docs/language.md "Testing a flow"), as `cf-flows generate` emits them to
 * generated/flow-tests/. It runs inside workerd (the preset of `cf-flows/vitest`):
 * one describe per file, one test per case, each against the generated Worker.
 * A failure lists every expectation that failed, each as
 * `definitions/<file>.test.yaml:<line>: case "<name>": expected … got …`.
 *
 *   import { defineFlowTests } from "cf-flows/testing";
 *   import { flowTests } from "../generated/flow-tests/index.ts";
 *   defineFlowTests(flowTests);
 */
export function defineFlowTests(flowTests: readonly FlowTestFile[]): void {
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
}
