/**
 * The input formats whose exact rules are intricate, taken from ajv-formats
 * (its "full" mode, the one the generator compiles schemas against) rather
 * than written again: `uri` (RFC 3986 with ajv-formats' own conditions),
 * `regex` (what the JavaScript engine compiles, less `\Z`) and `byte`
 * (base64 as ajv-formats reads it). Each export is the function
 * ajv-formats registers, which a generated validator calls directly.
 *
 * ajv-formats' formats module is CommonJS, one object holding every format,
 * so a bundle that imports this module carries all of them (≈ 3.4 KiB
 * gzip). The generator therefore imports it only into the validators that
 * use one of these formats; the dates, times and number formats, which
 * most flows use, are in runtime/input-formats-own.ts.
 */

import * as ajvFormats from "ajv-formats/dist/formats.js";

type StringCheck = (text: string) => boolean;

const { fullFormats } = ajvFormats;

export const uri = fullFormats.uri as StringCheck;
export const regex = fullFormats.regex as StringCheck;
export const byte = fullFormats.byte as StringCheck;
