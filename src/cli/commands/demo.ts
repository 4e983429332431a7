import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand } from "citty";
import { createSampleRepo } from "../../node/sample-repo.js";
import type { StoredEvent, Task } from "../../orchestrator/task-store.js";
import { dashboardAuthUrl } from "../../server/daemon.js";
import { connectDaemon, type DaemonClient } from "../daemon-client.js";
import { CliError } from "../errors.js";
import { runClaudeDemo } from "./demo-claude.js";

const TASKS = [
  {
    name: "world-default",
    kind: "maintenance",
    prompt: "Make greet() greet the world when no name is given",
  },
  { name: "farewell", kind: "maintenance", prompt: "Add a farewell() function next to greet(), with a test" },
  { name: "explain-greeting", kind: "explain", prompt: "Explain how greeting works in this repository" },
] as const;

const FINISHED = new Set<Task["state"]>([
  "done",
  "archived",
  "failed",
  "interrupted",
  "waiting-for-input",
  "conflict",
  "landed",
  "discarded",
]);

export default defineCommand({
  meta: {
    name: "demo",
    description:
      "See grove work offline: three agents in parallel on a sample repository, then one change lands",
  },
  args: {
    claude: {
      type: "boolean",
      description: "Instead: run the real Claude Code through the grove router on the scripted model",
    },
  },
  async run({ args }) {
    if (args.claude) return runClaudeDemo();
    const repo = join(mkdtempSync(join(tmpdir(), "grove-demo-")), "greeter");
    await createSampleRepo(repo);
    say(`sample repository: ${repo}`);
    const client = await connectDaemon();
    say(`grove daemon: ${client.info.url}`);
    say(`dashboard (watch, review, send back, land): ${dashboardAuthUrl(client.info)}`);

    const tasks: Task[] = [];
    for (const spec of TASKS) {
      const task = await client.request<Task>("POST", "/api/tasks", {
        cwd: repo,
        prompt: spec.prompt,
        name: spec.name,
        kind: spec.kind,
        agent: "builtin",
        model: "demo",
      });
      tasks.push(task);
      say(`task ${task.id} (${spec.kind}) on ${task.branch}: ${spec.prompt}`);
    }
    const labels = new Map(tasks.map((task) => [task.id, `#${task.id} ${task.slug}`]));
    const states = await followUntilFinished(client, tasks, (task, line) =>
      say(`${labels.get(task)!.padEnd(24)} ${line}`),
    );

    const fix = states.get(tasks[0]!.id)!;
    if (fix.state !== "done")
      throw new CliError(`task ${fix.id} ended ${fix.state}: ${fix.error ?? "see grove logs"}`);
    say(`landing task ${fix.id} through the queue (rebase onto main, run node --test, advance main)…`);
    const landed = await client.request<Task>("POST", `/api/tasks/${fix.id}/land`, {});
    if (landed.state !== "landed")
      throw new CliError(`task ${fix.id} did not land: ${landed.error ?? landed.state}`);
    say(`landed: main is now ${landed.landedCommit?.slice(0, 12)}`);
    say("where to look:");
    for (const line of [
      `git -C ${repo} log --oneline --all --graph`,
      "grove ls                      # all tasks and their states",
      `grove diff ${tasks[1]!.id}                   # the farewell() feature, waiting for review`,
      `grove land ${tasks[1]!.id}                   # land it too`,
      `grove logs ${tasks[2]!.id}                   # the explain task: read-only, its notes kept in the task directory`,
      `cd ${repo} && grove plan --auto --wait "Greet people in their own language: French and Spanish"`,
      "                              # the feature lane: brainstorm, spec, plan, reviewed chunks",
    ]) {
      say(`  ${line}`);
    }
  },
});

function say(message: string): void {
  process.stdout.write(`grove demo · ${message}\n`);
}

/** Prints each task's progress as it happens; returns when every task has finished. */
async function followUntilFinished(
  client: DaemonClient,
  tasks: Task[],
  print: (taskId: number, line: string) => void,
): Promise<Map<number, Task>> {
  const ids = new Set(tasks.map((task) => task.id));
  const latest = new Map(tasks.map((task) => [task.id, task]));
  const allFinished = () => [...latest.values()].every((task) => FINISHED.has(task.state));
  // The stream starts with every task's current state, so nothing that happened before it is missed.
  await client.follow("/api/stream", (kind, data) => {
    if (kind === "task") {
      const task = data as Task;
      if (!ids.has(task.id)) return false;
      const before = latest.get(task.id);
      latest.set(task.id, task);
      if (before?.state !== task.state)
        print(task.id, `${task.state}${task.error ? ` (${task.error})` : ""}`);
      return allFinished();
    }
    const event = data as StoredEvent;
    if (!ids.has(event.taskId)) return false;
    const line = describe(event);
    if (line) print(event.taskId, line);
    return false;
  });
  return latest;
}

function describe(event: StoredEvent): string | undefined {
  const body = event.body;
  if (event.type === "tool_call_started") {
    const input = body.input as Record<string, unknown>;
    return `→ ${String(body.name)} ${String(input.path ?? input.command ?? input.pattern ?? "")}`;
  }
  if (event.type === "message") return `“${String(body.text).split("\n")[0]!.slice(0, 90)}”`;
  return undefined;
}
