import type { ImportDeclarationStructure, OptionalKind } from "ts-morph";
import { tsMorph } from "../cjs.ts";

const { StructureKind } = tsMorph;

/**
 * Imports a generated file needs, collected while its body is written and
 * printed afterwards in a fixed order, so a file imports exactly what it uses.
 * Module keys are either package names or `runtime/...` / `generated/...`
 * paths that `resolve` turns into relative specifiers.
 */
export class ImportSet {
  private readonly values = new Map<string, Set<string>>();
  private readonly types = new Map<string, Set<string>>();
  private readonly namespaces = new Map<string, string>();

  value(module: string, name: string): this {
    add(this.values, module, name);
    return this;
  }

  type(module: string, name: string): this {
    add(this.types, module, name);
    return this;
  }

  namespace(module: string, alias: string): this {
    this.namespaces.set(module, alias);
    return this;
  }

  /** Adds everything another set holds. */
  add(other: ImportSet): this {
    for (const [module, names] of other.values) for (const name of names) this.value(module, name);
    for (const [module, names] of other.types) for (const name of names) this.type(module, name);
    for (const [module, alias] of other.namespaces) this.namespace(module, alias);
    return this;
  }

  declarations(resolve: (module: string) => string): OptionalKind<ImportDeclarationStructure>[] {
    const modules = [...new Set([...this.values.keys(), ...this.types.keys(), ...this.namespaces.keys()])].sort(byPackagesFirst);
    const out: OptionalKind<ImportDeclarationStructure>[] = [];
    for (const module of modules) {
      const specifier = resolve(module);
      const alias = this.namespaces.get(module);
      if (alias) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier, namespaceImport: alias });
      const values = this.values.get(module);
      if (values) out.push({ moduleSpecifier: specifier, namedImports: [...values].sort() });
      const types = this.types.get(module);
      if (types) out.push({ moduleSpecifier: specifier, isTypeOnly: true, namedImports: [...types].sort() });
    }
    return out;
  }
}

function add(map: Map<string, Set<string>>, module: string, name: string): void {
  let names = map.get(module);
  if (!names) map.set(module, (names = new Set()));
  names.add(name);
}

/** Packages first, then project files; alphabetical within each. */
function byPackagesFirst(a: string, b: string): number {
  const local = (m: string) => (/^(runtime|generated|actions)\//.test(m) ? 1 : 0);
  return local(a) - local(b) || a.localeCompare(b);
}
