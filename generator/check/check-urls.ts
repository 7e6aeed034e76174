import type { DiagnosticBag } from "../diagnostics.ts";
import { describe } from "../expressions/print.ts";
import { isDataChosen, urlTemplate } from "../expressions/url-template.ts";
import type { Flow, HttpRequestSpec } from "../model/types.ts";
import { flowSteps } from "../model/walk.ts";

/**
 * The rules of values in http URLs (dsl.md §10.9) that generation can see:
 * no value in the host, none glued to the start expression, a literal start
 * that is http(s), and secret headers only to hosts the deployer chose
 * (unless `secrets_to_any_host: true` says otherwise, which is warned about).
 */
export function checkHttpUrls(flow: Flow, bag: DiagnosticBag): void {
  for (const step of flowSteps(flow)) if (step.kind === "http") checkRequest(step.request, `step '${step.id}'`, bag);
  const actions = flow.poll ? [...flow.poll.onComplete, ...flow.poll.onError] : [];
  for (const action of actions) if (action.kind === "http") checkRequest(action.request, "this poll action", bag);
}

const BASE_HINT = "put the whole base URL in an env var and start with it, e.g. url: ${{ env.API_BASE }}/books/${{ input.id }}";

function checkRequest(request: HttpRequestSpec, what: string, bag: DiagnosticBag): void {
  const template = urlTemplate(request.url);
  let dataChosenStart: string | undefined;
  if (template?.notAbsolute) {
    bag.error(request.url.span, `the URL of ${what} must start with http:// or https://, or with an expression giving the base URL`, BASE_HINT);
  }
  for (const part of template?.parts ?? []) {
    if (typeof part === "string") continue;
    if (part.slot === "host" && !template?.notAbsolute) {
      bag.error(part.expr.span, `a value in the host of the URL of ${what} could send the request anywhere`, BASE_HINT);
    } else if (part.slot === "after-start") {
      bag.error(part.expr.span, `a value right after the start of the URL of ${what} could change its host`, "put a '/' between the two, e.g. ${{ env.API_BASE }}/${{ input.id }}");
    } else if (part.slot === "start" && isDataChosen(part.expr)) {
      dataChosenStart = describe(part.expr);
    }
  }
  if (request.secretsToAnyHost) {
    const pointless = dataChosenStart === undefined || request.secretHeaders.length === 0;
    bag.warning(
      request.secretsToAnyHost,
      pointless
        ? `'secrets_to_any_host' has no effect on ${what}: it has no secret headers or its URL's host is not chosen at run time`
        : `${what} sends its secret headers to whatever host ${dataChosenStart} gives at run time`,
      pointless ? "remove it" : "make sure only trusted values can reach the start of this URL, or start it with ${{ env.… }}",
    );
  } else if (dataChosenStart !== undefined && request.secretHeaders.length > 0) {
    const start = template?.parts.find((p) => typeof p !== "string" && p.slot === "start");
    bag.error(
      typeof start === "object" ? start.expr.span : request.url.span,
      `${what} would send its secret headers to a host chosen at run time by ${dataChosenStart}`,
      "start the URL with ${{ env.… }} (a var of wrangler.jsonc), or, if every value that can reach it is trusted, set secrets_to_any_host: true",
    );
  }
}
