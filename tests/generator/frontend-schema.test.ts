import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findExpressionTraps } from "../../generator/load/expression-trap.ts";
import { cronProblem, looksLikeCron } from "../../generator/model/build-schedule.ts";
import { derivedWorkflowNames } from "../../generator/model/build-flow.ts";
import { flowSchema, schemaDefinitions, type SchemaObject } from "../../generator/schema/flow-schema.ts";
import { ACTION_KINDS, STEP_KINDS, stepDefinition, TRIGGER_KINDS } from "../../generator/schema/kinds.ts";

/** The schema is what editors show: every key documented, every kind defined. */

const definitions = schemaDefinitions();
const resolve = (schema: SchemaObject): SchemaObject => {
  const ref = schema["$ref"];
  return typeof ref === "string" ? definitions[ref.replace("#/definitions/", "")]! : schema;
};

/** Every `properties` entry anywhere in the schema, as [path, schema]. */
function allProperties(node: unknown, path: string, out: [string, SchemaObject][] = []): [string, SchemaObject][] {
  if (typeof node !== "object" || node === null) return out;
  if (Array.isArray(node)) {
    node.forEach((item, i) => allProperties(item, `${path}[${i}]`, out));
    return out;
  }
  for (const [key, value] of Object.entries(node as SchemaObject)) {
    if (key === "examples") continue;
    if (key !== "properties" || typeof value !== "object" || value === null) {
      allProperties(value, `${path}/${key}`, out);
      continue;
    }
    // A properties map: its values are property schemas (one of them may be named "properties").
    for (const [name, schema] of Object.entries(value)) {
      out.push([`${path}.${name}`, schema as SchemaObject]);
      allProperties(schema, `${path}.${name}`, out);
    }
  }
  return out;
}

describe("flow.schema.json", () => {
  it("is draft-07 and forbids unknown keys on every object it describes", () => {
    expect(flowSchema()["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    const open = Object.entries(definitions).filter(
      ([name, d]) => d["type"] === "object" && d["properties"] !== undefined && d["additionalProperties"] !== false && !name.startsWith("schema"),
    );
    expect(open.map(([name]) => name)).toEqual([]);
  });

  it("gives every property a description and examples (editor hovers)", () => {
    const properties = allProperties(flowSchema(), "#");
    expect(properties.length).toBeGreaterThan(100);
    const missing = properties
      .filter(([, schema]) => {
        const target = resolve(schema);
        return typeof target["description"] !== "string" || !Array.isArray(target["examples"]);
      })
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it("has a definition for every supported kind, and a step oneOf of exactly those", () => {
    for (const key of Object.keys(STEP_KINDS)) expect(definitions[stepDefinition(key)], key).toBeDefined();
    for (const key of TRIGGER_KINDS) expect(definitions[`trigger_${key}`], key).toBeDefined();
    for (const key of ACTION_KINDS) expect(definitions[`action_${key}`], key).toBeDefined();
    const refs = (definitions["step"]!["oneOf"] as SchemaObject[]).map((s) => s["$ref"]);
    expect(refs).toEqual(Object.keys(STEP_KINDS).map((k) => `#/definitions/${stepDefinition(k)}`));
  });

  it("is the file the example definitions point editors at", () => {
    const text = readFileSync(new URL("../../definitions/flight-status.yaml", import.meta.url), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../generator/schema/flow.schema.json");
  });
});

describe("expression trap detection", () => {
  it.each([
    ["a: { b: ${{ x }} }\n", ["flow"]],
    ["a: [ ${{ x }} ]\n", ["flow"]],
    ["a: text ${{ x }}: more\n", ["colon"]],
    ["a: Error: ${{ x }}\n", ["colon"]],
    ["a: ${{ x ? 1 : 2 }}\n", ["colon"]],
    ["a: Issue ${{ x }} #${{ y }}\n", ["comment"]],
    ["a: ${{ x }} # a real comment\n", []],
    ["a: \"${{ x }}: fine\"\nb: { c: '${{ y }}' }\n", []],
    ["a: |\n  ${{ x }}: fine in a block scalar\n", []],
    ["url: https://x.example/${{ id }}#top\n", []],
    ["set:\n  ${{ x }}: a key, not a trap\n", []],
    ["- a: ${{ x ? 1 : 2 }}\n", ["colon"]],
  ])("%j", (text, reasons) => {
    expect(findExpressionTraps(text).map((t) => t.reason)).toEqual(reasons);
  });
});

describe("crons and derived names", () => {
  it.each(["*/5 * * * *", "0 9 * * 1-5", "0 9 * * MON-FRI", "30 8 1,15 JAN-JUN *", "0 9 L * *", "0 10 * * MON#2", "0 0 * * 5L", "0 */2 * * *"])(
    "accepts %s",
    (cron) => expect(cronProblem(cron)).toBeUndefined(),
  );

  it.each([
    ["* * * *", "a cron has 5 fields (minute hour day-of-month month day-of-week), but '* * * *' has 4"],
    ["60 * * * *", "cron '60 * * * *': minute 60 is out of range 0-59"],
    ["*/0 * * * *", "cron '*/0 * * * *': the step '/0' in the minute field must be at least 1"],
    ["0 0 * FOO *", "cron '0 0 * FOO *': 'FOO' is not a valid month; use 1-12 or JAN-DEC"],
  ])("rejects %s", (cron, message) => expect(cronProblem(cron)?.message).toBe(message));

  it("tells crons from durations in poll.every", () => {
    expect([looksLikeCron("*/5 * * * *"), looksLikeCron("0 9 * * 1"), looksLikeCron("30 seconds"), looksLikeCron("1 day")]).toEqual([true, true, false, false]);
  });

  it("derives workflow names from the flow id", () => {
    expect(derivedWorkflowNames("flight-status")).toEqual({ className: "FlightStatusWorkflow", binding: "FLIGHT_STATUS_WORKFLOW", name: "flight-status" });
    expect(derivedWorkflowNames("a2b-c")).toEqual({ className: "A2bCWorkflow", binding: "A2B_C_WORKFLOW", name: "a2b-c" });
  });
});
