import type { Flow } from "../model/types.ts";

/**
 * Every name the emitters derive from a flow, in one place, so the agent
 * class, the worker entry and the trigger module always agree.
 */

/** `flight-status` → `FlightStatus` */
export function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/** `FlightAgent` → `flight-agent` (the file name and the Agents SDK URL segment). */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

export function camelCase(id: string): string {
  const pascal = pascalCase(id);
  return pascal[0]!.toLowerCase() + pascal.slice(1);
}

export interface FlowNames {
  /** `FlightStatus` */
  readonly pascal: string;
  /** `flightStatus` */
  readonly camel: string;
  /** Type of the validated input, `FlightStatusInput`. */
  readonly inputType: string;
  /** Agent RPC method a trigger calls: `startFlightStatus`. */
  readonly startMethod: string;
  /** Schedule callback of a delayed start: `startScheduledFlightStatus`. */
  readonly scheduledStartMethod: string;
  /** Poll schedule callback: `pollFlightStatus`. */
  readonly pollMethod: string;
  readonly onCompleteMethod: string;
  readonly onErrorMethod: string;
  /** Module of the flow's generated files, relative to generated/. */
  readonly dir: string;
}

export function flowNames(flow: Flow): FlowNames {
  const pascal = pascalCase(flow.id);
  return {
    pascal,
    camel: camelCase(flow.id),
    inputType: `${pascal}Input`,
    startMethod: `start${pascal}`,
    scheduledStartMethod: `startScheduled${pascal}`,
    pollMethod: `poll${pascal}`,
    onCompleteMethod: `on${pascal}Complete`,
    onErrorMethod: `on${pascal}Error`,
    dir: `flows/${flow.id}`,
  };
}

/** The Durable Object binding of an Agent class is the class name (the Agents SDK convention). */
export function agentBinding(agentClass: string): string {
  return agentClass;
}

/** File of an Agent class, relative to generated/. */
export function agentFile(agentClass: string): string {
  return `agents/${kebabCase(agentClass)}.ts`;
}
