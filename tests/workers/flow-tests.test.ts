import { defineFlowTests } from "cf-flows/testing";
import { flowTests } from "../../generated/flow-tests/index.ts";

/** The example flows' YAML tests (definitions/*.test.yaml), run as a project runs its own: through cf-flows/testing. */
defineFlowTests(flowTests);
