import { describeDiagnostics, STEP, type DiagnosticCase } from "./diagnostics-table.ts";

/** The table of bad definitions (stage 1, YAML: syntax, duplicate keys, the unquoted `${{ }}` trap); see diagnostics-table.ts. */

const CASES: readonly DiagnosticCase[] = [
  {
    name: "yaml-syntax",
    expected: ["5:12: error: this double-quoted string is never closed (hint: add the closing \")"],
  },
  {
    name: "duplicate-keys",
    expected: ["5:5: error: duplicate key 'sleep'; it is already set at line 4 (hint: remove one of them)"],
  },
  {
    name: "trap-braces",
    expected: [
      "4:18: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ input.url }}\")",
    ],
  },
  {
    name: "trap-brackets",
    expected: [
      "5:14: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ input.a }}\")",
      "5:30: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ input.b }}\")",
    ],
  },
  {
    name: "trap-comment",
    expected: [
      "4:36: error: ' #' starts a YAML comment, so the rest of this unquoted value is dropped; put the value in quotes (hint: write \"Order ${{ input.order }} #${{ input.line }} is missing\")",
    ],
  },
  {
    name: "trap-colon",
    expected: [
      "4:18: error: this unquoted value contains ': ', which YAML reads as a nested key; put the value in quotes (hint: write \"Flight ${{ input.flight }}: not found\")",
      "7:14: error: this unquoted value contains ': ', which YAML reads as a nested key; put the value in quotes (hint: write \"${{ input.vip ? 'gold' : 'standard' }}\")",
    ],
  },
  {
    name: "tab-indent",
    yaml: `flow: tab-indent\nsteps:\n\t- id: nap\n`,
    expected: ["3:1: error: YAML syntax error: tabs are not allowed as indentation (hint: indent with spaces, not tabs)"],
  },
  {
    name: "two-documents",
    yaml: `flow: two-documents\n${STEP}---\nflow: other\n`,
    expected: [
      "5:1: error: a definition file holds one flow, but this one has several YAML documents (hint: remove the '---' separator and move the other flow to its own file)",
    ],
  },
  {
    name: "empty-file",
    yaml: ``,
    expected: ["1:1: error: a flow file must be a mapping with at least 'flow' and 'steps' (hint: start with flow: <id>)"],
  },

  // Multi-line flow collections, unclosed brackets and indentation slips.
  {
    name: "trap-flow-multiline",
    yaml: `flow: trap-flow-multiline\nsteps:\n  - id: facts\n    set:\n      {\n        who: \${{ flow.name }},\n        ok: true\n      }\n`,
    expected: [
      "6:14: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ flow.name }}\")",
    ],
  },
  {
    name: "trap-list-of-addresses",
    yaml: `flow: trap-list-of-addresses\nsteps:\n  - id: mail\n    email:\n      to: [ops@example.com, \${{ instance.id }}]\n      from: a@example.com\n      subject: hi\n      text: hi\n`,
    expected: [
      "5:29: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ instance.id }}\")",
    ],
  },
  {
    name: "yaml-unclosed-flow",
    yaml: `flow: yaml-unclosed-flow\nsteps:\n  - id: facts\n    set: { a: 1\n  - id: nap\n    sleep: 1 hour\n`,
    expected: [
      "4:10: error: this '{' is never closed (hint: add the closing }; a flow mapping or list that spans lines must keep its lines indented more than its key)",
    ],
  },
  {
    name: "yaml-bad-indent",
    yaml: `flow: yaml-bad-indent\nsteps:\n  - id: nap\n     sleep: 1 hour\n`,
    expected: [
      "4:6: error: this line is indented differently from the keys around it, so YAML reads it as part of the line above (hint: keys of one mapping start in the same column; so do the '- ' of one list)",
    ],
  },
  {
    name: "yaml-reserved-start",
    yaml: `flow: yaml-reserved-start\nsteps:\n  - id: stop\n    fail: @user is missing\n`,
    expected: [
      "4:11: error: a value cannot start with '@' unless it is quoted (hint: put the value in quotes: \"@user is missing\")",
    ],
  },
  {
    name: "yaml-bad-escape",
    yaml: `flow: yaml-bad-escape\nsteps:\n  - id: stop\n    fail: "no file at C:\\data"\n`,
    expected: [
      "4:25: error: YAML syntax error: invalid escape sequence \\d (hint: inside double quotes '\\' starts an escape: write '\\\\' for a backslash, or use single quotes)",
    ],
  },
  {
    name: "yaml-stray-bracket",
    yaml: `flow: yaml-stray-bracket\nsteps:\n  - id: nap\n    sleep: 1 hour\n  ]\n`,
    expected: [
      "5:3: error: this ']' closes nothing (hint: remove it, or add the '[' it belongs to)",
    ],
  },
  {
    name: "yaml-collection-key",
    yaml: `flow: yaml-collection-key\nsteps:\n  - id: facts\n    set: { [a, b]: 1 }\n`,
    expected: [
      "4:12: error: a key must be text, not a list or a mapping (hint: quote the key if the brackets are part of its name)",
    ],
  },
  {
    name: "yaml-unknown-tag",
    yaml: `flow: yaml-unknown-tag\nsteps:\n  - id: stop\n    fail: !important stop here\n`,
    expected: [
      "4:11: warning: YAML: unresolved tag: !important (hint: flow files use no YAML tags; remove the '!…', or quote the value if the '!' is text)",
    ],
  },
];

describeDiagnostics("YAML syntax", CASES);
