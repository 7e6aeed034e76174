/**
 * Input formats written for this project, for the generated validators
 * (generated/flows/<flow>/input-validator.js): the dates and times of
 * RFC 3339 and OpenAPI's number formats. They give the verdicts of
 * ajv-formats' "full" mode, the formats the generator compiles schemas
 * against; tests/generator/input-formats.test.ts holds them to it, input by
 * input. The other formats ajv checks with a function (uri, regex, byte)
 * come from ajv-formats itself: runtime/input-formats-ajv.ts.
 *
 * A validator reads `f.date.validate(value)`, `f["date-time"].validate(value)`
 * (ajv-formats registers these formats as objects), so each export is an
 * object with `validate`, and a bundle keeps only the exports its flows
 * read. There is no `compare`: ajv needs it only for the formatMinimum
 * family of keywords, which flow schemas cannot use.
 *
 * The grammar (RFC 3339 §5.6), as ajv-formats reads it:
 * - date: `YYYY-MM-DD`, a day of the Gregorian calendar (§5.7, Appendix C);
 * - time: `hh:mm:ss`, optional decimal fraction of the second, then an
 *   offset: `Z` (or `z`), or a sign and hours, optionally followed by
 *   minutes with or without a colon (`+05`, `+0530`, `+05:30`; hours ≤ 23,
 *   minutes ≤ 59). `time` and `date-time` require the offset, `iso-time`
 *   and `iso-date-time` do not;
 * - date-time: a date, ONE separator (`T`, `t` or any white-space
 *   character), a time;
 * - second 60 (a leap second, §5.7) only when the time is 23:59 in UTC.
 */

interface Format<T> {
  readonly validate: (value: T) => boolean;
}

const DATE_SHAPE = /^\d{4}-\d\d-\d\d$/;

function isDate(text: string): boolean {
  if (!DATE_SHAPE.test(text)) return false;
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  // Let Date.UTC roll invalid days and months over, and see whether they stay.
  // It reads years 0–99 as 1900–1999; the Gregorian calendar repeats every
  // 400 years, so ask about the same day 400 years later.
  const utc = new Date(Date.UTC(year + 400, month - 1, day));
  return utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

const TIME_SHAPE = /^\d\d:\d\d:\d\d(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?$/i;

function isTime(text: string, offsetRequired: boolean): boolean {
  if (!TIME_SHAPE.test(text)) return false;
  const hour = +text.slice(0, 2);
  const minute = +text.slice(3, 5);
  const second = parseFloat(text.slice(6));
  // The offset starts at the first letter z or sign, if there is one.
  const at = text.search(/[z+-]/i);
  if (at < 0 && offsetRequired) return false;
  const sign = text[at] === "-" ? -1 : 1;
  const digits = at < 0 ? "" : text.slice(at + 1).replace(":", "");
  const offsetHours = +digits.slice(0, 2);
  const offsetMinutes = +digits.slice(2); // "" (no minutes, or Z) is 0
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour < 24 && minute < 60 && second < 60) return true;
  // A leap second: second 60 (fraction included), at 23:59 UTC of the
  // local day or of the day before, counted in minutes from local midnight.
  const utcMinute = hour * 60 + minute - sign * (offsetHours * 60 + offsetMinutes);
  // ajv-formats also requires the minute field, moved by the offset's
  // minutes, to read 59 (or −1: 59 of the hour before). Within 00–59 that
  // follows from the above; it decides only for minute fields 60–99, which
  // ajv-formats does not otherwise refuse here (so 24:00:00+00:01 passes,
  // as 23:59 UTC, and 22:99:60-00:20 does not). Kept for equal verdicts.
  const movedMinute = minute - sign * offsetMinutes;
  return second < 61 && (utcMinute === 1439 || utcMinute === -1) && (movedMinute === 59 || movedMinute === -1);
}

function isDateTime(text: string, offsetRequired: boolean): boolean {
  // ajv-formats splits at every separator and wants two parts, and neither a
  // date nor a time holds one: so the separator is the 11th character.
  return /[t\s]/i.test(text.charAt(10)) && isDate(text.slice(0, 10)) && isTime(text.slice(11), offsetRequired);
}

const date: Format<string> = { validate: isDate };
const time: Format<string> = { validate: (text) => isTime(text, true) };
const dateTime: Format<string> = { validate: (text) => isDateTime(text, true) };
const isoTime: Format<string> = { validate: (text) => isTime(text, false) };
const isoDateTime: Format<string> = { validate: (text) => isDateTime(text, false) };

// OpenAPI's number formats. ajv calls them on numbers only; JSON numbers are
// doubles, so any integer is an int64 and any number a float or a double.
// `n | 0` is n as a signed 32-bit integer: equal to n exactly when n is one.
const int32: Format<number> = { validate: (n) => (n | 0) === n };
const int64: Format<number> = { validate: (n) => Number.isInteger(n) };
const float: Format<number> = { validate: () => true };
const double: Format<number> = { validate: () => true };

export { date, time, dateTime as "date-time", isoTime as "iso-time", isoDateTime as "iso-date-time", int32, int64, float, double };
