import { describeDiagnostics, STEP, type DiagnosticCase } from "./diagnostics-table.ts";

/** The table of bad definitions (stage 2, the schema: unknown keys, types, allowed values, kinds); see diagnostics-table.ts. */

const CASES: readonly DiagnosticCase[] = [
  {
    name: "unknown-root-key",
    yaml: `flow: unknown-root-key\nstpes: []\n`,
    expected: ["2:1: error: unknown key 'stpes' in flow; did you mean 'steps'?"],
  },
  {
    name: "unknown-step-key",
    yaml: `flow: unknown-step-key\nsteps:\n  - id: nap\n    sleep: 1 hour\n    retires: { limit: 3 }\n`,
    expected: ["5:5: error: unknown key 'retires' in step 'nap'; did you mean 'retries'?"],
  },
  {
    name: "unknown-nested-key",
    yaml: `flow: unknown-nested-key\nsteps:\n  - id: get\n    http: { url: https://x.example, headres: {} }\n    retries: { limt: 3 }\n`,
    expected: [
      "4:37: error: unknown key 'headres' in 'http' of step 'get'; did you mean 'headers'?",
      "5:16: error: unknown key 'limt' in 'retries' of step 'get'; did you mean 'limit'?",
    ],
  },
  {
    name: "wrong-types",
    yaml: `flow: wrong-types\nagent: 42\nsteps:\n  - id: get\n    http: { url: https://x.example }\n    retries: { limit: five }\n`,
    expected: [
      "2:8: error: 'agent' in flow must be text, not the number 42 (hint: for example agent: FlightAgent)",
      "6:23: error: 'retries.limit' in step 'get' must be a whole number, not the text 'five' (hint: for example limit: 5)",
    ],
  },
  {
    name: "bad-enum",
    yaml: `flow: bad-enum\nsteps:\n  - id: get\n    http: { url: https://x.example, method: get }\n    retries: { backoff: expo }\n`,
    expected: [
      "4:45: error: 'http.method' in step 'get' must be 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' or 'HEAD', not the text 'get' (hint: did you mean 'GET'?)",
      "5:25: error: 'retries.backoff' in step 'get' must be 'constant', 'linear' or 'exponential', not the text 'expo'",
    ],
  },
  {
    name: "missing-auth",
    yaml: `flow: missing-auth\ntriggers:\n  - http: POST /orders\n${STEP}`,
    expected: [
      "3:5: error: missing required key 'auth' in the http trigger (hint: every http trigger needs auth: { bearer: SECRET_NAME }, { hmac: { secret: SECRET_NAME, header: x-signature } } or none)",
    ],
  },
  {
    name: "auth-without-key",
    yaml: `flow: auth-without-key\ntriggers:\n  - http: POST /orders\n    auth: ORDERS_TOKEN\n${STEP}`,
    expected: ["4:11: error: auth cannot be 'ORDERS_TOKEN'; it is { bearer: … }, { hmac: … } or none (hint: write auth: { bearer: ORDERS_TOKEN })"],
  },
  {
    name: "bad-secret-name",
    yaml: `flow: bad-secret-name\ntriggers:\n  - http: POST /orders\n    auth: { bearer: orders-token }\n${STEP}`,
    expected: ["4:21: error: 'orders-token' is not a valid secret name: use upper-case letters, digits and '_' (like FLIGHT_API_KEY) (hint: did you mean 'ORDERS_TOKEN'?)"],
  },
  {
    name: "websocket-missing-auth",
    yaml: `flow: websocket-missing-auth\ntriggers:\n  - websocket: book-flight\n${STEP}`,
    expected: [
      "3:5: error: missing required key 'auth' in the websocket trigger (hint: every websocket trigger needs auth: { bearer: SECRET_NAME } (the client sends that token when it connects) or none)",
    ],
  },
  {
    name: "websocket-hmac",
    yaml: `flow: websocket-hmac\ntriggers:\n  - websocket: book-flight\n    auth: { hmac: { secret: HOOK_SECRET, header: x-sig } }\n${STEP}`,
    expected: [
      "4:13: error: a websocket trigger cannot use hmac: a WebSocket connection has no request body to sign (hint: use auth: { bearer: SECRET_NAME }; the client sends the token when it connects)",
    ],
  },
  {
    name: "websocket-auth-without-key",
    yaml: `flow: websocket-auth-without-key\ntriggers:\n  - websocket: book-flight\n    auth: BOOKING_TOKEN\n${STEP}`,
    expected: [
      "4:11: error: auth cannot be 'BOOKING_TOKEN'; for a websocket trigger it is { bearer: … } or none (hint: write auth: { bearer: BOOKING_TOKEN })",
    ],
  },
  {
    name: "watch-without-auth",
    yaml: `flow: watch-without-auth\nwatch: { token: DASHBOARD_TOKEN }\n${STEP}`,
    expected: [
      "2:8: error: missing required key 'auth' in watch (hint: say who may watch: auth: { bearer: SECRET_NAME } or auth: none)",
      "2:10: error: unknown key 'token' in watch (hint: allowed keys: auth)",
    ],
  },
  {
    name: "watch-hmac",
    yaml: `flow: watch-hmac\nwatch:\n  auth: { hmac: { secret: HOOK_SECRET, header: x-sig } }\n${STEP}`,
    expected: [
      "3:11: error: watch cannot use hmac: a WebSocket connection has no request body to sign (hint: use auth: { bearer: SECRET_NAME }; the client sends the token when it connects)",
    ],
  },
  {
    name: "watch-bad-secret-name",
    yaml: `flow: watch-bad-secret-name\nwatch:\n  auth: { bearer: dashboard-token }\n${STEP}`,
    expected: [
      "3:19: error: 'dashboard-token' is not a valid secret name: use upper-case letters, digits and '_' (like FLIGHT_API_KEY) (hint: did you mean 'DASHBOARD_TOKEN'?)",
    ],
  },
  {
    name: "watch-as-text",
    yaml: `flow: watch-as-text\nwatch: none\n${STEP}`,
    expected: [
      "2:8: error: 'watch' in flow must be a mapping, not the text 'none' (hint: for example watch: { auth: { bearer: DASHBOARD_TOKEN } } or watch: { auth: none })",
    ],
  },
  {
    name: "watch-auth-empty",
    yaml: `flow: watch-auth-empty\nwatch:\n  auth:\n${STEP}`,
    expected: [
      "3:8: error: auth is empty; for watch it is { bearer: … } or none (hint: write auth: { bearer: SECRET_NAME } or auth: none)",
    ],
  },
  {
    name: "watch-misspelt-bearer",
    yaml: `flow: watch-misspelt-bearer\nwatch:\n  auth: { barer: DASHBOARD_TOKEN }\n${STEP}`,
    expected: [
      "3:11: error: unknown key 'barer' in auth; did you mean 'bearer'?",
    ],
  },
  {
    name: "step-without-kind",
    yaml: `flow: step-without-kind\nsteps:\n  - id: nothing\n    timeout: 1 minute\n`,
    expected: [
      "3:5: error: step 'nothing' has no kind; give it one of http, sleep, sleep_until, wait_for_event, set, fail, if + then, switch, for_each, parallel, repeat, call, email, report or run",
    ],
  },
  {
    name: "step-misspelt-kind",
    yaml: `flow: step-misspelt-kind\nsteps:\n  - id: nap\n    slep: 1 hour\n`,
    expected: ["4:5: error: unknown key 'slep' in step 'nap'; did you mean 'sleep'?"],
  },
  {
    name: "step-two-kinds",
    yaml: `flow: step-two-kinds\nsteps:\n  - id: nap\n    sleep: 1 hour\n    fail: stop\n`,
    expected: ["5:5: error: a step has exactly one kind, but step 'nap' has 'sleep' and 'fail' (hint: split it into one step per kind)"],
  },
  {
    name: "steps-without-loop",
    yaml: `flow: steps-without-loop\nsteps:\n  - id: each\n    steps:\n      - id: nap\n        sleep: 1 hour\n`,
    expected: ["4:5: error: 'steps' in step 'each' needs 'for_each' or 'repeat'; a loop is for_each + steps, or repeat + steps"],
  },
  {
    name: "else-without-then",
    yaml: `flow: else-without-then\nsteps:\n  - id: branch\n    if: \${{ true }}\n    else: []\n`,
    expected: ["5:5: error: 'else' in step 'branch' needs 'then'; an if-block is if + then (+ else)"],
  },
  {
    name: "trigger-two-kinds",
    yaml: `flow: trigger-two-kinds\ntriggers:\n  - cron: "0 9 * * *"\n    websocket: go\n${STEP}`,
    expected: ["4:5: error: a trigger has exactly one kind, but this one has 'cron' and 'websocket' (hint: write each as its own trigger)"],
  },
  {
    name: "bad-flow-id",
    yaml: `flow: Flight_Status\n${STEP}`,
    expected: ["1:7: error: 'Flight_Status' is not a valid flow id: use lower-case letters, digits and '-', start with a letter, at most 63 characters (hint: did you mean 'flight-status'?)"],
  },
  {
    name: "bad-step-id",
    yaml: `flow: bad-step-id\nsteps:\n  - id: Look-Up\n    sleep: 1 hour\n`,
    expected: ["3:9: error: 'Look-Up' is not a valid step id: use lower-case letters, digits and '_', starting with a letter (hint: did you mean 'look_up'?)"],
  },
  {
    name: "missing-required-key",
    yaml: `flow: missing-required-key\nsteps:\n  - id: get\n    http: { method: POST }\n`,
    expected: ["4:11: error: missing required key 'url' in 'http' of step 'get' (hint: e.g. url: https://api.example.com/items/${{ input.id }})"],
  },

  // Hints: a typo stands for the key it misses, examples of valid values, the kinds when nothing is close, names respelt.
  {
    name: "typo-explains-missing-key",
    yaml: `flow: typo-explains-missing-key\nsteps:\n  - id: approval\n    wait_for_event: { tpye: approval }\npoll:\n  evry: 5 minutes\n`,
    expected: [
      "4:23: error: unknown key 'tpye' in 'wait_for_event' of step 'approval'; did you mean 'type'?",
      "6:3: error: unknown key 'evry' in poll; did you mean 'every'?",
    ],
  },
  {
    name: "duration-type-hints",
    yaml: `flow: duration-type-hints\nsteps:\n  - id: nap\n    sleep: 90\n    timeout: 5\n    retries: { limit: 3, delay: 10 }\n`,
    expected: [
      "4:12: error: 'sleep' in step 'nap' must be text, not the number 90 (hint: for example sleep: 1 hour)",
      "5:14: error: 'timeout' in step 'nap' must be text, not the number 5 (hint: for example timeout: 30 seconds)",
      "6:33: error: 'retries.delay' in step 'nap' must be text, not the number 10 (hint: for example delay: 5 minutes or delay: 30 seconds)",
    ],
  },
  {
    name: "cron-type-hints",
    yaml: `flow: cron-type-hints\ntriggers:\n  - cron: 5\npoll:\n  every: 5\n${STEP}`,
    expected: [
      "3:11: error: 'cron' in the cron trigger must be text, not the number 5 (hint: for example cron: \"0 9 * * MON-FRI\" or cron: \"*/5 * * * *\")",
      "5:10: error: 'every' in poll must be text, not the number 5 (hint: for example every: \"*/5 * * * *\" or every: 30 seconds)",
    ],
  },
  {
    name: "unknown-keys-list-kinds",
    yaml: `flow: unknown-keys-list-kinds\ntriggers:\n  - on: push\n  - http: POST /x\n    auth: { token: X_TOKEN }\nsteps:\n  - id: odd\n    do: something\npoll:\n  every: 1 minute\n  on_complete:\n    - notify: { a: 1 }\n`,
    expected: [
      "3:5: error: unknown key 'on' in trigger 1 (hint: each trigger has one of http, cron or websocket)",
      "5:13: error: unknown key 'token' in auth (hint: write auth: { bearer: SECRET_NAME }, auth: { hmac: { secret: SECRET_NAME, header: x-signature } } or auth: none)",
      "8:5: error: unknown key 'do' in step 'odd' (hint: a step has an id and one kind: http, sleep, sleep_until, wait_for_event, set, fail, if + then, switch, for_each, parallel, repeat, call, email, report or run)",
      "12:7: error: unknown key 'notify' in an action in poll.on_complete (hint: a poll action is one of set_state, broadcast, http or start)",
    ],
  },
  {
    name: "misspelt-kind-keys",
    yaml: `flow: misspelt-kind-keys\nworkflow: { clas: KindsWorkflow }\ntriggers:\n  - crn: "0 9 * * *"\n  - http: POST /x\n    auth: { barer: X_TOKEN }\n${STEP}poll:\n  every: 1 minute\n  on_complete:\n    - set_stat: { a: 1 }\n`,
    expected: [
      "2:13: error: unknown key 'clas' in workflow; did you mean 'class'?",
      "4:5: error: unknown key 'crn' in trigger 1; did you mean 'cron'?",
      "6:13: error: unknown key 'barer' in auth; did you mean 'bearer'?",
      "13:7: error: unknown key 'set_stat' in an action in poll.on_complete; did you mean 'set_state'?",
    ],
  },
  {
    name: "name-repairs",
    yaml: `flow: name-repairs\nagent: flight agent\nworkflow: { class: flightWorkflow, binding: flight-workflow, name: Flight_Status }\n${STEP}`,
    expected: [
      "2:8: error: 'flight agent' is not a valid class name: use letters and digits, starting with an upper-case letter (hint: did you mean 'FlightAgent'?)",
      "3:20: error: 'flightWorkflow' is not a valid class name: use letters and digits, starting with an upper-case letter (hint: did you mean 'FlightWorkflow'?)",
      "3:45: error: 'flight-workflow' is not a valid binding name: use upper-case letters, digits and '_' (hint: did you mean 'FLIGHT_WORKFLOW'?)",
      "3:68: error: 'Flight_Status' is not a valid workflow name: use lower-case letters, digits and '-' (hint: did you mean 'flight-status'?)",
    ],
  },
  {
    name: "enum-suggestions",
    yaml: `flow: enum-suggestions\ntriggers:\n  - http: POST /hooks\n    auth: { hmac: { secret: HOOK_SECRET, header: x-sig, algorithm: sha-256 } }\nsteps:\n  - id: get\n    http: { url: https://x.example, method: Post }\n    retries: { backoff: linar }\n`,
    expected: [
      "4:68: error: 'auth.hmac.algorithm' in the http trigger must be 'sha256', 'sha1' or 'sha512', not the text 'sha-256' (hint: did you mean 'sha256'?)",
      "7:45: error: 'http.method' in step 'get' must be 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' or 'HEAD', not the text 'Post' (hint: did you mean 'POST'?)",
      "8:25: error: 'retries.backoff' in step 'get' must be 'constant', 'linear' or 'exponential', not the text 'linar' (hint: did you mean 'linear'?)",
    ],
  },
];

describeDiagnostics("schema", CASES);
