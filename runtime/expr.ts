/**
 * The runtime library of compiled `${{ }}` expressions. Generated code
 * imports it as `import * as $ from ".../runtime/expr.ts"` and calls
 * `$.at`, `$.str`, the operators (`$.add`, `$.lt`, …) and the built-in
 * functions (`$.lower`, `$.addDuration`, …) by name.
 */
export { ExpressionError, at, guard, num, str, typeName, val } from "./expr-values.ts";
export { add, div, eq, ge, gt, le, lt, mod, mul, ne, neg, sub } from "./expr-operators.ts";
export * from "./expr-functions.ts";
