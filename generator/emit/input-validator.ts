import { createRequire } from "node:module";

/**
 * The standalone ajv validator of a flow's input schema (generated
 * `input-validator.js`), fast.
 *
 * The reference recipe is one fresh Ajv per flow: `new Ajv(options())`,
 * `addFormats`, `compile`, `standaloneCode`. Its cost (about 20 ms a flow)
 * is almost all the draft 2020-12 meta-schema, which every fresh instance
 * compiles to check the schema before compiling it; that compilation also
 * numbers the names in the output (`validate10`, `schema11`).
 *
 * So the meta-schema is compiled ONCE per process, in a reference instance,
 * and each flow's schema is compiled by a second instance that skips the
 * check (`validateSchema: false`) and, before each schema, is reset to a
 * copy of the reference's name scope: same counters, same shared values,
 * hence the same names and the same bytes. (The schema is removed from it
 * again afterwards, so nothing of one flow stays for the next.) The schema is still checked against the meta-schema, by the
 * reference instance, with the same error. The code is also memoised by
 * schema text (watch mode re-emits unchanged flows).
 *
 * The copy reads ajv's private scope fields; when they are not what this
 * expects (another ajv version), or the schema uses `$` keywords (`$ref`,
 * `$id`… could reach the compiled meta-schema), the reference recipe runs
 * instead. tests/generator/input-validator-perf.test.ts holds the two
 * recipes to byte equality.
 */

// ajv and ajv-formats are CommonJS; loading them lazily keeps `npm run check` fast.
const require = createRequire(import.meta.url);

/**
 * Where a generated validator (generated/flows/<flow>/input-validator.js)
 * finds the formats ajv cannot inline (those checked by a function, such as
 * `date`). ajv takes one expression for all of them (`code.formats`) and
 * appends the format's name: `require("cf-flows:input-formats").date`,
 * `…["date-time"]`. The placeholder is no module: generator/emit/
 * input-module.ts rewrites each such require as an import of the runtime
 * module that has that format (formatModule), so a bundle carries only the
 * formats its flows use, and ajv-formats only when a flow uses one of the
 * formats taken from it. (ajv-formats' own default,
 * `require("ajv-formats/dist/formats").fullFormats`, made every bundle carry
 * all of its formats.)
 */
export const FORMATS_PLACEHOLDER = "cf-flows:input-formats";

/** Formats written for this project (RFC 3339 dates and times, OpenAPI numbers): runtime/input-formats-own.ts. */
const OWN_FORMATS: ReadonlySet<string> = new Set(["date", "time", "date-time", "iso-time", "iso-date-time", "int32", "int64", "float", "double"]);
/** Formats taken from ajv-formats itself: runtime/input-formats-ajv.ts. */
const AJV_FORMATS: ReadonlySet<string> = new Set(["uri", "regex", "byte"]);

/** The runtime module (as imported from generated/flows/<flow>/) that exports the function format `name`. */
export function formatModule(name: string): string {
  if (OWN_FORMATS.has(name)) return "cf-flows/runtime/input-formats-own.ts";
  if (AJV_FORMATS.has(name)) return "cf-flows/runtime/input-formats-ajv.ts";
  throw new Error(`no runtime module has the input format ${JSON.stringify(name)} (see runtime/input-formats-*.ts)`);
}

function options(): object {
  const { _ } = modules();
  return { allErrors: true, useDefaults: true, strict: false, code: { source: true, esm: true, formats: _`require(${FORMATS_PLACEHOLDER})` } };
}

interface AjvLike {
  compile(schema: object): unknown;
  validateSchema(schema: object, throwOrLogError?: boolean): unknown;
  removeSchema(schema: object): unknown;
  readonly scope: unknown;
}

interface Ajv {
  readonly Ajv: new (opts: object) => AjvLike;
  /** ajv's code template tag (a Code value for the `code.formats` option). */
  readonly _: (strings: TemplateStringsArray, ...values: unknown[]) => unknown;
  readonly addFormats: (ajv: AjvLike) => void;
  readonly standaloneCode: (ajv: AjvLike, fn: unknown) => string;
}

