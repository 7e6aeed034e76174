import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { readWranglerVars, updateWranglerConfig, type DesiredConfig } from "../../generator/emit/wrangler-config.ts";

const desired: DesiredConfig = {
  main: "generated/worker.ts",
  workflows: [
    { name: "flight-status", binding: "FLIGHT_STATUS_WORKFLOW", class_name: "FlightStatusWorkflow" },
    { name: "send-receipt", binding: "SEND_RECEIPT_WORKFLOW", class_name: "SendReceiptWorkflow", script_name: "email-workflows" },
  ],
  durableObjects: [{ name: "FlightAgent", class_name: "FlightAgent" }],
  crons: ["0 9 * * 1-5", "*/5 * * * *", "0 9 * * 1-5"],
  secretsRequired: ["FLIGHTS_TOKEN", "APPROVER_TOKEN"],
};

const USER_CONFIG = `// Flights worker: hand-written parts are kept.
{
  "name": "flights", // the Worker's name
  "compatibility_date": "2025-06-01",
  /* plain vars, readable as env.NAME */
  "vars": { "REGION": "eu", "LIMIT": 3 },
  "observability": { "enabled": true },
  "durable_objects": {
    "bindings": [
      // a hand-written counter
      { "name": "COUNTER", "class_name": "Counter", "script_name": "counters" }
    ]
  },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Counter"] } // first deploy
  ],
  "secrets": { "required": ["ZED_TOKEN"] },
}
`;

function update(text: string, config: DesiredConfig = desired) {
  const result = updateWranglerConfig(text, config);
  expect(result.errors).toEqual([]);
  return result.text;
}

// Stable JSONC parse of the result, for asserting on values.
function value(text: string): Record<string, unknown> {
  return parse(text, [], { allowTrailingComma: true }) as Record<string, unknown>;
}

