/**
 * The input formats a generated validator checks with a function: those of
 * ajv-formats' "full" mode (the mode the generator uses) that are not a
 * plain regular expression. ajv inlines the regular-expression formats
 * (email, uuid, hostname…) into the validator itself; for these it writes
 * `import * as f from "…/runtime/input-formats.ts"` and reads `f.date`,
 * `f["date-time"]`… (ajv's `code.formats` option, set in
 * generator/emit/input-validator.ts). One export per format, so a bundle
 * keeps only the formats its flows use.
 *
 * Why a copy of ajv-formats' code rather than an import of it: ajv-formats
 * publishes one CommonJS module whose `fullFormats` object holds all of its
 * formats (its helpers and regular expressions are not exported), so a
 * bundle that imports one format carries all of them (≈ 3.4 KiB gzip). The
 * checks, regular expressions and comparisons below are those of
 * ajv-formats 3.0.1 (src/formats.ts, MIT licence), unchanged but for the
 * closures of `getTime`/`getDateTime`, which became plain functions of a
 * flag. Each export has the shape of the matching `fullFormats` entry.
 * tests/generator/input-formats.test.ts holds this module to the installed
 * ajv-formats, format by format, and fails when ajv-formats changes version.
 */

/** A format checked by a function, with ajv-formats' comparison (used by formatMinimum and the like). */
export interface StringFormat {
  readonly validate: (str: string) => boolean;
  readonly compare: (a: string, b: string) => number | undefined;
}

/** A format of numbers (ajv checks it on numbers only). */
export interface NumberFormat {
  readonly type: "number";
  readonly validate: (value: number) => boolean;
}

// date: http://tools.ietf.org/html/rfc3339#section-5.6
const date: StringFormat = { validate: isDate, compare: compareDate };
// time, date-time: http://tools.ietf.org/html/rfc3339#section-5.6
const time: StringFormat = { validate: isStrictTime, compare: compareTime };
const dateTime: StringFormat = { validate: isStrictDateTime, compare: compareDateTime };
const isoTime: StringFormat = { validate: isTime, compare: compareIsoTime };
const isoDateTime: StringFormat = { validate: isDateTime, compare: compareIsoDateTime };
// signed 32 and 64 bit integers, C-type float and double (OpenAPI)
const int32: NumberFormat = { type: "number", validate: validateInt32 };
const int64: NumberFormat = { type: "number", validate: validateInt64 };
const float: NumberFormat = { type: "number", validate: validateNumber };
const double: NumberFormat = { type: "number", validate: validateNumber };

export {
  date,
  time,
  dateTime as "date-time",
  isoTime as "iso-time",
  isoDateTime as "iso-date-time",
  uri,
  regex,
  // byte: https://github.com/miguelmota/is-base64
  byte,
  int32,
  int64,
  float,
  double,
};

function isLeapYear(year: number): boolean {
  // https://tools.ietf.org/html/rfc3339#appendix-C
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(str: string): boolean {
  // full-date from http://tools.ietf.org/html/rfc3339#section-5.6
  const matches = DATE.exec(str);
  if (!matches) return false;
  const year = +matches[1]!;
  const month = +matches[2]!;
  const day = +matches[3]!;
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]!);
}

function compareDate(d1: string, d2: string): number | undefined {
  if (!(d1 && d2)) return undefined;
  if (d1 > d2) return 1;
  if (d1 < d2) return -1;
  return 0;
}

const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;

/** `time` (the time zone is required). */
function isStrictTime(str: string): boolean {
  return isTime(str, true);
}

/** `iso-time` (the time zone is optional), and `time` with `strictTimeZone`. */
function isTime(str: string, strictTimeZone?: boolean): boolean {
  const matches = TIME.exec(str);
  if (!matches) return false;
  const hr = +matches[1]!;
  const min = +matches[2]!;
  const sec = +matches[3]!;
  const tz = matches[4];
  const tzSign = matches[5] === "-" ? -1 : 1;
  const tzH = +(matches[6] || 0);
  const tzM = +(matches[7] || 0);
  if (tzH > 23 || tzM > 59 || (strictTimeZone && !tz)) return false;
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  // leap second
  const utcMin = min - tzM * tzSign;
  const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}

function compareTime(s1: string, s2: string): number | undefined {
  if (!(s1 && s2)) return undefined;
  const t1 = new Date("2020-01-01T" + s1).valueOf();
  const t2 = new Date("2020-01-01T" + s2).valueOf();
  if (!(t1 && t2)) return undefined;
  return t1 - t2;
}

function compareIsoTime(t1: string, t2: string): number | undefined {
  if (!(t1 && t2)) return undefined;
  const a1 = TIME.exec(t1);
  const a2 = TIME.exec(t2);
  if (!(a1 && a2)) return undefined;
  t1 = a1[1]! + a1[2]! + a1[3]!;
  t2 = a2[1]! + a2[2]! + a2[3]!;
  if (t1 > t2) return 1;
  if (t1 < t2) return -1;
  return 0;
}

const DATE_TIME_SEPARATOR = /t|\s/i;

/** `date-time` (the time zone is required). */
function isStrictDateTime(str: string): boolean {
  return isDateTime(str, true);
}

/** `iso-date-time`, and `date-time` with `strictTimeZone`. */
function isDateTime(str: string, strictTimeZone?: boolean): boolean {
  // http://tools.ietf.org/html/rfc3339#section-5.6
  const dateTime = str.split(DATE_TIME_SEPARATOR);
  return dateTime.length === 2 && isDate(dateTime[0]!) && isTime(dateTime[1]!, strictTimeZone);
}

function compareDateTime(dt1: string, dt2: string): number | undefined {
  if (!(dt1 && dt2)) return undefined;
  const d1 = new Date(dt1).valueOf();
  const d2 = new Date(dt2).valueOf();
  if (!(d1 && d2)) return undefined;
  return d1 - d2;
}

function compareIsoDateTime(dt1: string, dt2: string): number | undefined {
  if (!(dt1 && dt2)) return undefined;
  const [d1, t1] = dt1.split(DATE_TIME_SEPARATOR) as [string, string];
  const [d2, t2] = dt2.split(DATE_TIME_SEPARATOR) as [string, string];
  const res = compareDate(d1, d2);
  if (res === undefined) return undefined;
  return res || compareTime(t1, t2);
}

const NOT_URI_FRAGMENT = /\/|:/;
const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

function uri(str: string): boolean {
  // http://jmrware.com/articles/2009/uri_regexp/URI_regex.html + optional protocol + required "."
  return NOT_URI_FRAGMENT.test(str) && URI.test(str);
}

const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/gm;

function byte(str: string): boolean {
  BYTE.lastIndex = 0;
  return BYTE.test(str);
}

function validateInt32(value: number): boolean {
  // ajv-formats: MIN_INT32 = -(2 ** 31), MAX_INT32 = 2 ** 31 - 1 (here inside the function, so a bundle without int32 drops them).
  return Number.isInteger(value) && value <= 2 ** 31 - 1 && value >= -(2 ** 31);
}

function validateInt64(value: number): boolean {
  // JSON and javascript max Int is 2**53, so any int that passes isInteger is valid for Int64
  return Number.isInteger(value);
}

function validateNumber(): boolean {
  return true;
}

const Z_ANCHOR = /[^\\]\\Z/;
function regex(str: string): boolean {
  if (Z_ANCHOR.test(str)) return false;
  try {
    new RegExp(str);
    return true;
  } catch {
    return false;
  }
}
