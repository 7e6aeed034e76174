import { IndentationText, NewLineKind, Project, QuoteKind, type SourceFile } from "ts-morph";
import { generatedHeader } from "./header.ts";

/**
 * One in-memory ts-morph project per generator run: no disk access while
 * emitting, and every file is printed once at the end (ts-morph's advice for speed).
 */
export class TsFiles {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      newLineKind: NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
  });

  private readonly sources = new Map<string, string>();

  /** Creates `path` (relative to generated/); `source` names the definition(s) it comes from, for the header. */
  create(path: string, source: string): SourceFile {
    this.sources.set(path, source);
    return this.project.createSourceFile(`/generated/${path}`, "", { overwrite: true });
  }

  /** Every file's text, keyed by its path relative to generated/, in a stable order. */
  print(): Map<string, string> {
    const out = new Map<string, string>();
    const files = this.project.getSourceFiles().sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()));
    for (const file of files) {
      const path = file.getFilePath().replace(/^\/generated\//, "");
      const text = `${generatedHeader(this.sources.get(path) ?? "")}${file.getFullText().trim()}\n`;
      out.set(path, text);
    }
    return out;
  }
}

/**
 * The import specifier, from a file under generated/, of a module key of
 * ImportSet: `runtime/x.ts` and `actions/x.ts` are project files, `generated/x.ts`
 * another generated file, anything else a package.
 */
export function resolveModule(fromGeneratedFile: string, module: string): string {
  if (module.startsWith("generated/")) return siblingImport(fromGeneratedFile, module.slice("generated/".length));
  if (module.startsWith("runtime/") || module.startsWith("actions/")) {
    const depth = fromGeneratedFile.split("/").length; // one ".." per folder below generated/, plus generated/ itself
    return `${"../".repeat(depth)}${module}`;
  }
  return module;
}

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
