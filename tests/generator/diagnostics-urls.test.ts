import { describeDiagnostics, type DiagnosticCase } from "./diagnostics-table.ts";

/**
 * The table of http URLs whose values could leave their place (dsl.md §10.9,
 * generator/check/check-urls.ts): values in the host, values glued to the
 * start expression, and secret headers sent to a host chosen at run time.
 */

const INPUT = `input:\n  id: { type: string }\n  callback: { type: string }\n`;
const ENV = ["API_BASE", "API_HOST"];

const CASES: readonly DiagnosticCase[] = [
  {
    name: "url-value-in-host",
    yaml: `flow: url-value-in-host\n${INPUT}steps:\n  - id: lookup\n    http:\n      url: https://\${{ env.API_HOST }}/books/\${{ input.id }}\n  - id: tenant\n    http: { url: "https://\${{ input.id }}.example.com/x" }\n  - id: port\n    http: { url: "http://localhost:\${{ input.id }}" }\n`,
    envVars: ENV,
    expected: [
      "8:24: error: a value in the host of the URL of step 'lookup' could send the request anywhere (hint: put the whole base URL in an env var and start with it, e.g. url: ${{ env.API_BASE }}/books/${{ input.id }})",
      "10:31: error: a value in the host of the URL of step 'tenant' could send the request anywhere (hint: put the whole base URL in an env var and start with it, e.g. url: ${{ env.API_BASE }}/books/${{ input.id }})",
      "12:40: error: a value in the host of the URL of step 'port' could send the request anywhere (hint: put the whole base URL in an env var and start with it, e.g. url: ${{ env.API_BASE }}/books/${{ input.id }})",
    ],
  },
  {
    name: "url-value-after-start",
    yaml: `flow: url-value-after-start\n${INPUT}steps:\n  - id: lookup\n    http:\n      url: \${{ env.API_BASE }}\${{ input.id }}/status\n  - id: dotted\n    http:\n      url: \${{ env.API_BASE }}.\${{ input.id }}/status\n`,
    envVars: ENV,
    expected: [
      "8:35: error: a value right after the start of the URL of step 'lookup' could change its host (hint: put a '/' between the two, e.g. ${{ env.API_BASE }}/${{ input.id }})",
      "11:36: error: a value right after the start of the URL of step 'dotted' could change its host (hint: put a '/' between the two, e.g. ${{ env.API_BASE }}/${{ input.id }})",
    ],
  },
  {
    name: "url-not-absolute",
    yaml: `flow: url-not-absolute\n${INPUT}steps:\n  - id: lookup\n    http:\n      url: /books/\${{ input.id }}\n  - id: scheme\n    http:\n      url: ftp://files.example.com/\${{ input.id }}\n`,
    envVars: ENV,
    expected: [
      "8:12: error: the URL of step 'lookup' must start with http:// or https://, or with an expression giving the base URL (hint: put the whole base URL in an env var and start with it, e.g. url: ${{ env.API_BASE }}/books/${{ input.id }})",
      "11:12: error: the URL of step 'scheme' must start with http:// or https://, or with an expression giving the base URL (hint: put the whole base URL in an env var and start with it, e.g. url: ${{ env.API_BASE }}/books/${{ input.id }})",
    ],
  },
  {
    name: "url-secrets-to-data-host",
    yaml: `flow: url-secrets-to-data-host\n${INPUT}steps:\n  - id: notify\n    http:\n      method: POST\n      url: \${{ input.callback }}\n      secret_headers: { authorization: API_KEY }\n  - id: lookup\n    http:\n      url: \${{ steps.notify.output.body.next }}/books/\${{ input.id }}\n      secret_headers: { x-api-key: API_KEY }\npoll:\n  every: 1 minute\n  on_complete:\n    - http:\n        url: "\${{ event.output.link }}"\n        secret_headers: { authorization: API_KEY }\n`,
    envVars: ENV,
    expected: [
      "9:16: error: step 'notify' would send its secret headers to a host chosen at run time by input.callback (hint: start the URL with ${{ env.… }} (a var of wrangler.jsonc), or, if every value that can reach it is trusted, set secrets_to_any_host: true)",
      "13:16: error: step 'lookup' would send its secret headers to a host chosen at run time by steps.notify.output.body.next (hint: start the URL with ${{ env.… }} (a var of wrangler.jsonc), or, if every value that can reach it is trusted, set secrets_to_any_host: true)",
      "19:19: error: this poll action would send its secret headers to a host chosen at run time by event.output.link (hint: start the URL with ${{ env.… }} (a var of wrangler.jsonc), or, if every value that can reach it is trusted, set secrets_to_any_host: true)",
    ],
  },
  {
    name: "url-secrets-to-any-host",
    yaml: `flow: url-secrets-to-any-host\n${INPUT}steps:\n  - id: notify\n    http:\n      method: POST\n      url: \${{ input.callback }}\n      secret_headers: { authorization: API_KEY }\n      secrets_to_any_host: true\n  - id: lookup\n    http:\n      url: \${{ env.API_BASE }}/books/\${{ input.id }}\n      secret_headers: { authorization: API_KEY }\n      secrets_to_any_host: true\n  - id: plain\n    http:\n      url: \${{ input.callback }}\n      secrets_to_any_host: false\n`,
    envVars: ENV,
    expected: [
      "11:7: warning: step 'notify' sends its secret headers to whatever host input.callback gives at run time (hint: make sure only trusted values can reach the start of this URL, or start it with ${{ env.… }})",
      "16:7: warning: 'secrets_to_any_host' has no effect on step 'lookup': it has no secret headers or its URL's host is not chosen at run time (hint: remove it)",
    ],
  },
  {
    name: "url-values-in-place",
    yaml: `flow: url-values-in-place\n${INPUT}steps:\n  - id: lookup\n    http:\n      url: \${{ env.API_BASE }}/books/\${{ input.id }}/status?q=\${{ input.callback }}#\${{ input.id }}\n      secret_headers: { authorization: API_KEY }\n  - id: fixed\n    http:\n      url: https://api.example.com/books/\${{ input.id }}?q=\${{ input.id }}\n      secret_headers: { authorization: API_KEY }\n  - id: chosen\n    http: { url: "\${{ input.callback }}/books" }\n`,
    envVars: ENV,
    expected: [],
  },
];

describeDiagnostics("values in http URLs", CASES);
