import { describeError } from "./errors.ts";

/**
 * A flow's `on_error` steps run after the flow has failed, and the instance
 * then fails with the error that made it fail. When an on_error step fails
 * itself, the on_error steps after it are skipped and its failure must not
 * take the cause's place (the instance's error, what the owning agent's poll
 * sees as `event.error`, what a waiting caller is told): it is logged here,
 * and Workflows keeps it as that step's failure in the instance's history.
 */
export function onErrorStepFailed(flow: string, failure: unknown, cause: unknown): void {
  console.error(`flow ${flow}: an on_error step failed (${describeError(failure)}); the instance fails with its original error: ${describeError(cause)}`);
}

