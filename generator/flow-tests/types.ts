/**
 * Flow tests as data: what the generator makes of `definitions/*.test.yaml`
 * and what the Workers runner (tests/workers/flow-tests.test.ts) executes.
 * The Workers test cannot read files, so each test file is emitted as a
 * module of these values (generated/flow-tests/); this file is copied there
 * as generated/flow-tests/types.ts, so the generator and the runner share
 * one definition. Self-contained: no imports.
 *
 * Every expectation carries the 1-based line of the YAML that states it, so
 * a failure reads `definitions/<file>.test.yaml:<line>: case "<name>": …`.
 */

/** One loop around a step, outermost first. */
export interface LoopLevel {
  readonly kind: "for_each" | "repeat";
  /** The loop step's id. */
  readonly id: string;
  /** The one iteration a key named (`each[2].x`: 2, `until#3.x`: 3); absent: every iteration. */
  readonly only?: number;
  /** How many iterations "every iteration" covers: a repeat's `max`, a fixed bound for for_each. */
  readonly count: number;
}

/** A durable step: its id and the loops it runs in (its Workflows names follow from both). */
export interface StepPath {
  readonly id: string;
  readonly loops: readonly LoopLevel[];
}

export interface MockData {
  /** The key as written (`lookup`, `legs[0].lookup`). */
  readonly key: string;
  readonly line: number;
  readonly step: StepPath;
  /** A `call` with `wait: true`: `output` is the child's output, delivered as the child's result. */
  readonly childResult: boolean;
  readonly output: unknown;
}

export interface FailureData {
  readonly key: string;
  readonly line: number;
  readonly step: StepPath;
  readonly message: string;
}

export interface EventData {
  readonly type: string;
  readonly line: number;
  readonly payload: unknown;
}

/** A `wait_for_event` step of the flow: when a case gives no event of its type, the wait times out at once. */
export interface WaitData {
  readonly type: string;
  readonly step: StepPath;
}

export type StepOutcome = "ran" | "skipped";

export interface StepExpectation {
  readonly key: string;
  readonly line: number;
  readonly expect: StepOutcome;
  /**
   * Workflows step names, any of which having started means "ran". Loop
   * positions are written `[]` / `#` (any iteration: `legs[].lookup`) unless
   * the key named one (`legs[1].lookup`).
   */
  readonly names: readonly string[];
}

export interface Located<T> {
  readonly value: T;
  readonly line: number;
}

export interface OutputExpectation {
  readonly value: unknown;
  /** JSON pointer into `value` ("" is the whole output) → the line that states it. */
  readonly lines: Readonly<Record<string, number>>;
}

export interface CaseExpectations {
  /** `complete` unless the case says otherwise (then `line` is the case's). */
  readonly status: Located<"complete" | "errored">;
  readonly error?: Located<string>;
  readonly output?: OutputExpectation;
  readonly steps: readonly StepExpectation[];
}

export interface FlowTestCase {
  readonly name: string;
  /** The line of the case's `name:`. */
  readonly line: number;
  /** Validated against the flow's input schema, defaults filled in. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly mocks: readonly MockData[];
  readonly failures: readonly FailureData[];
  readonly events: readonly EventData[];
  readonly expect: CaseExpectations;
}

export interface FlowTestFile {
  /** Project-relative path of the test file. */
  readonly file: string;
  readonly flow: string;
  /** The flow's Workflows binding. */
  readonly workflow: string;
  /** The Agent class (and Durable Object binding) that starts it. */
  readonly agent: string;
  /** The agent's RPC method that starts an instance (`startFlightStatus`). */
  readonly start: string;
  /** Workflows bindings of the flows it calls (at any depth): their sleeps are skipped too. */
  readonly children: readonly string[];
  readonly waits: readonly WaitData[];
  readonly cases: readonly FlowTestCase[];
}