describe("updateWranglerConfig on a new project", () => {
  it("writes a complete config from nothing", () => {
    const text = update("");
    expect(value(text)).toEqual({
      $schema: "node_modules/wrangler/config-schema.json",
      name: "flows",
      main: "generated/worker.ts",
      compatibility_date: "2026-11-01",
      compatibility_flags: ["nodejs_compat"],
      durable_objects: { bindings: [{ name: "FlightAgent", class_name: "FlightAgent" }] },
      workflows: [
        { name: "flight-status", binding: "FLIGHT_STATUS_WORKFLOW", class_name: "FlightStatusWorkflow" },
        { name: "send-receipt", binding: "SEND_RECEIPT_WORKFLOW", class_name: "SendReceiptWorkflow", script_name: "email-workflows" },
      ],
      migrations: [{ tag: "v1", new_sqlite_classes: ["FlightAgent"] }],
      triggers: { crons: ["*/5 * * * *", "0 9 * * 1-5"] },
      secrets: { required: ["APPROVER_TOKEN", "FLIGHTS_TOKEN"] },
    });
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "main": "generated/worker.ts",\n');
  });

  it("fills an empty object and uses the worker name it is given", () => {
    const text = update("{\n}\n", { ...desired, extra: { name: "cf-flows" } });
    expect(value(text)["name"]).toBe("cf-flows");
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("is deterministic: the order of the desired lists does not matter", () => {
    const shuffled: DesiredConfig = {
      ...desired,
      workflows: [...desired.workflows].reverse(),
      crons: [...desired.crons].reverse(),
      secretsRequired: [...desired.secretsRequired].reverse(),
    };
    expect(update("", shuffled)).toBe(update(""));
  });
});

describe("updateWranglerConfig on a user's config", () => {
  const text = update(USER_CONFIG);

  it("keeps every comment and foreign key byte for byte", () => {
    for (const line of [
      "// Flights worker: hand-written parts are kept.",
      '  "name": "flights", // the Worker\'s name',
      '  "compatibility_date": "2025-06-01",',
      "  /* plain vars, readable as env.NAME */",
      '  "vars": { "REGION": "eu", "LIMIT": 3 },',
      '  "observability": { "enabled": true },',
      "      // a hand-written counter",
      '      { "name": "COUNTER", "class_name": "Counter", "script_name": "counters" },',
      '    { "tag": "v1", "new_sqlite_classes": ["Counter"] }, // first deploy',
    ]) {
      expect(text).toContain(line);
    }
  });

  it("never overwrites the user's defaults", () => {
    expect(value(text)["name"]).toBe("flights");
    expect(value(text)["compatibility_date"]).toBe("2025-06-01");
    // A missing list gets the defaults, and the user's date (before 2026-05-14) needs the flag that keeps error messages.
    expect(value(text)["compatibility_flags"]).toEqual(["nodejs_compat", "workflows_preserve_non_retryable_error_message"]);
  });

  it("adds the flag that keeps a NonRetryableError's message to the user's own flags when their date needs it, keeping them and their comments", () => {
    const flagged = update(`{\n  "compatibility_date": "2025-06-01",\n  // ours: keep\n  "compatibility_flags": [\n    "nodejs_compat", // node APIs\n    "url_standard"\n  ],\n}\n`);
    expect(value(flagged)["compatibility_flags"]).toEqual(["nodejs_compat", "url_standard", "workflows_preserve_non_retryable_error_message"]);
    expect(flagged).toContain('  // ours: keep\n  "compatibility_flags": [\n    "nodejs_compat", // node APIs\n    "url_standard",\n');
    // Once there, nothing changes: the edit is idempotent.
    expect(update(flagged)).toBe(flagged);
    const inline = update(`{ "compatibility_date": "2026-01-01", "compatibility_flags": ["nodejs_compat"] }\n`);
    expect(inline).toContain('"compatibility_flags": ["nodejs_compat", "workflows_preserve_non_retryable_error_message"]');
  });

  it("removes that flag where the compatibility date already turns it on (naming it there stops a deploy)", () => {
    const recent = update(`{\n  "compatibility_date": "2026-05-14",\n  "compatibility_flags": [\n    "nodejs_compat",\n    "workflows_preserve_non_retryable_error_message"\n  ],\n}\n`);
    expect(value(recent)["compatibility_flags"]).toEqual(["nodejs_compat"]);
    expect(update(`{ "compatibility_date": "2026-11-01", "compatibility_flags": ["url_standard"] }\n`)).toContain('"compatibility_flags": ["url_standard"]');
  });

  it("refuses compatibility_flags that is not a list", () => {
    expect(updateWranglerConfig(`{ "compatibility_flags": "nodejs_compat" }\n`, desired).errors).toEqual(['1:26: "compatibility_flags" must be an array.']);
  });

  it("keeps the user's Durable Object bindings and adds the generated ones", () => {
    expect(value(text)["durable_objects"]).toEqual({
      bindings: [
        { name: "COUNTER", class_name: "Counter", script_name: "counters" },
        { name: "FlightAgent", class_name: "FlightAgent" },
      ],
    });
  });

  it("appends a migration for the new class and leaves the old ones alone", () => {
    expect(value(text)["migrations"]).toEqual([
      { tag: "v1", new_sqlite_classes: ["Counter"] },
      { tag: "v2", new_sqlite_classes: ["FlightAgent"] },
    ]);
  });

  it("merges required secrets", () => {
    expect(value(text)["secrets"]).toEqual({ required: ["APPROVER_TOKEN", "FLIGHTS_TOKEN", "ZED_TOKEN"] });
  });

  it("is idempotent", () => {
    expect(update(text)).toBe(text);
    expect(update(update(""))).toBe(update(""));
  });

  it("changes nothing in a config that is already up to date", () => {
    const once = update(USER_CONFIG);
    expect(updateWranglerConfig(once, desired)).toEqual({ text: once, errors: [], diagnostics: [] });
  });
});

describe("owned keys", () => {
  it("rewrites main, workflows and crons to exactly what the flows need", () => {
    const before = update("");
    const after = update(before, { ...desired, main: "generated/entry.ts", workflows: [desired.workflows[0]!], crons: [] });
    expect(value(after)["main"]).toBe("generated/entry.ts");
    expect(value(after)["workflows"]).toEqual([desired.workflows[0]]);
    // An empty list, not a missing key: only an explicit [] removes deployed crons.
    expect(value(after)["triggers"]).toEqual({ crons: [] });
  });

  it("writes workflow step limits", () => {
    const text = update("", { ...desired, workflows: [{ ...desired.workflows[0]!, limits: { steps: 5000 } }] });
    expect(value(text)["workflows"]).toEqual([{ ...desired.workflows[0], limits: { steps: 5000 } }]);
  });

  it("takes over a binding that has the generated class, or the generated name", () => {
    const config = `{
  "durable_objects": { "bindings": [
    { "name": "OLD_NAME", "class_name": "FlightAgent" },
    { "name": "KEEP", "class_name": "Other", "script_name": "other" }
  ] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["FlightAgent"] }]
}
`;
    const text = update(config);
    expect(value(text)["durable_objects"]).toEqual({
      bindings: [
        { name: "FlightAgent", class_name: "FlightAgent" },
        { name: "KEEP", class_name: "Other", script_name: "other" },
      ],
    });
    expect(value(text)["migrations"]).toEqual([{ tag: "v1", new_sqlite_classes: ["FlightAgent"] }]);
  });

  it("adds extra bindings only when missing", () => {
    const extra = { bindings: { send_email: [{ name: "EMAIL" }] } };
    const text = update('{\n  "send_email": [{ "name": "EMAIL", "destination_address": "a@b.test" }]\n}\n', { ...desired, extra });
    expect(value(text)["send_email"]).toEqual([{ name: "EMAIL", destination_address: "a@b.test" }]);
    expect(value(update("", { ...desired, extra }))["send_email"]).toEqual([{ name: "EMAIL" }]);
  });
});

describe("migrations", () => {
  const withAgent = update("");

  it("are append-only: a second new class gets its own migration", () => {
    const two: DesiredConfig = { ...desired, durableObjects: [...desired.durableObjects, { name: "OpsAgent", class_name: "OpsAgent" }] };
    const text = update(withAgent, two);
    // The first entry's text is untouched; the new one follows it.
    expect(text).toContain('"migrations": [\n    {\n      "tag": "v1",\n      "new_sqlite_classes": ["FlightAgent"]\n    },\n    {\n      "tag": "v2",');
    expect(value(text)["migrations"]).toEqual([
      { tag: "v1", new_sqlite_classes: ["FlightAgent"] },
      { tag: "v2", new_sqlite_classes: ["OpsAgent"] },
    ]);
  });

  it("continue numeric tags past the entry count", () => {
    const config = '{ "migrations": [ { "tag": "v7", "new_classes": ["Legacy"] } ], "durable_objects": { "bindings": [ { "name": "L", "class_name": "Legacy" } ] } }\n';
    expect(value(update(config))["migrations"]).toEqual([
      { tag: "v7", new_classes: ["Legacy"] },
      { tag: "v8", new_sqlite_classes: ["FlightAgent"] },
    ]);
  });

  it("follow renames and transfers", () => {
    const config = `{
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["FlowAgent"] },
    { "tag": "v2", "renamed_classes": [{ "from": "FlowAgent", "to": "FlightAgent" }] }
  ]
}
`;
    expect(value(update(config))["migrations"]).toHaveLength(2);
  });

  it("report a class no flow generates any more, and write nothing", () => {
    const result = updateWranglerConfig(withAgent, { ...desired, durableObjects: [] });
    expect(result.text).toBe(withAgent);
    expect(result.errors).toHaveLength(1);
    const line = withAgent.split("\n").findIndex((l) => l.includes('"new_sqlite_classes": ["FlightAgent"]')) + 1;
    expect(result.errors[0]).toMatch(new RegExp(`^${line}:\\d+: Durable Object class FlightAgent is declared by migration "v1"`));
    expect(result.errors[0]).toContain('{ "tag": "v2", "deleted_classes": ["FlightAgent"] }');
    expect(result.diagnostics[0]).toMatchObject({ severity: "error", file: "wrangler.jsonc", line });
  });

  it("name the --remove-agents flag in the error", () => {
    const result = updateWranglerConfig(withAgent, { ...desired, durableObjects: [] });
    expect(result.diagnostics[0]?.hint).toContain("`generate --remove-agents`");
  });

  it("with removeUnusedClasses, delete the class with a migration of its own and drop its binding", () => {
    const result = updateWranglerConfig(withAgent, { ...desired, durableObjects: [] }, "wrangler.jsonc", { removeUnusedClasses: true });
    expect(result.errors).toEqual([]);
    const migrations = value(result.text)["migrations"];
    expect(migrations).toEqual([{ tag: "v1", new_sqlite_classes: ["FlightAgent"] }, { tag: "v2", deleted_classes: ["FlightAgent"] }]);
    expect(value(result.text)["durable_objects"]).toEqual({ bindings: [] });
    // Once deleted, the next run has nothing more to do.
    expect(updateWranglerConfig(result.text, { ...desired, durableObjects: [] }).text).toBe(result.text);
  });

  it("accept the removal once the user adds the deleting migration, and drop the stale binding", () => {
    const deleted = withAgent.replace(
      '"new_sqlite_classes": ["FlightAgent"]\n    }',
      '"new_sqlite_classes": ["FlightAgent"]\n    },\n    { "tag": "v2", "deleted_classes": ["FlightAgent"] } // retired',
    );
    const text = update(deleted, { ...desired, durableObjects: [] });
    expect(text).toContain('{ "tag": "v2", "deleted_classes": ["FlightAgent"] } // retired');
    expect(value(text)["durable_objects"]).toEqual({ bindings: [] });
  });

  it("accept a class that is no longer generated while the user still binds it", () => {
    const config = `{
  "durable_objects": { "bindings": [ { "name": "COUNTER", "class_name": "Counter" } ] },
  "migrations": [ { "tag": "v1", "new_sqlite_classes": ["Counter"] } ]
}
`;
    expect(updateWranglerConfig(config, desired).errors).toEqual([]);
  });
});

describe("errors", () => {
  it("reports invalid JSONC with line:col and writes nothing", () => {
    const broken = '{\n  "name": "x",\n  "main": \n}\n';
    const result = updateWranglerConfig(broken, desired);
    expect(result.text).toBe(broken);
    expect(result.errors).toEqual(["4:1: wrangler.jsonc is not valid JSONC: value expected."]);
  });

  it("refuses a config that is not an object, or owned keys of the wrong type", () => {
    expect(updateWranglerConfig("[]", desired).errors[0]).toMatch(/must contain one JSON object/);
    expect(updateWranglerConfig('{ "migrations": {} }', desired).errors[0]).toMatch(/^1:17: "migrations" must be an array/);
  });

  it("refuses `exports`, which wrangler does not allow beside migrations", () => {
    expect(updateWranglerConfig('{ "exports": {} }', desired).errors[0]).toMatch(/"exports"/);
  });
});

describe("formatting", () => {
  it("keeps CRLF line endings", () => {
    const text = update('{\r\n  "name": "x"\r\n}\r\n');
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("keeps a one-line container on one line", () => {
    const text = update('{ "name": "x", "durable_objects": { "bindings": [ { "name": "A", "class_name": "A", "script_name": "s" } ] } }\n');
    expect(text).toContain('[ { "name": "A", "class_name": "A", "script_name": "s" }, { "name": "FlightAgent", "class_name": "FlightAgent" } ]');
  });

  it("keeps the user's indentation for new members", () => {
    const text = update('{\n    "name": "x"\n}\n');
    expect(text).toContain('\n    "main": "generated/worker.ts"');
  });
});

describe("readWranglerVars", () => {
  it("lists plain vars, sorted", () => {
    expect(readWranglerVars(USER_CONFIG)).toEqual(["LIMIT", "REGION"]);
  });

  it("gives [] when there are none or the text does not parse", () => {
    expect(readWranglerVars("{}")).toEqual([]);
    expect(readWranglerVars("{ nope")).toEqual([]);
  });
});
