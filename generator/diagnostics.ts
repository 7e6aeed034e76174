/**
 * Diagnostics are the generator's only way of talking to the flow author.
 * Every stage returns them instead of throwing, so one run can report all
 * problems at once, each pointing at `file:line:col`.
 */

export type Severity = "error" | "warning";

/** A 1-based position in a definition file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A place in a definition file: its path (relative to the project) and 0-based offsets. */
export interface SourceSpan {
  readonly file: string;
  /** 0-based character offset where the span starts. */
  readonly start: number;
  /** 0-based character offset just past the span. */
  readonly end: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** A plain sentence, no trailing hint. */
  readonly message: string;
  /** What to do about it, when we know. */
  readonly hint?: string;
}

/** Turns 0-based offsets into 1-based line/column for one file's text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

/** Collects diagnostics for one run; stages push into it, the CLI prints it. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private readonly indexes = new Map<string, LineIndex>();

  /** Registers a file's text so spans in it can be turned into line/col. */
  addFile(file: string, text: string): void {
    this.indexes.set(file, new LineIndex(text));
  }

  at(severity: Severity, span: SourceSpan, message: string, hint?: string): void {
    const index = this.indexes.get(span.file);
    const pos = index ? index.position(span.start) : { line: 1, col: 1 };
    this.items.push({ severity, file: span.file, line: pos.line, col: pos.col, message, ...(hint ? { hint } : {}) });
  }

  /** Reports again what an earlier run reported (watch mode's cache; their positions are already worked out). */
  replay(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) this.items.push(d);
  }

  error(span: SourceSpan, message: string, hint?: string): void {
    this.at("error", span, message, hint);
  }

  warning(span: SourceSpan, message: string, hint?: string): void {
    this.at("warning", span, message, hint);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  /** Stable order: by file, then line, then column, so output is deterministic. */
  /** By file, a flow's test file right after the flow (its errors often follow from the flow's), then by position. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(
      (a, b) =>
        flowOfFile(a.file).localeCompare(flowOfFile(b.file)) ||
        Number(isTestFile(a.file)) - Number(isTestFile(b.file)) ||
        a.file.localeCompare(b.file) ||
        a.line - b.line ||
        a.col - b.col ||
        a.message.localeCompare(b.message),
    );
  }
}

const TEST_SUFFIX = /\.test(\.ya?ml)$/;
const isTestFile = (file: string): boolean => TEST_SUFFIX.test(file);
/** `definitions/x.test.yaml` → `definitions/x.yaml`; any other file stays itself. */
const flowOfFile = (file: string): string => file.replace(TEST_SUFFIX, "$1");

/** `definitions/x.yaml:3:5: error: message (hint)` — the one format users see. */
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? ` (hint: ${d.hint})` : "";
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}${hint}`;
}
