import type { ActionsModule } from "../actions/actions-module.ts";
import { exprTypeOf } from "../actions/type-desc.ts";
import { inferValueType } from "../expressions/infer.ts";
import { HTTP_OUTPUT_TYPE } from "../expressions/root-types.ts";
import type { ExprScope } from "../expressions/scope.ts";
import { type ExprType, NULL, objectOf, STRING, UNKNOWN } from "../expressions/types.ts";
import type { Step } from "../model/types.ts";

/**
 * The static type of a simple step's output (dsl.md §5), for the expression
 * checker's `steps.<id>.output`. Block outputs are built by the scope walk
 * from the types of their inner steps. What the flow's author decides at run
 * time (event payloads, a child flow's output) is unknown.
 */
export function simpleOutputType(step: Step, scope: ExprScope, actions: ActionsModule | undefined): ExprType {
  switch (step.kind) {
    case "http":
      return HTTP_OUTPUT_TYPE;
    case "set":
      return objectOf(step.values.map((e) => [e.key, inferValueType(e.value, scope)]));
    case "sleep":
    case "sleep_until":
    case "email":
    case "report":
    case "fail":
      return NULL;
    case "call":
      return step.wait ? UNKNOWN : objectOf([["instance_id", STRING]]);
    case "run": {
      const action = actions?.exports.get(step.action);
      return action?.kind === "action" ? exprTypeOf(action.output) : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}
