/**
 * The task queue under a repository's concurrency limit: ten tasks, `concurrency: 3` committed
 * in `.grove/config.json`. Agents hold at a barrier, so the moment three run and seven wait is
 * deterministic; afterwards the stored events must show FIFO starts, at most three tasks active
 * at any time, and distinct port blocks for tasks that overlapped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../../src/orchestrator/task-store.js";
import {
  barrier,
  createTask,
  disposeAll,
  enteredAt,
  expectAllSettled,
  followStream,
  getTask,
  git,
  makeSandbox,
  type Sandbox,
  type StoredEvent,
  sampleRepo,
  startDaemonProcess,
  taskEvents,
  useScript,
  waitFor,
} from "./harness.js";

const ACTIVE = new Set<Task["state"]>(["setting-up", "running", "waiting-for-input"]);

let sandbox: Sandbox;
let repo: string;

beforeAll(async () => {
  sandbox = makeSandbox("grove-queue-");
  repo = await sampleRepo(sandbox, "repo", { test: "node --test", concurrency: 3 });
  await startDaemonProcess(sandbox);
});
afterAll(disposeAll);

describe("ten tasks under a limit of three", () => {
  it("starts them in id order, never runs more than three at once, and finishes all ten", async () => {
    const gate = barrier(sandbox, "queue");
    useScript(sandbox, [
      {
        when: { turn: 0 },
        text: "Recording my port block, then waiting.",
        toolCalls: [
          {
            name: "bash",
            arguments: {
              command: `echo "$PORT $GROVE_PORT_BASE $GROVE_PORT_COUNT" > port.txt; ${gate.command}`,
            },
          },
        ],
      },
      { when: { turn: 1 }, text: "Finished." },
    ]);

    // The live change stream, as a cross-check of the stored events: arrival order is global.
    const activeCounts: number[] = [];
    const states = new Map<number, Task["state"]>();
    const stream = followStream(sandbox, (kind, data) => {
      if (kind !== "task") return;
      const task = data as Task;
      states.set(task.id, task.state);
      activeCounts.push([...states.values()].filter((state) => ACTIVE.has(state)).length);
    });
    await stream.ready;

    const tasks: Task[] = [];
    for (let i = 1; i <= 10; i++)
      tasks.push(await createTask(sandbox, { cwd: repo, prompt: `Queue task number ${i}` }));
    expect(tasks.map((task) => task.state)).not.toContain("failed");

    // Three agents reach the barrier; the other seven must still be queued behind them.
    await gate.waitArrived(3);
    const held = await Promise.all(tasks.map((task) => getState(task.id)));
    expect(held.slice(0, 3)).toEqual(["running", "running", "running"]);
    expect(held.slice(3)).toEqual(Array(7).fill("queued"));
    expect(gate.arrived()).toBe(3);

    gate.release();
    const finished = await expectAllSettled(
      sandbox,
      tasks.map((task) => task.id),
      "done",
    );
    await waitFor(() => activeCounts.at(-1) === 0, 5_000, "the stream to show every task finished");
    stream.stop();

    // FIFO: task n+1 never starts before task n.
    const started = finished.map((task) => task.startedAt!);
    expect([...started].sort()).toEqual(started);
    const logs = await Promise.all(finished.map((task) => taskEvents(sandbox, task.id)));
    const intervals = logs.map((events, index) => interval(finished[index]!.id, events));
    const setUpOrder = [...intervals].sort((a, b) => a.start.localeCompare(b.start) || a.id - b.id);
    expect(setUpOrder.map((entry) => entry.id)).toEqual(finished.map((task) => task.id));

    // At most three between setting-up and done, from the stored events and from the stream.
    expect(maxOverlap(intervals)).toBe(3);
    expect(Math.max(...activeCounts)).toBe(3);

    // Every task committed the port block its agent saw; tasks that overlapped had different ones.
    const ports = finished.map((task) => {
      const [port, base, count] = git(repo, ["show", `${task.branch}:port.txt`]).split(" ");
      expect(port).toBe(String(task.portBase));
      expect(base).toBe(port);
      expect(count).toBe("10");
      return Number(port);
    });
    for (let a = 0; a < intervals.length; a++)
      for (let b = a + 1; b < intervals.length; b++)
        if (overlaps(intervals[a]!, intervals[b]!)) expect(ports[a]).not.toBe(ports[b]);
    // The three that ran together took the first three blocks.
    expect(ports.slice(0, 3).sort()).toEqual([20_000, 20_010, 20_020]);
  }, 90_000);
});

async function getState(id: number): Promise<Task["state"]> {
  return (await getTask(sandbox, id)).state;
}

interface Interval {
  id: number;
  start: string;
  end: string;
}

function interval(id: number, events: StoredEvent[]): Interval {
  const start = enteredAt(events, "setting-up");
  const end = enteredAt(events, "done");
  if (!start || !end) throw new Error(`task ${id} lacks setting-up/done events: ${JSON.stringify(events)}`);
  return { id, start, end };
}

/** The most intervals open at once; at equal times an end comes first (a finish frees the slot the next start takes). */
function maxOverlap(intervals: Interval[]): number {
  const points = intervals.flatMap((entry) => [
    { at: entry.start, delta: 1 },
    { at: entry.end, delta: -1 },
  ]);
  points.sort((a, b) => a.at.localeCompare(b.at) || a.delta - b.delta);
  let open = 0;
  let max = 0;
  for (const point of points) {
    open += point.delta;
    max = Math.max(max, open);
  }
  return max;
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}
