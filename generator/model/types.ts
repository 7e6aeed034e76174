import type { SourceSpan } from "../diagnostics.ts";
import type { ExprNode } from "../expressions/ast.ts";

/**
 * The normalised, fully defaulted model of a flow. Built once from the
 * validated YAML; every later stage (check, emit) reads only this.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A YAML value that may contain `${{ }}` expressions.
 * - `expr`: the string was exactly one expression; it keeps the expression's type.
 * - `template`: expressions inside longer text; the result is a string.
 */
export type Value =
  | { readonly kind: "literal"; readonly value: JsonValue; readonly span: SourceSpan }
  | { readonly kind: "expr"; readonly expr: ExprNode; readonly span: SourceSpan }
  | { readonly kind: "template"; readonly parts: readonly (string | ExprNode)[]; readonly span: SourceSpan }
  | { readonly kind: "object"; readonly entries: readonly ValueEntry[]; readonly span: SourceSpan }
  | { readonly kind: "array"; readonly items: readonly Value[]; readonly span: SourceSpan };

export interface ValueEntry {
  readonly key: string;
  readonly keySpan: SourceSpan;
  readonly value: Value;
}

/** A duration as written (`"5 minutes"`), already validated, and its length. */
export interface Duration {
  /** Normalised text Workflows accepts, e.g. `"5 minutes"`. */
  readonly text: string;
  readonly seconds: number;
  readonly span: SourceSpan;
}

export interface InputField {
  readonly name: string;
  readonly span: SourceSpan;
  /** The JSON Schema of the field as written, minus our own `required` key. */
  readonly schema: { readonly [key: string]: JsonValue };
  readonly required: boolean;
  readonly default?: JsonValue;
}

export type Auth =
  | { readonly kind: "none"; readonly span: SourceSpan }
  | { readonly kind: "bearer"; readonly secret: string; readonly span: SourceSpan }
  | {
      readonly kind: "hmac";
      readonly secret: string;
      /** Lower-cased header name carrying the signature. */
      readonly header: string;
      readonly prefix: string;
      readonly algorithm: "sha256" | "sha1" | "sha512";
      readonly span: SourceSpan;
    };

/**
 * Who may open a WebSocket connection to an Agent: a websocket trigger's or
 * a flow's `watch` auth. hmac signs request bodies; a connection has none.
 */
export type SocketAuth = Extract<Auth, { readonly kind: "none" | "bearer" }>;

/** `watch:`: who may connect to the flow's Agent to receive its state, progress and broadcasts. */
export interface Watch {
  readonly auth: SocketAuth;
  readonly span: SourceSpan;
}

export interface SendEvent {
  readonly type: string;
  readonly instanceId: Value;
  readonly payload?: Value;
  readonly span: SourceSpan;
}

interface TriggerBase {
  /** Position in the flow's `triggers:` list; used to name generated methods. */
  readonly index: number;
  readonly span: SourceSpan;
  /** field → value; absent when the trigger gives no input (then the input is `{}`). */
  readonly input?: Value;
  readonly delay?: Duration;
  readonly at?: Value;
  readonly instanceId?: Value;
  readonly agentName?: Value;
}

export interface HttpTrigger extends TriggerBase {
  readonly kind: "http";
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** As written, e.g. `/flights/{id}/approve`. */
  readonly path: string;
  readonly params: readonly string[];
  readonly auth: Auth;
  /** When set, the trigger signals a running instance instead of starting one. */
  readonly sendEvent?: SendEvent;
}

export interface CronTrigger extends TriggerBase {
  readonly kind: "cron";
  readonly cron: string;
}

export interface WebsocketTrigger extends TriggerBase {
  readonly kind: "websocket";
  readonly messageType: string;
  /** Which connections may send this message type. */
  readonly auth: SocketAuth;
}

export type Trigger = HttpTrigger | CronTrigger | WebsocketTrigger;

export type Backoff = "constant" | "linear" | "exponential";

export interface Retries {
  readonly limit: number;
  readonly delay: Duration;
  readonly backoff: Backoff;
  readonly span: SourceSpan;
}

interface StepBase {
  readonly id: string;
  readonly idSpan: SourceSpan;
  readonly span: SourceSpan;
  /** Guard: the step is skipped (output null) unless this is true. Not used by `if` blocks. */
  readonly if?: Value;
  readonly retries?: Retries;
  readonly timeout?: Duration;
}

export interface HttpRequestSpec {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  readonly url: Value;
  readonly headers: readonly ValueEntry[];
  /** header name (lower-cased) → secret name */
  readonly secretHeaders: readonly { readonly header: string; readonly secret: string; readonly span: SourceSpan }[];
  /**
   * `secrets_to_any_host: true`: the author accepts that the secret headers go
   * wherever a URL chosen by run-time data points. The span is the key's, for
   * the warning it always earns.
   */
  readonly secretsToAnyHost?: SourceSpan;
  readonly body?: Value;
  /** Accepted statuses; absent means any 2xx. */
  readonly expect?: readonly number[];
}

