import { describeDiagnostics, STEP, type DiagnosticCase } from "./diagnostics-table.ts";

/** The table of bad definitions (stage 3, the model: routes, durations, crons, expression syntax); see diagnostics-table.ts. */

const CASES: readonly DiagnosticCase[] = [
  {
    name: "http-short-form",
    yaml: `flow: http-short-form\ntriggers:\n  - http: post /orders\n    auth: none\n  - http: POST orders/{id}\n    auth: none\n  - http: POST\n    auth: none\n${STEP}`,
    expected: [
      "3:11: error: the method must be upper-case: 'POST' (hint: write POST /orders)",
      "5:16: error: the path 'orders/{id}' must start with '/' (hint: write POST /orders/{id})",
      "7:11: error: an http trigger is 'METHOD /path', not 'POST' (hint: for example http: POST /flights or http: POST /flights/{id}/cancel)",
    ],
  },
  {
    name: "bad-durations",
    yaml: `flow: bad-durations\ntriggers:\n  - cron: "0 9 * * *"\n    delay: soon\nsteps:\n  - id: nap\n    sleep: 5m\n  - id: wait\n    wait_for_event: { type: go, timeout: 1 fortnight }\n`,
    expected: [
      "4:12: error: delay 'soon' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\")",
      "7:12: error: sleep '5m' is not a duration (hint: write '5 minutes')",
      "9:42: error: wait_for_event.timeout '1 fortnight' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\")",
    ],
  },
  {
    name: "bad-crons",
    yaml: `flow: bad-crons\ntriggers:\n  - cron: "*/5 * * *"\n  - cron: "0 25 * * *"\n  - cron: "0 9 * * MON-FRY"\npoll:\n  every: "0 9 31-1 * *"\n${STEP}`,
    expected: [
      "3:12: error: a cron has 5 fields (minute hour day-of-month month day-of-week), but '*/5 * * *' has 4 (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "4:14: error: cron '0 25 * * *': hour 25 is out of range 0-23 (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "5:20: error: cron '0 9 * * MON-FRY': 'FRY' is not a valid day of week; use 0-7 or SUN-SAT (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "7:15: error: cron '0 9 31-1 * *': the range '31-1' in the day of month field runs backwards (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
    ],
  },
  {
    name: "numeric-weekdays",
    yaml: `flow: numeric-weekdays\ntriggers:\n  - cron: "0 9 * * 1-5"\n  - cron: "0 9 * * 2,6#1"\n  - cron: "0 9 * * SAT,SUN"\npoll:\n  every: "*/10 8-18 * * 1-5"\n${STEP}`,
    expected: [
      "3:20: warning: the day of week '1-5' is a number: Cloudflare counts 1-7 from Sunday, so it means SUN-THU here (hint: for MON-FRI write MON-FRI; names mean the same everywhere)",
      "4:20: warning: the day of week '2,6#1' is a number: Cloudflare counts 1-7 from Sunday, so it means MON,FRI#1 here (hint: for TUE,SAT#1 write TUE,SAT#1; names mean the same everywhere)",
      "7:25: warning: the day of week '1-5' is a number: Cloudflare counts 1-7 from Sunday, so it means SUN-THU here (hint: for MON-FRI write MON-FRI; names mean the same everywhere)",
    ],
  },
  {
    name: "expression-syntax",
    yaml: `flow: expression-syntax\nsteps:\n  - id: facts\n    set:\n      x: \${{ input. }}\n`,
    expected: ["5:21: error: expected Identifier"],
  },

  // Durations and crons written the way people say them.
  {
    name: "duration-unit-guesses",
    yaml: `flow: duration-unit-guesses\ntriggers:\n  - cron: "0 9 * * *"\n    delay: 5 mins\nsteps:\n  - id: nap\n    sleep: 2 hrs\n  - id: look\n    http: { url: "https://example.com" }\n    retries: { limit: 2, delay: 10 secs }\n`,
    expected: [
      "4:12: error: delay '5 mins' is not a duration (hint: write '5 minutes')",
      "7:12: error: sleep '2 hrs' is not a duration (hint: write '2 hours')",
      "10:33: error: retries.delay '10 secs' is not a duration (hint: write '10 seconds')",
    ],
  },
  {
    name: "cron-words",
    yaml: `flow: cron-words\ntriggers:\n  - cron: every day\n  - cron: "@daily"\n${STEP}`,
    expected: [
      "3:11: error: a cron has 5 fields (minute hour day-of-month month day-of-week), but 'every day' has 2 (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "4:12: error: a cron has 5 fields (minute hour day-of-month month day-of-week), but '@daily' has 1 (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
    ],
  },
];

describeDiagnostics("model", CASES);
