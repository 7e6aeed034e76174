import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadProject } from "../../generator/frontend.ts";

/**
 * `instance.id` in a trigger's values: the id is computed first, once, and
 * the input, agent name and start time are computed after it. The http case
 * runs end to end in tests/workers/refund-claim.test.ts; these are the
 * cron and websocket triggers and a send_event payload.
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const FLOW = `flow: audit
input:
  ref: { type: string }
triggers:
  - cron: "0 3 * * *"
    instance_id: audit-\${{ uuid() }}
    agent_name: \${{ instance.id }}
    input: { ref: "\${{ instance.id }}" }
  - websocket: start-audit
    auth: none
    input: { ref: "ws-\${{ instance.id }}" }
  - http: POST /audits/{id}/note
    auth: none
    send_event: { type: note, instance_id: "\${{ request.params.id }}", payload: { about: "\${{ instance.id }}" } }
steps:
  - id: note
    wait_for_event: { type: note }
`;

function emitted(): ReadonlyMap<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "flows-trigger-instance-"));
  dirs.push(dir);
  mkdirSync(join(dir, "definitions"), { recursive: true });
  writeFileSync(join(dir, "definitions/audit.yaml"), FLOW);
  const { project, bag } = loadProject(dir);
  expect(bag.items.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  return emitProject(project).files;
}

describe("instance.id in trigger values", () => {
  const files = emitted();
  const triggers = files.get("flows/audit/triggers.ts") ?? "";
  const agent = files.get("agents/flow-agent.ts") ?? "";

  it("computes a given instance_id once, before the values that read it", () => {
    const cron = triggers.slice(triggers.indexOf("The cron triggers of audit"));
    const id = cron.indexOf('const instanceId = "audit-" + $.str($.uuid());');
    const instance = cron.indexOf("const instance = triggerInstance(instanceId);");
    const start = cron.indexOf("const prepared = prepareStart(");
    expect(id).toBeGreaterThan(0);
    expect(instance).toBeGreaterThan(id);
    expect(start).toBeGreaterThan(instance);
    expect(cron).toContain("agentName: instance.id,");
    expect(cron).toContain("instanceId: instanceId,");
  });

  it("draws the fresh id first when the trigger gives none, and starts the instance with it", () => {
    expect(agent).toContain("const instance = triggerInstance();");
    expect(agent).toContain('input: { ref: "ws-" + $.str(instance.id) },');
    expect(agent).toContain("instanceId: instance.id,");
  });

  it("reads the signalled instance's id in a send_event payload", () => {
    expect(triggers).toContain('const instanceId = $.at(request, "params", "id");');
    expect(triggers).toContain('return sendFlowEvent(env.AUDIT_WORKFLOW, "audit", instanceId, "note", { about: instance.id });');
  });
});
