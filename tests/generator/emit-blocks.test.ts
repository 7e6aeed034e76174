import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadProject } from "../../generator/frontend.ts";

/** What the emitters make of blocks, calls and other Workers' workflows, read from the generated text. */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function emitted(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "flows-emit-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { project, bag } = loadProject(dir);
  expect(bag.items.map(formatDiagnostic)).toEqual([]);
  return emitProject(project);
}

const PARENT = `flow: parent
input:
  legs: { type: array }
steps:
  - id: legs
    for_each: \${{ input.legs }}
    steps:
      - id: stops
        for_each: \${{ item.stops }}
        steps:
          - id: poll
            repeat: { every: 1 minute, max: 3, until: "\${{ steps.look.output.done }}" }
            steps:
              - id: look
                set: { done: "\${{ attempt == 2 }}", at: "\${{ index }}" }
  - id: stamp
    for_each: \${{ [now(), now()] }}
    steps:
      - id: note
        set: { at: "\${{ item }}" }
  - id: kick
    call: { flow: child, input: { n: 1 }, wait: false }
workflow: { limits: { steps: 500 } }
`;
const CHILD = "flow: child\ninput:\n  n: { type: number }\nsteps:\n  - id: one\n    set: { n: \"${{ input.n }}\" }\n";

describe("loops, calls and limits", () => {
  const out = emitted({ "definitions/parent.yaml": PARENT, "definitions/child.yaml": CHILD });
  const parent = out.files.get("flows/parent/workflow.ts") ?? "";

  it("prefixes the names of steps in loops per iteration, composing nested loops", () => {
    expect(parent).toContain("const legsAt = stepPrefix(`legs[${index}].`);");
    expect(parent).toContain("const stopsAt = stepPrefix(`${legsAt}stops[${index}].`);");
    expect(parent).toContain("const pollAt = stepPrefix(`${stopsAt}poll#${attempt}.`);");
    expect(parent).toContain("step.do(`${pollAt}look`,");
    expect(parent).toContain("await step.sleep(`${stopsAt}poll#${attempt}:every`, \"1 minute\");");
    // A guard of unknown type is checked to be true or false when it runs, naming the step (with its loop prefix).
    expect(parent).toContain("if (attempt >= 3 || $.guard($.at(steps[\"look\"], \"done\"), `step '${stopsAt}poll': 'repeat.until'`)) break;");
  });

  it("gives each iteration its own steps scope and checks the step budget before a for_each", () => {
    expect(parent).toContain("const steps = childScope(legsScope);");
    expect(parent).toContain('checkStepBudget("legs", step, legsItems.length, 1, 500);');
    expect(parent).toContain("const step = countSteps(localTime(workflowStep, this.env));");
  });

  it("computes a list that calls now() once, in a step of its own", () => {
    expect(parent).toContain('const stampItems = forEachItems("stamp", (await step.do("stamp:value", async () => toJson([$.now(), $.now()]))));');
  });

  it("outputs { instance_id } for a call with wait: false, and a child nobody waits for does not report back", () => {
    expect(parent).toContain("parentId: event.instanceId });");
    expect(parent).not.toContain("parentBinding");
    expect(parent).toContain('steps["kick"] = kickCall;');
    expect(parent).not.toContain("waitForChild");
    expect(out.files.get("flows/child/workflow.ts")).not.toContain("notifyParent");
  });

  it("passes workflow.limits.steps to wrangler", () => {
    expect(out.wrangler.workflows.find((w) => w.name === "parent")).toMatchObject({ limits: { steps: 500 } });
    expect(out.wrangler.workflows.find((w) => w.name === "child")).not.toHaveProperty("limits");
  });
});