/** ajv's ValueScope, as far as this file touches it. */
interface ScopeState {
  _names: Record<string, { prefix: string; index: number }>;
  _values: Record<string, Map<unknown, unknown>>;
  _scope: Record<string, unknown[]>;
}

let ajvModules: Ajv | undefined;
let reference: { ajv: AjvLike; scope: ScopeState } | null | undefined;
let worker: { ajv: AjvLike; scope: ScopeState } | null | undefined;
const memo = new Map<string, string>();

function modules(): Ajv {
  ajvModules ??= {
    // Input fields are draft 2020-12 schemas (dsl.md §3): prefixItems, $defs, unevaluated*…
    Ajv: (require("ajv/dist/2020") as { default: Ajv["Ajv"] }).default,
    _: (require("ajv") as { _: Ajv["_"] })._,
    addFormats: (require("ajv-formats") as { default: Ajv["addFormats"] }).default,
    standaloneCode: (require("ajv/dist/standalone") as { default: Ajv["standaloneCode"] }).default,
  };
  return ajvModules;
}

/** ajv's standalone ESM code for `schema`, exactly as a fresh Ajv instance writes it. */
export function standaloneValidator(schema: object): string {
  const text = JSON.stringify(schema);
  let code = memo.get(text);
  if (code === undefined) {
    code = text.includes('"$') ? referenceCode(schema) : fastCode(schema);
    memo.set(text, code);
  }
  return code;
}

/** The reference recipe: a fresh instance that compiles the meta-schema itself. */
export function referenceCode(schema: object): string {
  const { Ajv, addFormats, standaloneCode } = modules();
  const ajv = new Ajv(options());
  addFormats(ajv);
  return standaloneCode(ajv, ajv.compile(schema));
}

function fastCode(schema: object): string {
  const ref = referenceInstance();
  const worker = workerInstance();
  if (!ref || !worker) return referenceCode(schema);
  // Same check, same error as the fresh instance's compile would give.
  ref.ajv.validateSchema(schema, true);
  // As fresh: the reference's names, and nothing left from the previous flow.
  seed(worker.scope, ref.scope);
  try {
    return modules().standaloneCode(worker.ajv, worker.ajv.compile(schema));
  } finally {
    worker.ajv.removeSchema(schema);
  }
}

/** The one instance that compiles every flow's schema (no meta-schema check: the reference does it). */
function workerInstance(): { ajv: AjvLike; scope: ScopeState } | null {
  if (worker === undefined) {
    const { Ajv, addFormats } = modules();
    const ajv = new Ajv({ ...options(), validateSchema: false });
    addFormats(ajv);
    const scope = scopeState(ajv.scope);
    worker = scope ? { ajv, scope } : null;
  }
  return worker;
}

/** The instance whose meta-schema is compiled, or null when its scope cannot be read. */
function referenceInstance(): { ajv: AjvLike; scope: ScopeState } | null {
  if (reference === undefined) {
    const { Ajv, addFormats } = modules();
    const ajv = new Ajv(options());
    addFormats(ajv);
    ajv.validateSchema({});
    const scope = scopeState(ajv.scope);
    reference = scope ? { ajv, scope } : null;
  }
  return reference;
}

function scopeState(scope: unknown): ScopeState | undefined {
  if (typeof scope !== "object" || scope === null) return undefined;
  const s = scope as Partial<ScopeState>;
  const plain = (v: unknown): boolean => typeof v === "object" && v !== null;
  return plain(s._names) && plain(s._values) && plain(s._scope) ? (s as ScopeState) : undefined;
}

/** Makes a scope a copy of the reference's: counters, shared values and their slots, and nothing else. */
function seed(target: ScopeState, from: ScopeState): void {
  for (const record of [target._names, target._values, target._scope]) for (const prefix of Object.keys(record)) delete record[prefix];
  for (const [prefix, group] of Object.entries(from._names)) target._names[prefix] = { ...group };
  for (const [prefix, values] of Object.entries(from._values)) target._values[prefix] = new Map(values);
  for (const [prefix, refs] of Object.entries(from._scope)) target._scope[prefix] = [...refs];
}
