import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Node, SourceFile, ts as TsTypes } from "ts-morph";
import { tsMorph } from "../cjs.ts";
import { describeType, type TypeDesc } from "./type-desc.ts";

const { Project, ts } = tsMorph;

/**
 * The project's actions module (`actions/index.ts`): the exported functions
 * a `run:` step may call, read with the TypeScript checker so a step's
 * `with:` can be checked against the function's parameter type when the
 * code is generated rather than when the workflow runs.
 */

/** Project-relative path of the actions module; the emitted workflows import it. */
export const ACTIONS_MODULE = "actions/index.ts";

export interface ActionsSource {
  /** Project-relative path, normally ACTIONS_MODULE. */
  readonly file: string;
  readonly text: string;
  /** The project folder, so the module's own imports resolve; absent for a module held in memory (tests). */
  readonly rootDir?: string;
}

export type ExportKind =
  /** A function returning a Promise: what run steps call. */
  | "action"
  /** A function that returns something else. */
  | "sync"
  /** An exported value that is not a function. */
  | "value";

export interface ActionExport {
  readonly name: string;
  readonly kind: ExportKind;
  /** The type of the first parameter (`with:`); absent when the function takes none. */
  readonly argument?: TypeDesc;
  /** Whether the first parameter may be left out (`args?: …` or a default). */
  readonly argumentOptional: boolean;
  /** What the Promise resolves to: the step's output. `any` when not an action. */
  readonly output: TypeDesc;
  /** The return type as TypeScript writes it, for messages. */
  readonly returnText: string;
}

export interface ActionsModule {
  readonly file: string;
  /** Exported names (not `default`) in source order. */
  readonly exports: ReadonlyMap<string, ActionExport>;
}

/** Reads `actions/index.ts` of a project folder; undefined when it does not exist. */
export function readActionsSource(rootDir: string): ActionsSource | undefined {
  const path = join(rootDir, ACTIONS_MODULE);
  return existsSync(path) ? { file: ACTIONS_MODULE, text: readFileSync(path, "utf8"), rootDir } : undefined;
}

const COMPILER_OPTIONS: TsTypes.CompilerOptions = {
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  // Only the language's own types; Worker globals are not needed to read parameter types.
  lib: ["lib.es2024.d.ts"],
  types: [],
};

/**
 * Type-checks only the module (and what it imports) against the bundled
 * standard library: no tsconfig, no node_modules scan, so it stays fast.
 */
export function analyzeActions(source: ActionsSource): ActionsModule {
  return analyzeActionsReading(source).module;
}

/** analyzeActions, and what it read: see ActionsReading. */
export interface ActionsReading {
  readonly module: ActionsModule;
  /** The text of every file the analysis read besides the standard library (the module itself and what it imports), by absolute path. */
  readonly files: Map<string, string>;
  /**
   * Every import of the module and of the project files it imports
   * resolved. When one did not, a file that does not exist yet (or is
   * elsewhere) could change the result: such an analysis is not reused.
   */
  readonly complete: boolean;
}

/** analyzeActions, telling what it read, so watch mode and the cache (actions-cache.ts) analyse again only when that changed. */
export function analyzeActionsReading(source: ActionsSource): ActionsReading {
  const project = new Project({
    compilerOptions: COMPILER_OPTIONS,
    skipAddingFilesFromTsConfig: true,
    useInMemoryFileSystem: source.rootDir === undefined,
  });
  const path = source.rootDir === undefined ? `/${source.file}` : join(source.rootDir, source.file);
  const file = project.createSourceFile(path, source.text, { overwrite: true });
  const found: { name: string; declaration: Node; order: number }[] = [];
  for (const [name, declarations] of file.getExportedDeclarations()) {
    const declaration = declarations[0];
    if (name === "default" || !declaration) continue;
    // Source order for the module's own declarations, then re-exports; hints list them so.
    const order = declaration.getSourceFile() === file ? declaration.getStart() : Number.MAX_SAFE_INTEGER;
    found.push({ name, declaration, order });
  }
  found.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  const module = { file: source.file, exports: new Map(found.map((f) => [f.name, describeExport(f.name, f.declaration)])) };
  const complete = importsResolve(file);
  const program = project.getProgram().compilerObject;
  const files = new Map(program.getSourceFiles().filter((sf) => !program.isSourceFileDefaultLibrary(sf)).map((sf) => [sf.fileName, sf.text]));
  return { module, files, complete };
}

/** Whether every import and re-export of `start`, and of the project files it reaches (not packages), resolves to a file. */
function importsResolve(start: SourceFile): boolean {
  const seen = new Set<SourceFile>();
  const todo = [start];
  for (let file = todo.pop(); file; file = todo.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const declaration of [...file.getImportDeclarations(), ...file.getExportDeclarations()]) {
      if (declaration.getModuleSpecifierValue() === undefined) continue;
      const target = declaration.getModuleSpecifierSourceFile();
      if (!target) return false;
      if (!target.isInNodeModules()) todo.push(target);
    }
  }
  return true;
}

function describeExport(name: string, declaration: Node): ActionExport {
  const signature = declaration.getType().getCallSignatures()[0];
  if (!signature) return { name, kind: "value", argumentOptional: true, output: { kind: "any" }, returnText: "" };
  const returnType = signature.getReturnType();
  const isPromise = returnType.getSymbol()?.getName() === "Promise";
  const resolved = isPromise ? returnType.getTypeArguments()[0] : undefined;
  const parameter = signature.getParameters()[0];
  const parameterDeclaration = parameter?.getValueDeclaration();
  const optional =
    parameter === undefined ||
    (parameterDeclaration !== undefined && ts.isParameter(parameterDeclaration.compilerNode) && (parameterDeclaration.compilerNode.questionToken !== undefined || parameterDeclaration.compilerNode.initializer !== undefined));
  const parameterType = parameter?.getTypeAtLocation(declaration);
  // `args?: T` reads as `T | undefined`; a step either gives `with:` (a T) or nothing.
  const argument = parameterType ? describeType(optional ? parameterType.getNonNullableType() : parameterType, declaration) : undefined;
  return {
    name,
    kind: isPromise ? "action" : "sync",
    ...(argument ? { argument } : {}),
    argumentOptional: optional,
    output: resolved ? describeType(resolved, declaration) : { kind: "any" },
    returnText: returnType.getText(declaration),
  };
}
