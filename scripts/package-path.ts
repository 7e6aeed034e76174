import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { parse } from "jsonc-parser";

/**
 * `npm run test:package` (the last part of `npm test`): the path a team takes,
 * end to end, with what npm would publish. Each step is a real command:
 *
 * 1. `npm pack` this repository (prepack builds dist/) → version A; the same
 *    package with its version bumped → version B (the "newer release");
 * 2. `npx cf-flows init <tmp>/my-flows --package <A.tgz>` from this checkout,
 *    as the README says until cf-flows is published;
 * 3. a team's own edits: a setting in wrangler.jsonc, a second flow that runs
 *    the starter action;
 * 4. in the project, `npm install` (registry and npm cache only) and
 *    `npm test` (generate --check, type-check, its flow tests in workerd,
 *    bundle), then `npm run dev` answers the starter flow's trigger;
 * 5. `npm install <B.tgz>`, `npx cf-flows generate`: the edits, definitions and
 *    migrations are kept, and `npm test` passes again.
 *
 * Everything happens under one temporary folder: this repository's
 * node_modules, definitions and generated/ are never touched.
 */

const repo = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "cf-flows-package-"));
const project = join(work, "my-flows");
/** npm's own run-script variables would leak this repository's package into the project's npm commands. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(package|lifecycle)_|^INIT_CWD$/.test(key)));
const INSTALL = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

function run(cwd: string, command: string, args: readonly string[]): string {
  console.log(`\n$ (${cwd === repo ? "cf-flows" : cwd.replace(work, "<tmp>")}) ${command} ${args.join(" ")}`);
  const out = execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
  if (!args.includes("--json")) process.stdout.write(out);
  return out;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`package path: ${what}`);
  console.log(`ok: ${what}`);
}

const read = (path: string): string => readFileSync(join(project, path), "utf8");

/** The `migrations` of the project's wrangler.jsonc (the generator appends; nothing may rewrite them). */
function migrations(): unknown {
  return (parse(read("wrangler.jsonc")) as { migrations?: unknown }).migrations;
}

/** A port nothing listens on, so `wrangler dev` never meets another run's. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** `npm run dev` serves the starter flow: its trigger, with the token of .dev.vars.example, books a run. */
async function serveStarterFlow(): Promise<void> {
  writeFileSync(join(project, ".dev.vars"), read(".dev.vars.example"));
  const port = await freePort();
  console.log(`\n$ (<tmp>/my-flows) npm run dev -- --port ${port}`);
  const dev = spawn("npm", ["run", "dev", "--", "--port", String(port)], { cwd: project, env: { ...env, WRANGLER_SEND_METRICS: "false" }, stdio: "ignore", detached: true });
  try {
    let status = 0;
    // wrangler dev starts in a few seconds; a loaded machine may take much longer, so this waits on the answer, not a clock.
    for (let attempt = 0; attempt < 240 && status !== 202; attempt++) {
      await new Promise((done) => setTimeout(done, 500));
      status = await fetch(`http://127.0.0.1:${port}/packing-checks`, {
        method: "POST",
        headers: { authorization: "Bearer something-long-and-random", "content-type": "application/json" },
        body: JSON.stringify({ order_id: "A-1", email: "ada@example.com" }),
      }).then((r) => r.status, () => 0);
    }
    check(status === 202, "npm run dev serves the starter flow (POST /packing-checks → 202)");
  } finally {
    if (dev.pid !== undefined) process.kill(-dev.pid, "SIGTERM");
  }
}

try {
  // 1. Two releases.
  const packed = JSON.parse(run(repo, "npm", ["pack", "--json", "--pack-destination", work])) as { filename: string; version: string }[];
  const first = join(work, packed[0]!.filename);
  const newer = join(work, "newer");
  mkdirSync(newer);
  run(newer, "tar", ["xzf", first]);
  const manifest = JSON.parse(readFileSync(join(newer, "package/package.json"), "utf8")) as { version: string };
  const bumped = `${manifest.version.replace(/\d+$/, (n) => String(Number(n) + 1))}`;
  writeFileSync(join(newer, "package/package.json"), JSON.stringify({ ...manifest, version: bumped }, null, 2));
  const second = join(work, (JSON.parse(run(join(newer, "package"), "npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work])) as { filename: string }[])[0]!.filename);

  // 2. A new project.
  run(repo, "npx", ["cf-flows", "init", project, "--package", first]);

  // 3. The team's own edits.
  writeFileSync(join(project, "wrangler.jsonc"), read("wrangler.jsonc").replace('"API_BASE": "https://api.example.com"', '"API_BASE": "https://api.example.com",\n    "SHOP_NAME": "Our shop" // ours'));
  writeFileSync(
    join(project, "definitions/loyalty.yaml"),
    ["flow: loyalty", "input:", "  total: { type: number }", "triggers:", "  - http: POST /loyalty", "    auth: { bearer: SHOP_TOKEN }", "    input:", "      total: ${{ request.body.total }}", "steps:", "  - id: points", "    run: loyaltyPoints", '    with: { total: "${{ input.total }}" }', "output: ${{ steps.points.output }}", ""].join("\n"),
  );
  const migrationsBefore = migrations();

  // 4. Install, test, serve.
  run(project, "npm", ["install", ...INSTALL]);
  run(project, "npx", ["cf-flows", "generate"]);
  check(read("generated/flows/loyalty/workflow.ts").includes("loyaltyPoints"), "the team's own flow runs the starter action");
  run(project, "npm", ["test"]);
  await serveStarterFlow();

  // 5. Upgrade.
  run(project, "npm", ["install", ...INSTALL, second]);
  const installed = JSON.parse(read("node_modules/cf-flows/package.json")) as { version: string };
  check(installed.version === bumped, `cf-flows ${manifest.version} → ${bumped} installed`);
  run(project, "npx", ["cf-flows", "generate"]);
  check(read("wrangler.jsonc").includes('"SHOP_NAME": "Our shop" // ours'), "wrangler.jsonc keeps the team's edit");
  check(JSON.stringify(migrations()) === JSON.stringify(migrationsBefore), "the migrations are unchanged");
  check(read("definitions/loyalty.yaml").includes("run: loyaltyPoints") && read("actions/index.ts").includes("loyaltyPoints"), "definitions and actions are kept");
  run(project, "npm", ["test"]);
  console.log("\npackage path: init, install, test, dev and upgrade all passed");
} finally {
  if (!process.env["KEEP_PACKAGE_TMP"]) rmSync(work, { recursive: true, force: true });
}
