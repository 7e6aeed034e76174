import type { CodeBlockWriter } from "ts-morph";
import type { Trigger, Value } from "../model/types.ts";
import type { ImportSet } from "./import-set.ts";
import { RootUses } from "./uses.ts";

/**
 * `instance.id` in a trigger's values is the id of the instance the trigger
 * is about to start (dsl.md §2): its `instance_id:` when it has one, else
 * the fresh id it would draw anyway. So the id is computed first, once (an
 * `instance_id` with uuid() must not be drawn twice), and everything else
 * is computed after it. `instance_id` itself cannot read it (check-scopes.ts).
 * Returns the code for the start's `instanceId`, or undefined for none.
 */
export function writeTriggerInstance(w: CodeBlockWriter, t: Trigger, imports: ImportSet, value: (v: Value) => string): string | undefined {
  const uses = new RootUses().value(t.input).value(t.agentName).value(t.at);
  if (!uses.has("instance")) return t.instanceId ? value(t.instanceId) : undefined;
  imports.value("runtime/start-request.ts", "triggerInstance");
  if (!t.instanceId) {
    w.writeLine("const instance = triggerInstance();");
    return "instance.id";
  }
  w.writeLine(`const instanceId = ${value(t.instanceId)};`);
  w.writeLine("const instance = triggerInstance(instanceId);");
  return "instanceId";
}
