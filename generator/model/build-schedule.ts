import type { Node } from "yaml";
import type { PollSchedule } from "./types.ts";
import { fixedText, type ModelContext, span, str, toDuration } from "./build-values.ts";
import { contentOffset } from "../load/yaml-nodes.ts";

/**
 * Cron expressions of cron triggers and polls: five fields (minute hour
 * day-of-month month day-of-week), each `*`, numbers, names (JAN–DEC,
 * SUN–SAT), ranges `a-b`, steps `/n` and lists `a,b`; plus the Quartz
 * extensions Cloudflare accepts (`L`, `W`, `#`) in the day fields. Catching
 * a bad cron here beats a failed `wrangler deploy`.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  // 0 and 7 are both Sunday in classic cron; Cloudflare counts 1–7 from Sunday.
  // Both read the same for names, which we recommend in the hint.
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

export const CRON_EXAMPLE = '"*/5 * * * *" (every 5 minutes) or "0 9 * * MON-FRI" (09:00 UTC on weekdays)';

/** A problem with the cron text and where in it, or undefined when it is valid. */
export function cronProblem(text: string): { message: string; offset: number } | undefined {
  const parts = [...text.matchAll(/\S+/g)];
  if (parts.length !== 5) {
    return { message: `a cron has 5 fields (minute hour day-of-month month day-of-week), but '${text}' has ${parts.length}`, offset: 0 };
  }
  for (let i = 0; i < 5; i++) {
    const part = parts[i]!;
    const problem = fieldProblem(part[0], FIELDS[i]!, i);
    if (problem) return { message: `cron '${text}': ${problem}`, offset: part.index };
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField, position: number): string | undefined {
  for (const item of text.split(",")) {
    if (item === "") return `the ${field.name} field has an empty list item`;
    if (position === 2 && /^(L|LW|\d{1,2}W|L-\d{1,2})$/i.test(item)) continue;
    if (position === 4 && /^(\d|[A-Z]{3})(L|#[1-5])$/i.test(item)) {
      const problem = valueProblem(item.replace(/(L|#[1-5])$/i, ""), field);
      if (problem) return problem;
      continue;
    }
    const [range, step, extra] = item.split("/");
    if (extra !== undefined) return `'${item}' in the ${field.name} field has two '/'`;
    if (step !== undefined && !/^\d+$/.test(step)) return `the step '/${step}' in the ${field.name} field must be a number`;
    if (step !== undefined && Number(step) === 0) return `the step '/0' in the ${field.name} field must be at least 1`;
    if (range === "*" || range === "?") continue;
    const bounds = range!.split("-");
    if (bounds.length > 2) return `'${range}' in the ${field.name} field is not a range; write a-b`;
    for (const bound of bounds) {
      const problem = valueProblem(bound, field);
      if (problem) return problem;
    }
    if (bounds.length === 2 && toNumber(bounds[0]!, field)! > toNumber(bounds[1]!, field)!) {
      return `the range '${range}' in the ${field.name} field runs backwards`;
    }
  }
  return undefined;
}

function toNumber(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field.names === MONTHS ? index + 1 : index;
}

function valueProblem(text: string, field: CronField): string | undefined {
  const n = toNumber(text, field);
  if (n === undefined) {
    const names = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : "";
    return `'${text}' is not a valid ${field.name}; use ${field.min}-${field.max}${names}`;
  }
  if (n < field.min || n > field.max) return `${field.name} ${n} is out of range ${field.min}-${field.max}`;
  return undefined;
}

/** Reports a bad cron at the field that is wrong; returns the normalised cron or undefined. */
export function toCron(ctx: ModelContext, node: Node | undefined): string | undefined {
  const text = fixedText(ctx, node, "a cron");
  if (text === undefined) return undefined;
  const problem = cronProblem(text);
  const base = node ? contentOffset(ctx.src, node) : 0;
  if (!problem) {
    warnNumericWeekdays(ctx, text, base);
    return text.trim().split(/\s+/).join(" ");
  }
  const start = base + problem.offset;
  ctx.bag.error({ file: ctx.src.file, start, end: start }, problem.message, `for example ${CRON_EXAMPLE}`);
  return undefined;
}

/**
 * Cloudflare numbers the days of the week 1-7 from Sunday, where most cron
 * tables count 0-6 (or 1-7 from Monday): `1-5` runs Sunday to Thursday, not
 * on weekdays. The cron is valid, so this is a warning that spells out both
 * readings; names (MON-FRI) mean the same everywhere.
 */
function warnNumericWeekdays(ctx: ModelContext, text: string, base: number): void {
  const field = [...text.matchAll(/\S+/g)][4];
  if (!field || !/\d/.test(field[0].replace(/\/\d+/g, ""))) return;
  // Numbers after '/' are steps and after '#' the nth weekday, not days.
  const rename = (names: (n: number) => string): string => field[0].replace(/(^|[,-])(\d+)/g, (_m, lead: string, n: string) => lead + names(Number(n)));
  const cloudflare = rename((n) => (n >= 1 && n <= 7 ? DAYS[n - 1]! : String(n)));
  const usual = rename((n) => DAYS[n % 7]!);
  const start = base + field.index;
  ctx.bag.warning(
    { file: ctx.src.file, start, end: start },
    `the day of week '${field[0]}' is a number: Cloudflare counts 1-7 from Sunday, so it means ${cloudflare} here`,
    `for ${usual} write ${usual}; names mean the same everywhere`,
  );
}

/** Text that is meant as a cron (rather than a duration such as "30 seconds"). */
export function looksLikeCron(text: string): boolean {
  return /[*/,?]/.test(text) || text.trim().split(/\s+/).length >= 3;
}

/** `poll.every`: a cron if it looks like one, else a duration. */
export function toPollSchedule(ctx: ModelContext, node: Node | undefined): PollSchedule | undefined {
  const text = str(node) ?? "";
  if (looksLikeCron(text)) {
    const cron = toCron(ctx, node);
    return cron === undefined ? undefined : { kind: "cron", cron, span: span(ctx, node) };
  }
  const duration = toDuration(ctx, node, "poll.every");
  return duration && { kind: "interval", duration, span: span(ctx, node) };
}
