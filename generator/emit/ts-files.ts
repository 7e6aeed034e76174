import type { ImportDeclarationStructure, OptionalKind, PrintStructureOptions, StatementStructures, WriterFunction } from "ts-morph";
import { tsMorph } from "../cjs.ts";
import { generatedHeader } from "./header.ts";

const { CodeBlockWriter, printStructure } = tsMorph;

/**
 * The generated TypeScript files of one run, described with ts-morph
 * structures and printed once, at the end, with ts-morph's `printStructure`
 * (no Project, no parsing, no manipulation: ts-morph's own advice for
 * speed). Writer functions in the structures run during the print, so an
 * ImportSet they fill is complete once the body is printed; the imports are
 * printed last and put first.
 *
 * Layout (that of the ts-morph manipulations this replaced, byte for byte):
 * the imports, a blank line, then the body's groups separated by a blank
 * line; the statements of one group follow each other line by line, or
 * with the group's own separator.
 */

/** A statement: a structure, a writer for code structures cannot express, its text, or text made when the file is printed. */
export type TsStatement = StatementStructures | WriterFunction | string | { readonly lazy: () => string };

export type TsGroup = readonly TsStatement[] | { readonly statements: readonly TsStatement[]; readonly separator: string };

export interface TsFileParts {
  readonly groups: readonly TsGroup[];
  /** Called after the body is printed. */
  readonly imports?: () => readonly OptionalKind<ImportDeclarationStructure>[];
}

export const PRINT: PrintStructureOptions = { indentNumberOfSpaces: 2, newLine: "\n", useSingleQuote: false };

export class TsFiles {
  private readonly files = new Map<string, { source: string; parts: TsFileParts }>();

  /** Adds `path` (relative to generated/); `source` names the definition(s) it comes from, for the header. */
  add(path: string, source: string, parts: TsFileParts): void {
    this.files.set(path, { source, parts });
  }

  /** Every file's text, keyed by its path relative to generated/, in a stable order. */
  print(): Map<string, string> {
    const out = new Map<string, string>();
    for (const path of [...this.files.keys()].sort((a, b) => a.localeCompare(b))) {
      const { source, parts } = this.files.get(path)!;
      const body = parts.groups.map(printGroup).join("\n\n").trimStart();
      const imports = (parts.imports?.() ?? []).map(importText).join("\n");
      const text = imports && body ? `${imports}\n\n${body}` : imports || body;
      out.set(path, `${generatedHeader(source)}${text.trim()}\n`);
    }
    return out;
  }
}

/**
 * An import declaration as ts-morph prints it, for the shapes ImportSet and
 * the emitters make (named, type-only, namespace, default). Imports are
 * most of the statements, and printStructure's fixed cost per call (a
 * printer factory, a writer per part) made them most of the print time.
 */
export function importText(i: OptionalKind<ImportDeclarationStructure>): string {
  const named = i.namedImports ?? [];
  if (i.attributes !== undefined || typeof named === "function" || named.some((n) => typeof n !== "string")) throw new Error("internal: unsupported import structure");
  const clauses: string[] = [];
  if (i.defaultImport) clauses.push(i.defaultImport);
  if (i.namespaceImport) clauses.push(`* as ${i.namespaceImport}`);
  if (named.length > 0) clauses.push(`{ ${named.join(", ")} }`);
  const from = clauses.length > 0 ? `${clauses.join(", ")} from ` : "";
  return `import ${i.isTypeOnly ? "type " : ""}${from}${JSON.stringify(i.moduleSpecifier)};`;
}

function printGroup(group: TsGroup): string {
  return "separator" in group ? group.statements.map(printStatement).join(group.separator) : group.map(printStatement).join("\n");
}

function printStatement(statement: TsStatement): string {
  if (typeof statement === "string") return statement;
  if ("lazy" in statement) return statement.lazy();
  if (typeof statement !== "function") return printStructure(statement, PRINT);
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2, newLine: "\n", useSingleQuote: false });
  statement(writer);
  return writer.toString();
}

/**
 * The import specifier, from a file under generated/, of a module key of
 * ImportSet: `runtime/x.ts` is the cf-flows package's runtime (imported from the
 * package, so `npm i cf-flows@newer` upgrades it; never a copy in the project),
 * `actions/x.ts` a project file, `generated/x.ts` another generated file,
 * anything else a package.
 */
export function resolveModule(fromGeneratedFile: string, module: string): string {
  if (module.startsWith("generated/")) return siblingImport(fromGeneratedFile, module.slice("generated/".length));
  if (module.startsWith("runtime/")) return `${RUNTIME_PACKAGE}/${module}`;
  if (module.startsWith("actions/")) {
    const depth = fromGeneratedFile.split("/").length; // one ".." per folder below generated/, plus generated/ itself
    return `${"../".repeat(depth)}${module}`;
  }
  return module;
}

/** The package generated code imports its runtime from (`cf-flows/runtime/x.ts`). */
export const RUNTIME_PACKAGE = "cf-flows";

/** Import path between two files that are both under generated/. */
export function siblingImport(fromGeneratedFile: string, toGeneratedFile: string): string {
  const from = fromGeneratedFile.split("/").slice(0, -1);
  const to = toGeneratedFile.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}
