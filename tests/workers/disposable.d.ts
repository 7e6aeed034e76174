// The tests dispose introspectors with `await using`, which needs the global
// AsyncDisposable type; lib es2024 (tsconfig) does not have it yet.
/// <reference lib="esnext.disposable" />
