import { NonRetryableError } from "cloudflare:workflows";

/**
 * Named errors of the runtime. Whether Workflows retries a failed step is
 * decided by the error's name: the engine treats `name === "NonRetryableError"`
 * as "fail the instance now", so subclasses of `NonRetryableError` must keep
 * that name (they are told apart by class); plain `Error`s are retried under
 * the step's `retries:` policy.
 *
 * Messages never contain secret values, header values or query strings:
 * they end up in the Workflows dashboard and in logs.
 */

export { NonRetryableError };

/** `Name: message` of an error (or the thrown value as text), for a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A transient HTTP failure (408, 429, 5xx or a network error): the step is retried. */
export class HttpStepError extends Error {
  override readonly name = "HttpStepError";
  /** The response status; undefined for network errors. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/**
 * An HTTP failure that retrying cannot fix: a 4xx other than 408/429, an
 * unexpected status, a bad URL or header. The workflow fails without retry.
 */
export class HttpStepFatalError extends NonRetryableError {
  /** The response status; undefined when the request was never sent. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** A secret the flow names is not configured (or is empty). Retrying cannot fix it. */
export class SecretMissingError extends NonRetryableError {
  readonly secret: string;

  constructor(secret: string) {
    super(`Secret ${secret} is not set: add it with \`wrangler secret put ${secret}\` (locally, in .dev.vars).`);
    this.secret = secret;
  }
}

/** True for errors Workflows will not retry (ours and any other `NonRetryableError`). */
export function isNonRetryable(error: unknown): boolean {
  return error instanceof NonRetryableError;
}
