import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * CPU time of the workerd processes a benchmark started, served on
 * 127.0.0.1 so the benchmark's own workerd test can read it before and after
 * each batch. Wall time on a shared machine moves with everyone else's load;
 * the CPU time workerd spends on a batch mostly does not, so it is reported
 * next to the wall-time ratio as a cross-check (BENCHMARKS.md, "Run time").
 *
 * Linux only: the sum of `se.sum_exec_runtime` (ms, µs resolution) over the
 * threads in /proc/<pid>/task/<tid>/sched of every `workerd` process below
 * `rootPid`. Elsewhere it answers `null` and only wall time is reported.
 */

export interface CpuProbe {
  readonly url: string;
  close(): Promise<void>;
}

export async function startCpuProbe(rootPid: () => number | undefined): Promise<CpuProbe> {
  const server: Server = createServer((request, response) => {
    const root = rootPid();
    const ms = request.url === "/cpu" && root !== undefined ? workerdCpuMs(root) : null;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ms }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cpu`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
}

function processes(): Proc[] {
  const list: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      const rest = stat.slice(close + 2).split(" ");
      list.push({ pid: Number(name), comm: stat.slice(open + 1, close), ppid: Number(rest[1]) });
    } catch {
      // The process ended while we looked.
    }
  }
  return list;
}

/** CPU ms of the workerd processes below `root`, or null when there is no /proc. */
export function workerdCpuMs(root: number): number | null {
  let all: Proc[];
  try {
    all = processes();
  } catch {
    return null;
  }
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  for (let p = stack.pop(); p; p = stack.pop()) {
    stack.push(...(children.get(p.pid) ?? []));
    if (p.comm === "workerd") total += threadsCpuMs(p.pid);
  }
  return total;
}

function threadsCpuMs(pid: number): number {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      const sched = readFileSync(`/proc/${pid}/task/${tid}/sched`, "utf8");
      const match = /se\.sum_exec_runtime\s*:\s*([\d.]+)/.exec(sched);
      if (match) total += Number(match[1]);
    } catch {
      // The thread ended.
    }
  }
  return total;
}
