/**
 * JSON responses of the Worker's HTTP triggers. Every error answer has the
 * same shape, `{ error, reason?, fields? }`, so clients need one parser:
 * `error` is a stable code, `reason` a short human sentence, `fields` the
 * input fields that failed validation.
 */

export interface FieldError {
  /** The input field, a dotted path for nested values (`legs.0.date`); "" for the input as a whole. */
  readonly field: string;
  readonly message: string;
}

export interface ErrorBody {
  /** A stable snake_case code: one of {@link ErrorCode} or a trigger-specific one such as `invalid_instance_id`. */
  readonly error: string;
  readonly reason?: string;
  readonly fields?: readonly FieldError[];
}

export type ErrorCode =
  | "bad_request"
  | "invalid_input"
  | "unauthorized"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal_error";

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  500: "internal_error",
};

/** A JSON response. API answers are per-request, so they are never cached. */
export function json(status: number, body: unknown, headers?: HeadersInit): Response {
  if (headers === undefined) return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(JSON_HEADERS)) merged.set(name, value);
  return new Response(JSON.stringify(body), { status, headers: merged });
}

const JSON_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** An error answer; the code defaults from the status (`bad_request` / `internal_error` for other 4xx / 5xx). */
export function errorResponse(
  status: number,
  details: { readonly error?: string; readonly reason?: string; readonly fields?: readonly FieldError[] } = {},
  headers?: HeadersInit,
): Response {
  const body: ErrorBody = {
    error: details.error ?? STATUS_CODES[status] ?? (status < 500 ? "bad_request" : "internal_error"),
    ...(details.reason !== undefined ? { reason: details.reason } : {}),
    ...(details.fields !== undefined ? { fields: details.fields } : {}),
  };
  return json(status, body, headers);
}

/** 400 with the input fields that failed validation; no workflow was started. */
export function invalidInput(fields: readonly FieldError[]): Response {
  return errorResponse(400, { error: "invalid_input", reason: "input does not match the flow's input schema", fields });
}

/** 401 with a safe reason from checkAuth. */
export function unauthorized(reason: string): Response {
  return errorResponse(401, { reason });
}

export function notFound(): Response {
  return errorResponse(404, { reason: "no trigger matches this path" });
}

/** 405 listing the methods the path does accept. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  const methods = [...allowed].sort().join(", ");
  return errorResponse(405, { reason: `use ${methods}` }, { allow: methods });
}

/**
 * 500 without internals: the cause belongs in the log, not in the answer,
 * which might otherwise name secrets or internal URLs.
 */
export function internalError(): Response {
  return errorResponse(500, { reason: "the server could not handle this request" });
}
