import { enableCompileCache, type LoadHookSync, registerHooks, stripTypeScriptTypes } from "node:module";
import { cacheEnabled, pruneCache, readCacheEntry, sha256, writeCacheEntry } from "./disk-cache.ts";

/**
 * What makes a start of the generator quick, called first by its entry
 * points (cli.ts, the benchmark's generate-once.ts), before the generator
 * itself is imported:
 *
 * - Node's compile cache (in the system's temp folder) keeps the compiled
 *   code of the generator and of its libraries between runs;
 * - the generator's own modules are served already stripped of their
 *   types. Node strips a TypeScript module each time it loads it (a
 *   WebAssembly transform: about 0.1 s for the generator's hundred modules,
 *   a third of its start), and its compile cache only keeps what comes
 *   after. The stripped text is kept in the generator's disk cache, named
 *   by a hash of the module's text and the Node version, so an entry is
 *   either right or never looked up.
 *
 * Either cache failing only means a slower start; `FLOWS_NO_CACHE=1` turns
 * the stripped-module cache off with the others.
 */
export function fastStart(): void {
  enableCompileCache();
  if (cacheEnabled()) registerHooks({ load: strippedModules(diskStore) });
}

/** Where stripped modules are kept: get the text stored under a key, or store one. */
export interface StrippedStore {
  get(key: string): string | undefined;
  set(key: string, text: string): void;
}

/** A load hook serving TypeScript ES modules as JavaScript from `store`, stripping (and storing) those it does not have. */
export function strippedModules(store: StrippedStore): LoadHookSync {
  return (url, context, nextLoad) => {
    const loaded = nextLoad(url, context);
    if (loaded.format !== "module-typescript" || loaded.source === undefined) return loaded;
    const source = typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
    const key = sha256(`${process.version}\n${source}`);
    let js = store.get(key);
    if (js === undefined) {
      // "strip" blanks the types out in place, so line and column numbers in stack traces stay right.
      js = stripTypeScriptTypes(source, { mode: "strip" });
      store.set(key, js);
    }
    return { format: "module", source: js, shortCircuit: true };
  };
}

const PREFIX = "stripped-";
/** Enough for every module of a few versions of the generator. */
const KEEP = 600;

let pruneAtExit = false;

const diskStore: StrippedStore = {
  get: (key) => readCacheEntry(`${PREFIX}${key}.js`),
  set(key, text) {
    writeCacheEntry(`${PREFIX}${key}.js`, text);
    if (!pruneAtExit) process.once("exit", () => pruneCache(PREFIX, KEEP));
    pruneAtExit = true;
  },
};