describe("on_error", () => {
  const ON_ERROR = "on_error:\n  - id: tell\n    set: { told: true }\n  - id: after\n    set: { too: true }\n";
  const out = emitted({
    "definitions/boss.yaml": "flow: boss\nsteps:\n  - id: ask\n    call: { flow: worker, wait: true }\n" + ON_ERROR,
    "definitions/worker.yaml": "flow: worker\nsteps:\n  - id: one\n    fail: no\n" + ON_ERROR,
  });

  // dsl.md: on_error steps run when the workflow fails, "then it still fails" — with its cause.
  it("runs the on_error steps in a try whose failure is logged, then rethrows the flow's own error", () => {
    const boss = out.files.get("flows/boss/workflow.ts") ?? "";
    expect(boss).toContain('import { onErrorStepFailed } from "cf-flows/runtime/on-error.ts";');
    const handler = boss.slice(boss.indexOf("} catch (error) {"));
    expect(handler).toMatch(/^\} catch \(error\) \{\n\s+try \{\n\s+\/\/ tell\n[^]*\/\/ after\n[^]*\} catch \(onErrorFailure\) \{\n\s+onErrorStepFailed\("boss", onErrorFailure, error\);\n\s+\}\n\s+throw error;\n/);
  });

  it("in a flow a caller waits for, tells the caller the flow's own error even when an on_error step fails", () => {
    const worker = out.files.get("flows/worker/workflow.ts") ?? "";
    const handler = worker.slice(worker.indexOf("} catch (error) {"));
    expect(handler).toMatch(
      /^\} catch \(error\) \{\n\s+try \{\n[^]*\} catch \(onErrorFailure\) \{\n\s+onErrorStepFailed\("worker", onErrorFailure, error\);\n\s+\}\n\s+await notifyParent\(step, env, event\.payload\.parent, \{ ok: false, error: failureText\(error\) \}\);\n\s+throw error;\n/,
    );
  });

  it("leaves a flow without on_error as it was: no try, no log", () => {
    const child = emitted({ "definitions/solo.yaml": "flow: solo\nsteps:\n  - id: one\n    set: { a: 1 }\n" }).files.get("flows/solo/workflow.ts") ?? "";
    expect(child).not.toContain("catch");
    expect(child).not.toContain("onErrorStepFailed");
  });
});

describe("the example project", () => {
  const root = join(import.meta.dirname, "..", "..");
  const { project } = loadProject(root);
  const out = emitProject(project);

  it("binds a workflow of another Worker with script_name and emits no class for it", () => {
    expect(out.wrangler.workflows.find((w) => w.name === "crm-sync")).toEqual({
      name: "crm-sync",
      binding: "CRM_SYNC_WORKFLOW",
      class_name: "CrmSyncWorkflow",
      script_name: "crm-worker",
    });
    expect(out.files.has("flows/crm-sync/workflow.ts")).toBe(false);
    expect(out.files.get("worker.ts")).not.toContain("CrmSyncWorkflow");
    // Its trigger and poll are still here, against the binding.
    expect(out.files.get("agents/flow-agent.ts")).toContain('const CRM_SYNC = { flow: "crm-sync", binding: "CRM_SYNC_WORKFLOW" } as const;');
    const wrangler = parse(readFileSync(join(root, "wrangler.jsonc"), "utf8")) as { workflows: unknown[]; send_email: unknown[] };
    expect(wrangler.workflows).toContainEqual({ name: "crm-sync", binding: "CRM_SYNC_WORKFLOW", class_name: "CrmSyncWorkflow", script_name: "crm-worker" });
  });

  it("adds the send_email binding EMAIL because flows send e-mail", () => {
    expect(out.wrangler.extra?.bindings).toEqual({ send_email: [{ name: "EMAIL" }] });
    const wrangler = parse(readFileSync(join(root, "wrangler.jsonc"), "utf8")) as { send_email: unknown[] };
    expect(wrangler.send_email).toEqual([{ name: "EMAIL" }]);
  });

  it("makes a flow that a call waits for report its end to the caller", () => {
    const child = out.files.get("flows/send-receipt/workflow.ts") ?? "";
    expect(child).toContain("await notifyParent(step, env, event.payload.parent, { ok: true, output: result });");
    expect(child).toContain("await notifyParent(step, env, event.payload.parent, { ok: false, error: failureText(error) });");
    const parent = out.files.get("flows/order-fulfilment/workflow.ts") ?? "";
    expect(parent).toContain('parentBinding: "ORDER_FULFILMENT_WORKFLOW"');
    expect(parent).toContain('steps["receipt"] = await waitForChild(step, "receipt", receiptCall, env.SEND_RECEIPT_WORKFLOW, { flow: "send-receipt" });');
  });
});
