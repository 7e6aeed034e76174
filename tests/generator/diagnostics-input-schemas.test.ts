import { describeDiagnostics, STEP, type DiagnosticCase } from "./diagnostics-table.ts";

/**
 * Input fields' JSON Schemas (dsl.md §3): a misspelt keyword, a keyword of
 * the wrong type, a `$ref` that points at nothing, a pattern that is no
 * regular expression — each at its own line; see diagnostics-table.ts.
 */

const CASES: readonly DiagnosticCase[] = [
  {
    name: "schema-keyword-typos",
    yaml: `flow: schema-keyword-typos\ninput:\n  name: { type: string, minLenght: 1 }\n  box:\n    type: object\n    properties:\n      size: { type: integer, mininum: 1 }\n${STEP}`,
    expected: [
      "3:25: error: unknown key 'minLenght' in input field 'name'; did you mean 'minLength'?",
      "7:30: error: unknown key 'mininum' in 'properties.size' of input field 'box'; did you mean 'minimum'?",
    ],
  },
  {
    name: "schema-keywords-of-other-drafts",
    yaml: `flow: schema-keywords-of-other-drafts\ninput:\n  a: { type: string, $id: "x" }\n  b: { type: object, definitions: {} }\n${STEP}`,
    expected: [
      "3:22: error: unknown key '$id' in input field 'a' (hint: an input field's schema has no id of its own; refer to its parts with $ref: '#/$defs/<name>')",
      "4:22: error: unknown key 'definitions' in input field 'b' (hint: JSON Schema 2020-12 calls it '$defs')",
    ],
  },
  {
    name: "schema-keyword-types",
    yaml: `flow: schema-keyword-types\ninput:\n  name: { type: string, minLength: one }\n  tags: { type: array, uniqueItems: yes, prefixItems: { type: string } }\n  box: { type: object, properties: { a: { type: object, required: true } } }\n  pick: { oneOf: [] }\n${STEP}`,
    expected: [
      "3:36: error: 'minLength' in input field 'name' must be a whole number, not the text 'one' (hint: for example minLength: 1)",
      "4:37: error: 'uniqueItems' in input field 'tags' must be true or false, not the text 'yes' (hint: for example uniqueItems: true)",
      "4:55: error: 'prefixItems' in input field 'tags' must be a list, not a mapping (hint: for example prefixItems: [ { type: number }, { type: number } ])",
      "5:67: error: 'properties.a.required' in input field 'box' must be a list, not true (hint: for example required: [ code ])",
      "6:18: error: 'oneOf' in input field 'pick' must have at least 1 item",
    ],
  },
  {
    name: "unresolved-refs",
    yaml: `flow: unresolved-refs\ninput:\n  home:\n    $ref: "#/$defs/adress"\n    $defs:\n      address: { type: object }\n  work: { type: object, properties: { a: { $ref: "#/$defs/x" } } }\n  other: { $ref: "https://example.com/a.json" }\n${STEP}`,
    expected: [
      "4:11: error: '$ref' in input field 'home' points at '#/$defs/adress', which is not in the field's schema (hint: did you mean '#/$defs/address'?)",
      "7:50: error: '$ref' in input field 'work' points at '#/$defs/x', which is not in the field's schema (hint: references are resolved inside the field's own schema: put the schema under $defs: of this field and write '#/$defs/<name>')",
      "8:18: error: 'https://example.com/a.json' is not a reference inside this input field's schema: write '#/$defs/<name>' (hint: for example $ref: \"#/$defs/address\")",
    ],
  },
  {
    name: "ref-to-another-field",
    yaml: `flow: ref-to-another-field\ninput:\n  home: { type: object }\n  work: { $ref: "#/properties/home" }\n${STEP}`,
    expected: [
      "4:17: error: '$ref' in input field 'work' points at '#/properties/home', which is not in the field's schema (hint: references are resolved inside the field's own schema: put the schema under $defs: of this field and write '#/$defs/<name>')",
    ],
  },
  {
    name: "refs-that-loop",
    yaml: `flow: refs-that-loop\ninput:\n  a: { $ref: "#", default: 1 }\n  b:\n    $ref: "#/$defs/x"\n    $defs:\n      x: { allOf: [{ $ref: "#/$defs/y" }] }\n      y: { $ref: "#/$defs/x" }\n  tree: { type: object, properties: { children: { type: array, items: { $ref: "#" } } } }\n${STEP}`,
    expected: [
      "3:14: error: '$ref' in input field 'a' leads back to itself ('#') without going into a property or an item, so no value could ever be checked (hint: point it at a schema under $defs:, or reach the same schema again only inside properties or items (a tree))",
      "7:28: error: '$ref' in input field 'b' leads back to itself ('#/$defs/y') without going into a property or an item, so no value could ever be checked (hint: point it at a schema under $defs:, or reach the same schema again only inside properties or items (a tree))",
      "8:18: error: '$ref' in input field 'b' leads back to itself ('#/$defs/x') without going into a property or an item, so no value could ever be checked (hint: point it at a schema under $defs:, or reach the same schema again only inside properties or items (a tree))",
    ],
  },
  {
    name: "bad-regular-expressions",
    yaml: `flow: bad-regular-expressions\ninput:\n  code: { type: string, pattern: "([a-z" }\n  tags: { type: object, patternProperties: { "(": { type: string } } }\n${STEP}`,
    expected: [
      "3:34: error: 'pattern' in input field 'code' is not a valid regular expression: Unterminated character class",
      "4:46: error: '(' in 'patternProperties' of input field 'tags' is not a valid regular expression: Unterminated group",
    ],
  },
  {
    name: "required-list-and-shorthand",
    yaml: `flow: required-list-and-shorthand\ninput:\n  customer: { type: object, required: [email], properties: { email: { type: string } }, default: { email: shop@example.com } }\n  note: { type: string, required: false }\ntriggers:\n  - cron: "0 9 * * *"\n    input: { customer: { name: Ada } }\n${STEP}`,
    expected: ["7:24: error: the value of input field 'customer' is missing the key 'email'"],
  },
  {
    // The expression checker keeps such an object open: a property named in allOf may be read.
    name: "properties-from-allof-are-readable",
    yaml: `flow: properties-from-allof-are-readable\ninput:\n  box:\n    type: object\n    properties: { a: { type: string } }\n    allOf: [{ properties: { b: { type: string } } }]\nsteps:\n  - id: get\n    http: { url: "https://x.example/\${{ input.box.a }}/\${{ input.box.b }}" }\n`,
    expected: [],
  },
];

describeDiagnostics("input field schemas", CASES);