export type Step =
  | (StepBase & { readonly kind: "http"; readonly request: HttpRequestSpec })
  | (StepBase & { readonly kind: "sleep"; readonly duration: Duration })
  | (StepBase & { readonly kind: "sleep_until"; readonly until: Value })
  | (StepBase & { readonly kind: "wait_for_event"; readonly eventType: string; readonly timeout?: Duration })
  | (StepBase & { readonly kind: "set"; readonly values: readonly ValueEntry[] })
  | (StepBase & { readonly kind: "fail"; readonly message: Value })
  | (StepBase & {
      readonly kind: "if";
      readonly condition: Value;
      readonly then: readonly Step[];
      readonly else: readonly Step[];
    })
  /** `switch:` value, `cases:` value → steps (keys are compared as strings), `default:` steps. */
  | (StepBase & {
      readonly kind: "switch";
      readonly on: Value;
      readonly cases: readonly SwitchCase[];
      readonly default: readonly Step[];
    })
  /** `for_each:` list, `steps:` run once per item with `item` and `index` in scope. */
  | (StepBase & { readonly kind: "for_each"; readonly items: Value; readonly steps: readonly Step[] })
  /** `parallel:` branches run concurrently; output is each branch's last output. */
  | (StepBase & { readonly kind: "parallel"; readonly branches: readonly (readonly Step[])[] })
  /** `repeat: { every, max, until }` + `steps:`; `attempt` (1-based) in scope. */
  | (StepBase & {
      readonly kind: "repeat";
      readonly every: Duration;
      readonly max: number;
      readonly until: Value;
      readonly steps: readonly Step[];
    })
  /** `call: { flow, input, wait }`: starts another flow as a child. */
  | (StepBase & {
      readonly kind: "call";
      readonly flow: string;
      readonly flowSpan: SourceSpan;
      readonly input?: Value;
      readonly wait: boolean;
    })
  /** `email:` sent through the Worker's `send_email` binding. */
  | (StepBase & { readonly kind: "email"; readonly email: EmailSpec })
  /** `report: { progress }`: progress to the owning Agent and its clients. */
  | (StepBase & { readonly kind: "report"; readonly progress: Value })
  /** `run:` an exported async function of the actions module, `with:` its argument. */
  | (StepBase & {
      readonly kind: "run";
      readonly action: string;
      readonly actionSpan: SourceSpan;
      readonly with?: Value;
    });

export interface SwitchCase {
  /** The case key as written (YAML keys are text; the switch value is compared as text). */
  readonly value: string;
  readonly span: SourceSpan;
  readonly steps: readonly Step[];
}

export interface EmailSpec {
  readonly to: Value;
  readonly from: Value;
  readonly subject: Value;
  readonly text?: Value;
  readonly html?: Value;
  readonly cc?: Value;
  readonly bcc?: Value;
  readonly replyTo?: Value;
}

export type PollSchedule =
  | { readonly kind: "cron"; readonly cron: string; readonly span: SourceSpan }
  | { readonly kind: "interval"; readonly duration: Duration; readonly span: SourceSpan };

export type AgentAction =
  | { readonly kind: "set_state"; readonly value: Value; readonly span: SourceSpan }
  | { readonly kind: "broadcast"; readonly value: Value; readonly span: SourceSpan }
  | { readonly kind: "http"; readonly request: HttpRequestSpec; readonly span: SourceSpan }
  | { readonly kind: "start"; readonly flow: string; readonly flowSpan: SourceSpan; readonly input?: Value; readonly span: SourceSpan };

export interface Poll {
  readonly every: PollSchedule;
  readonly onComplete: readonly AgentAction[];
  readonly onError: readonly AgentAction[];
  readonly span: SourceSpan;
}

export interface WorkflowSettings {
  readonly className: string;
  readonly binding: string;
  /** The wrangler `workflows[].name`. */
  readonly name: string;
  /** Set when the workflow lives in another Worker (no class is emitted). */
  readonly script?: string;
  readonly stepLimit: number;
}

export interface Flow {
  readonly id: string;
  /** Project-relative path of the definition, e.g. `definitions/flight-status.yaml`. */
  readonly file: string;
  readonly span: SourceSpan;
  readonly description?: string;
  /** Agent class hosting the triggers and polls; default `FlowAgent`. */
  readonly agentClass: string;
  readonly input: readonly InputField[];
  readonly triggers: readonly Trigger[];
  readonly steps: readonly Step[];
  readonly output?: Value;
  readonly onError: readonly Step[];
  readonly poll?: Poll;
  readonly watch?: Watch;
  readonly workflow: WorkflowSettings;
  /**
   * Set when the file failed validation and this is the rest of it
   * (validate/partial-flow.ts): checked for more errors, never emitted.
   */
  readonly partial?: {
    /** Steps left out (and the steps inside them): reading their output is not reported again. */
    readonly hiddenSteps: readonly string[];
  };
}

/** Everything one generator run knows: all flows plus project facts. */
export interface Project {
  readonly flows: readonly Flow[];
  /** Plain `vars` of wrangler.jsonc, visible to expressions as `env.NAME`. */
  readonly envVars: readonly string[];
}
