/**
 * Seconds before attempt `failed + 1` of work the agent retries on its own
 * schedule (a delayed start, an agent action): 1, 2, 4 … capped at 10 minutes,
 * so an outage is not hammered and a long one is still retried often enough.
 */
export function retryDelaySeconds(failed: number): number {
  return Math.min(2 ** Math.max(0, failed - 1), 600);
}
