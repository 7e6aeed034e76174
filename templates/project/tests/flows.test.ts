import { defineFlowTests } from "cf-flows/testing";
import { flowTests } from "../generated/flow-tests/index.ts";

// One test per case of definitions/*.test.yaml, as `npm run generate` last wrote them.
defineFlowTests(flowTests);
