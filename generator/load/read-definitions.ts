import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A definition file's project-relative path and its text. */
export interface DefinitionText {
  readonly file: string;
  readonly text: string;
}

export const DEFINITIONS_DIR = "definitions";

/** Flow files are `*.yaml` / `*.yml`; `*.test.yaml` are flow tests (dsl.md §9), not flows. */
export function isFlowFile(name: string): boolean {
  return /\.ya?ml$/.test(name) && !isFlowTestFile(name);
}

/** Flow tests: `<flow>.test.yaml` (or `.test.yml`) next to the flows. */
export function isFlowTestFile(name: string): boolean {
  return /\.test\.ya?ml$/.test(name);
}

/**
 * Reads every flow definition under `<rootDir>/definitions`, sorted by name
 * so diagnostics and output are deterministic. A missing folder is no flows.
 */
export function readDefinitions(rootDir: string): DefinitionText[] {
  return readMatching(rootDir, isFlowFile);
}

/** The flow test files under `<rootDir>/definitions`, sorted by name. */
export function readFlowTests(rootDir: string): DefinitionText[] {
  return readMatching(rootDir, isFlowTestFile);
}

function readMatching(rootDir: string, wanted: (name: string) => boolean): DefinitionText[] {
  const dir = join(rootDir, DEFINITIONS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && wanted(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      file: `${DEFINITIONS_DIR}/${name}`,
      // Normalise Windows line ends so offsets and columns agree with LineIndex.
      text: readFileSync(join(dir, name), "utf8").replaceAll("\r\n", "\n"),
    }));
}
