import { tsMorph } from "../cjs.ts";
import type { Flow } from "../model/types.ts";
import { generatedHeader } from "./header.ts";
import { inputSchema, propertyName, schemaType } from "./input-schema.ts";
import { FORMATS_PLACEHOLDER, formatModule, standaloneValidator } from "./input-validator.ts";
import { flowNames } from "./names.ts";
import type { TsFiles } from "./ts-files.ts";
import { cachedValidatorCode } from "./validator-cache.ts";

const { StructureKind, VariableDeclarationKind } = tsMorph;

/**
 * `generated/flows/<flow>/input.ts` (the input type) and `input-validator.js`
 * (ajv's standalone validator: the Workers runtime cannot compile schemas).
 * Returns the extra, non-TypeScript files to write.
 */
export function emitInputModule(files: TsFiles, flow: Flow): Map<string, string> {
  const names = flowNames(flow);
  files.add(`${names.dir}/input.ts`, flow.file, {
    imports: () => [
      { moduleSpecifier: "cf-flows/runtime/input-validation.ts", isTypeOnly: true, namedImports: ["InputValidator"] },
      { moduleSpecifier: "./input-validator.js", defaultImport: "validate" },
    ],
    groups: [
      [
        {
          kind: StructureKind.Interface,
          name: names.inputType,
          isExported: true,
          docs: ["The validated input of an instance (defaults filled in)."],
          properties: flow.input.map((field) => ({
            name: propertyName(field.name),
            type: schemaType(field.schema),
            isReadonly: true,
            hasQuestionToken: !field.required && field.default === undefined,
            docs: typeof field.schema["description"] === "string" ? [field.schema["description"]] : [],
          })),
        },
      ],
      [
        {
          kind: StructureKind.VariableStatement,
          isExported: true,
          declarationKind: VariableDeclarationKind.Const,
          docs: ["Checks a trigger's input and fills in defaults."],
          declarations: [{ name: `validate${names.pascal}Input`, type: "InputValidator", initializer: "validate" }],
        },
      ],
    ],
  });
  return new Map([
    [`${names.dir}/input-validator.js`, validatorSource(flow)],
    [`${names.dir}/input-validator.d.ts`, `${generatedHeader(flow.file)}declare const validate: import("cf-flows/runtime/input-validation.ts").InputValidator;\nexport default validate;\n`],
  ]);
}

function validatorSource(flow: Flow): string {
  return `${generatedHeader(flow.file)}${esmRequires(cachedValidatorCode(inputSchema(flow), standaloneValidator))}`;
}

/**
 * ajv's "esm" output still `require`s its runtime helpers and the formats it
 * checks with a function; rewrite those lines as imports so the module loads
 * in workerd and bundles with esbuild. A format's require names the
 * placeholder module (FORMATS_PLACEHOLDER); it becomes an import of the
 * runtime module that has that format.
 */
function esmRequires(code: string): string {
  // One namespace import per module, however many formats a validator reads from it.
  const aliases = new Map<string, string>();
  const body = code
    .replace(/^"use strict";\n?/, "")
    // The path after require(…) may use brackets: `["date-time"]`.
    .replace(/const (\w+) = require\("([^"]+)"\)((?:\.\w+|\["[\w-]+"\])*);/g, (_all, name: string, module: string, path: string) => {
      // ajv's helpers (`ajv/dist/runtime/equal`) need the extension.
      const specifier = module === FORMATS_PLACEHOLDER ? formatModule(formatName(path)) : module.endsWith(".js") ? module : `${module}.js`;
      let alias = aliases.get(specifier);
      if (alias === undefined) aliases.set(specifier, (alias = `__ajv${aliases.size}`));
      return `const ${name} = ${alias}${path};`;
    });
  if (/\brequire\(/.test(body)) throw new Error("ajv standalone output has a require() this generator cannot rewrite");
  const imports = [...aliases].map(([specifier, alias]) => `import * as ${alias} from ${JSON.stringify(specifier)};\n`);
  return `${imports.join("")}${body}`;
}

/** The format a placeholder require reads: `.date` → date, `["date-time"]` → date-time. */
function formatName(path: string): string {
  return path.startsWith(".") ? path.slice(1) : path.slice(2, -2);
}
