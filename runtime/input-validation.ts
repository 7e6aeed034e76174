/**
 * Flow inputs are checked by validators that ajv compiled at generate time
 * (the Workers runtime forbids compiling them at run time). This module only
 * runs one and turns its errors into the `fields` of a 400 answer.
 */

export interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** The shape of an ajv standalone validator. */
export interface InputValidator {
  (data: unknown): boolean;
  errors?: readonly AjvError[] | null;
}

export interface FieldError {
  /** The input field (dotted path for nested values), or "" for the input as a whole. */
  readonly field: string;
  readonly message: string;
}

export type InputCheck = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly fields: readonly FieldError[] };

export function checkInput(validate: InputValidator, input: unknown): InputCheck {
  // Validators fill in defaults, so they get a copy the caller can keep.
  const value = structuredClone(input ?? {});
  if (validate(value)) return { ok: true, value };
  return { ok: false, fields: (validate.errors ?? []).map(toFieldError) };
}

function toFieldError(error: AjvError): FieldError {
  const path = error.instancePath.split("/").filter(Boolean).map(unescapePointer);
  if (error.keyword === "required" && typeof error.params["missingProperty"] === "string") {
    return { field: [...path, error.params["missingProperty"]].join("."), message: "is required" };
  }
  // The property to blame, not the object around it; only at the top is it a whole input field.
  const extra = error.params["additionalProperty"] ?? error.params["unevaluatedProperty"];
  if ((error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties") && typeof extra === "string") {
    return { field: [...path, extra].join("."), message: path.length === 0 ? "is not an input of this flow" : "is not allowed here" };
  }
  return { field: path.join("."), message: error.message ?? `fails ${error.keyword}` };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
