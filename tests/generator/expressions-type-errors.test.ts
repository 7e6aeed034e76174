import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { checkValue } from "../../generator/expressions/check.ts";
import { parseTemplate } from "../../generator/expressions/parse.ts";
import { HTTP_OUTPUT_TYPE } from "../../generator/expressions/root-types.ts";
import { createScope, type ExprScope, type InputFieldScope } from "../../generator/expressions/scope.ts";
import { BOOLEAN, NULL, nullable, NUMBER, objectOf, STRING, UNKNOWN } from "../../generator/expressions/types.ts";
import type { JsonValue } from "../../generator/model/types.ts";

/** Type errors: reported where types are known, never on dynamic data. */

const FILE = "definitions/t.yaml";
// The value under test starts at line 3, column 8.
const PREFIX = "flow: t\nsteps:\n  - v: ";

function check(text: string, scope: ExprScope): string[] {
  const bag = new DiagnosticBag();
  bag.addFile(FILE, `${PREFIX}${text}\n`);
  const value = parseTemplate(text, FILE, PREFIX.length, bag);
  expect(bag.items).toEqual([]);
  checkValue(value, scope, bag);
  return bag.sorted().map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ""}`);
}

const field = (schema: { [key: string]: JsonValue }, required = true): InputFieldScope => ({ required, schema });

const WORKFLOW = createScope({
  inputFields: new Map([
    ["flight", field({ type: "string" })],
    ["amount", field({ type: "number" })],
    ["notify", field({ type: "boolean", default: true }, false)],
    ["commit", field({ type: "string" }, false)],
    ["count", field({ type: "integer" }, false)],
    ["mode", field({ type: "string", enum: ["quick", "slow"] })],
    ["tags", field({ type: "array", items: { type: "string" } })],
    ["address", field({ type: "object", properties: { city: { type: "string" }, street: { type: "string" } }, required: ["city"] })],
    ["meta", field({ type: "object" })],
    ["note", field({ type: ["string", "null"] })],
  ]),
  stepsRun: new Set(["lookup", "facts", "approval", "nap", "deploy"]),
  allSteps: new Set(["lookup", "facts", "approval", "nap", "deploy"]),
  envVars: ["API_BASE", "LIMIT"],
  envTypes: new Map([["LIMIT", NUMBER]]),
  roots: new Set(["item", "index"] as const),
  itemType: objectOf([
    ["sku", STRING],
    ["qty", NUMBER],
  ]),
  stepTypes: new Map([
    ["lookup", HTTP_OUTPUT_TYPE],
    ["facts", objectOf([["delayed", BOOLEAN], ["status", UNKNOWN]])],
    ["nap", NULL],
    // Guarded by `if:`: null when skipped. `approval` (wait_for_event) has no entry: unknown.
    ["deploy", nullable(HTTP_OUTPUT_TYPE)],
  ]),
});
const HTTP = createScope({ roots: new Set(["request"] as const), requestParams: ["id"], envVars: ["API_BASE"] });
const WS = createScope({ roots: new Set(["message"] as const) });
const CRON = createScope({ roots: new Set(["schedule"] as const) });
const POLL = createScope({ inputFields: WORKFLOW.inputFields, roots: new Set(["event"] as const) });
const REPEAT = createScope({ ...WORKFLOW, roots: new Set(["attempt"] as const) });

// [YAML string value (starts at 3:8), scope, expected diagnostics]
const ERRORS: readonly (readonly [string, ExprScope, readonly string[]])[] = [
  ["${{ input.flight.foo }}", WORKFLOW, ["3:25: error: input.flight is a string; it has no property 'foo' (hint: a string has only `length` and characters by position, e.g. [0])"]],
  ["${{ input.amount.value }}", WORKFLOW, ["3:25: error: input.amount is a number; it has no property 'value'"]],
  ["${{ input.address.stret }}", WORKFLOW, ["3:26: error: input.address has no property 'stret' (hint: did you mean 'street'?)"]],
  ["${{ input.address.zip }}", WORKFLOW, ["3:26: error: input.address has no property 'zip' (hint: its properties are city, street)"]],
  ["${{ input.tags.first }}", WORKFLOW, ["3:23: error: input.tags is an array; it has no property 'first' (hint: an array has only `length` and items by position, e.g. [0])"]],
  ["${{ input.amount[0] }}", WORKFLOW, ["3:25: error: input.amount is a number; it cannot be indexed"]],
  ["${{ input.tags[input.notify] }}", WORKFLOW, ["3:23: error: an index must be a number or a string, but input.notify is a boolean"]],
  ["${{ lower(input.amount) }}", WORKFLOW, ["3:18: error: lower() expects a string, but input.amount is a number (hint: write toJSON(input.amount) to use it as text)"]],
  ["${{ length(input.amount) }}", WORKFLOW, ["3:19: error: length() expects a string, an array or an object, but input.amount is a number"]],
  ["${{ round(input.flight, 2) }}", WORKFLOW, ["3:18: error: round() expects a number, but input.flight is a string (hint: write +input.flight to read the text as a number)"]],
  ["${{ join(input.flight, ',') }}", WORKFLOW, ["3:17: error: join() expects an array, but input.flight is a string"]],
  ["${{ keys(input.flight) }}", WORKFLOW, ["3:17: error: keys() expects an array or an object, but input.flight is a string"]],
  ["${{ fromJSON(input.amount) }}", WORKFLOW, ["3:21: error: fromJSON() expects a string, but input.amount is a number (hint: it is not JSON text; use the value directly)"]],
  ["${{ min(input.address) }}", WORKFLOW, ["3:16: error: min() expects a string, a number or an array, but input.address is an object"]],
  ["${{ addDuration(now(), '2 hourz') }}", WORKFLOW, ["3:31: error: '2 hourz' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\"; a leading - subtracts)"]],
  ["${{ input.amount - input.flight }}", WORKFLOW, ["3:27: error: `-` needs numbers, but input.flight is a string (hint: write +input.flight to read the text as a number)"]],
  ["${{ input.amount * '3' }}", WORKFLOW, ["3:27: error: `*` needs numbers, but '3' is a string (hint: write 3 without quotes)"]],
  ["${{ -input.flight }}", WORKFLOW, ["3:13: error: `-` needs a number, but input.flight is a string (hint: write +input.flight to read the text as a number)"]],
  ["${{ +input.tags }}", WORKFLOW, ["3:13: error: `+` turns text into a number, but input.tags is an array"]],
  ["${{ input.amount + input.notify }}", WORKFLOW, ["3:27: error: `+` adds numbers or joins text, but input.notify is a boolean (hint: write (input.notify ? 1 : 0) to count it as a number)"]],
  ["${{ input.amount + null }}", WORKFLOW, ["3:27: error: `+` adds numbers or joins text, not null"]],
  ["${{ input.amount == 'x' }}", WORKFLOW, ["3:12: error: this comparison is always false: input.amount is a number and 'x' is a string"]],
  ["${{ input.amount != null }}", WORKFLOW, ["3:12: error: this comparison is always true: input.amount is a number, never null"]],
  ["${{ input.mode == 'quik' }}", WORKFLOW, ["3:12: error: this comparison is always false: input.mode is one of 'quick', 'slow', never 'quik' (hint: did you mean 'quick'?)"]],
  ["${{ (input.notify ? 'a' : 'b') != 'c' }}", WORKFLOW, ["3:12: error: this comparison is always true: (input.notify ? 'a' : 'b') is one of 'a', 'b', never 'c' (hint: did you mean 'a'?)"]],
  ["${{ steps.lookup.output.status == '200' }}", WORKFLOW, ["3:12: error: this comparison is always false: steps.lookup.output.status is a number and '200' is a string (hint: write 200 without quotes)"]],
  ["${{ input.notify == 'true' }}", WORKFLOW, ["3:12: error: this comparison is always false: input.notify is a boolean and 'true' is a string (hint: write true without quotes)"]],
  ["${{ input.flight == 3 }}", WORKFLOW, ["3:12: error: this comparison is always false: input.flight is a string and 3 is a number (hint: write '3' in quotes)"]],
  ["${{ steps.lookup.output.stauts }}", WORKFLOW, ["3:32: error: steps.lookup.output has no property 'stauts' (hint: did you mean 'status'?)"]],
  ["${{ steps.lookup.output.headers.etag.x }}", WORKFLOW, ["3:45: error: steps.lookup.output.headers.etag is a string or null; it has no property 'x' (hint: a string has only `length` and characters by position, e.g. [0])"]],
  ["${{ steps.nap.output.x }}", WORKFLOW, ["3:29: error: steps.nap.output is null; it has no property 'x'"]],
  ["${{ input.notify < 3 }}", WORKFLOW, ["3:12: error: `<` compares numbers or strings, but input.notify is a boolean"]],
  ["${{ input.flight >= 3 }}", WORKFLOW, ["3:12: error: input.flight is a string and 3 is a number; `>=` compares two numbers or two strings (hint: write +input.flight to compare as numbers)"]],
  ["${{ input.tags > 0 }}", WORKFLOW, ["3:12: error: `>` compares numbers or strings, but input.tags is an array"]],
  ["${{ item.sku * index }}", WORKFLOW, ["3:12: error: `*` needs numbers, but item.sku is a string (hint: write +item.sku to read the text as a number)"]],
  ["${{ env.API_BASE * 2 }}", WORKFLOW, ["3:12: error: `*` needs numbers, but env.API_BASE is a string (hint: write +env.API_BASE to read the text as a number)"]],
  ["Total: ${{ input.amount * 'x' }} for ${{ upper(input.tags) }}", WORKFLOW, ["3:34: error: `*` needs numbers, but 'x' is a string", "3:55: error: upper() expects a string, but input.tags is an array"]],
  ["${{ lower(input.address.stret) }}", WORKFLOW, ["3:32: error: input.address has no property 'stret' (hint: did you mean 'street'?)"]],
  ["${{ input.nope * 2 }}", WORKFLOW, ["3:18: error: unknown input field 'nope' (hint: did you mean 'note'?)"]],
  ["${{ lower(input.amount + 1) }}", WORKFLOW, ["3:18: error: lower() expects a string, but input.amount + 1 is a number (hint: write toJSON(input.amount + 1) to use it as text)"]],
  ["${{ request.params.id.x }}", HTTP, ["3:30: error: request.params.id is a string; it has no property 'x' (hint: a string has only `length` and characters by position, e.g. [0])"]],
  ["${{ request.headers['content-length'] * 2 }}", HTTP, ["3:12: error: `*` needs numbers, but request.headers['content-length'] is a string or null (hint: write +request.headers['content-length'] to read the text as a number)"]],
  ["${{ request.method.name }}", HTTP, ["3:27: error: request.method is a string; it has no property 'name' (hint: a string has only `length` and characters by position, e.g. [0])"]],
  ["${{ schedule.time.hour }}", CRON, ["3:26: error: schedule.time is a string; it has no property 'hour' (hint: a string has only `length` and characters by position, e.g. [0])"]],
  ["${{ event.status == 1 }}", POLL, ["3:12: error: this comparison is always false: event.status is a string and 1 is a number (hint: write '1' in quotes)"]],
  ["${{ attempt == '3' }}", REPEAT, ["3:12: error: this comparison is always false: attempt is a number and '3' is a string (hint: write 3 without quotes)"]],
];

describe("type errors", () => {
  it.each(ERRORS)("%s", (text, scope, expected) => {
    expect(check(text, scope)).toEqual(expected);
  });
});

// Dynamic data, unions, optional fields and null-safe reads: nothing to report.
const VALID: readonly (readonly [string, ExprScope])[] = [
  ["${{ steps.approval.output.approved == true }}", WORKFLOW],
  ["${{ steps.lookup.output.body.legs[0].to == 'LAX' }}", WORKFLOW],
  ["${{ steps.lookup.output.headers['content-type'] == 'application/json' }}", WORKFLOW],
  ["${{ steps.deploy.output.status == 200 }}", WORKFLOW],
  ["${{ steps.deploy.output.body.id ?? null }}", WORKFLOW],
  ["${{ steps.deploy.output == null }}", WORKFLOW],
  ["${{ steps.facts.output.status == 3 && steps.facts.output.delayed }}", WORKFLOW],
  ["${{ input.commit ?? 'HEAD' }}", WORKFLOW],
  ["${{ input.commit == null }}", WORKFLOW],
  ["${{ lower(input.commit) + length(input.note) }}", WORKFLOW],
  ["${{ input.count + 1 }}", WORKFLOW],
  ["${{ (input.count ?? 0) * 2 }}", WORKFLOW],
  ["${{ input.note || 'none' }}", WORKFLOW],
  ["${{ input.mode == 'quick' || input.mode != 'slow' }}", WORKFLOW],
  ["${{ upper(input.mode) == 'QUICK' }}", WORKFLOW],
  ["${{ input.amount + ' EUR' }} ${{ 'n=' + input.notify }} ${{ input.commit + input.amount }}", WORKFLOW],
  ["${{ input.amount > 100 && input.notify }}", WORKFLOW],
  ["${{ !input.flight || !input.tags && input.amount }}", WORKFLOW],
  ["${{ input.flight.length > 2 && input.flight[0] == 'D' }}", WORKFLOW],
  ["${{ input.tags[0] == null }}", WORKFLOW],
  ["${{ input.tags[index] }} ${{ input['tags'].length }}", WORKFLOW],
  ["${{ input.meta.anything.deep == 3 }}", WORKFLOW],
  ["${{ input.address.street ?? input.address.city }}", WORKFLOW],
  ["${{ input[input.flight] }}", WORKFLOW],
  ["${{ item.qty * 2 }} ${{ item.sku + index }}", WORKFLOW],
  ["${{ min(input.amount, 3) + 1 }} ${{ max(input.tags) < 'z' }}", WORKFLOW],
  ["${{ addDuration(input.flight, '-2 hours') }} ${{ addDuration(now(), '1 Day') }}", WORKFLOW],
  ["${{ env.LIMIT * 2 }} ${{ env.API_BASE + '/x' }}", WORKFLOW],
  ["${{ fromJSON(input.flight).a.b * 2 }}", WORKFLOW],
  ["${{ toJSON(input) }} ${{ contains(input.tags, 1) }} ${{ contains(input.flight, 1) }}", WORKFLOW],
  ["${{ values(input.address)[0] == null }}", WORKFLOW],
  ["${{ [1, 'x'][0] == 'x' }} ${{ {a: 1}.a + 1 }}", WORKFLOW],
  ["${{ input.amount == input.count }}", WORKFLOW],
  ["${{ split(input.flight, '-')[1] == 'x' }}", WORKFLOW],
  ["${{ (input.notify ? input.amount : null) ?? 0 }}", WORKFLOW],
  ["${{ input.note == 'x' }} ${{ input.note < 'y' }}", WORKFLOW],
  ["${{ lower(null) }} ${{ round(input.count) }}", WORKFLOW],
  ["Flight ${{ input.flight }} costs ${{ input.amount }} (${{ input.tags }})", WORKFLOW],
  ["${{ request.body.amount * 2 }} ${{ request.query.page ?? '1' }} ${{ request.headers['user-id'] == 'u1' }}", HTTP],
  ["${{ request.params.id }} ${{ request[request.body.key] }} ${{ length(request.headers) }}", HTTP],
  ["${{ message.x.y + 1 }} ${{ lower(message.name) }} ${{ message.n > 3 }}", WS],
  ["${{ schedule.time < now() }} ${{ addDuration(schedule.time, '1 day') }}", CRON],
  ["${{ event.status == 'errored' ? event.error.message : event.output.total * 2 }}", POLL],
  ["${{ attempt * 2 }} ${{ attempt == 3 }}", REPEAT],
];

describe("no false positives", () => {
  it.each(VALID)("%s", (text, scope) => {
    expect(check(text, scope)).toEqual([]);
  });
});
