/** The task commands: thin clients of the daemon's API. */
import { defineCommand } from "citty";
import type { StoredEvent, Task } from "../../orchestrator/task-store.js";
import { connectDaemon, type DaemonClient } from "../daemon-client.js";
import { CliError } from "../errors.js";
import { eventLine, taskDetails, taskTable } from "../format.js";
import { readPrompt } from "../read-prompt.js";

const taskArg = {
  task: { type: "positional", required: true, description: "Task id, slug or branch" },
} as const;
const jsonArg = { json: { type: "boolean", description: "Machine-readable output" } } as const;
const out = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
const path = (ref: string, action = "") => `/api/tasks/${encodeURIComponent(ref)}${action}`;

/** Terminal states for `--wait`, with the exit code each gives. */
const OUTCOME: Partial<Record<Task["state"], number>> = {
  done: 0,
  archived: 0,
  landed: 0,
  "waiting-for-input": 2,
  failed: 1,
  interrupted: 1,
  conflict: 1,
  discarded: 1,
};

export const ls = defineCommand({
  meta: { name: "ls", description: "List tasks" },
  args: { ...jsonArg },
  async run({ args }) {
    const tasks = await (await connectDaemon()).request<Task[]>("GET", "/api/tasks");
    out(args.json ? JSON.stringify(tasks, null, 2) : taskTable(tasks));
  },
});

export const show = defineCommand({
  meta: {
    name: "show",
    description: "Show a task: state, agent, branch, worktree, ports, timings, tokens, summary",
  },
  args: { ...taskArg, ...jsonArg },
  async run({ args }) {
    const task = await (await connectDaemon()).request<Task>("GET", path(args.task));
    out(args.json ? JSON.stringify(task, null, 2) : taskDetails(task));
  },
});

export const logs = defineCommand({
  meta: { name: "logs", description: "Show a task's log (-f to follow)" },
  args: {
    ...taskArg,
    ...jsonArg,
    follow: { type: "boolean", alias: "f", description: "Keep following new events" },
  },
  async run({ args }) {
    const client = await connectDaemon();
    const print = (event: StoredEvent) => {
      if (args.json) return out(JSON.stringify(event));
      const line = eventLine(event);
      if (line !== undefined) out(line);
    };
    if (!args.follow) {
      for (const event of await client.request<StoredEvent[]>("GET", path(args.task, "/events")))
        print(event);
      return;
    }
    const task = await client.request<Task>("GET", path(args.task));
    await followTask(client, task.id, print);
  },
});

export const diff = defineCommand({
  meta: { name: "diff", description: "The task's changes against the merge-base with its base branch" },
  args: { ...taskArg, stat: { type: "boolean", description: "Only the summary of changed files" } },
  async run({ args }) {
    out(
      await (await connectDaemon()).request<string>(
        "GET",
        path(args.task, `/diff${args.stat ? "?stat=1" : ""}`),
      ),
    );
  },
});

export const pathCommand = defineCommand({
  meta: { name: "path", description: 'Print the task\'s worktree path (cd "$(grove path 3)")' },
  args: { ...taskArg },
  async run({ args }) {
    out((await (await connectDaemon()).request<Task>("GET", path(args.task))).worktree);
  },
});

function action(name: string, description: string, verb: string | ((task: Task) => string)) {
  return defineCommand({
    meta: { name, description },
    args: { ...taskArg },
    async run({ args }) {
      const task = await (await connectDaemon()).request<Task>("POST", path(args.task, `/${name}`), {});
      out(
        `task ${task.id} ${typeof verb === "string" ? verb : verb(task)} (${task.state})${task.archiveRef ? `; branch tip kept at ${task.archiveRef}` : ""}`,
      );
    },
  });
}

export const stop = action(
  "stop",
  "Stop a task's agent (its work so far is kept; grove resume continues)",
  // A queued task is out of the queue at once; a running agent is asked to stop.
  (task) => (task.state === "interrupted" ? "stopped" : "is stopping"),
);
export const resume = action("resume", "Continue an interrupted task", "resumed");
export const discard = action(
  "discard",
  "Remove a task's worktree; its branch tip stays under refs/grove/archive/",
  "discarded",
);

export const reply = defineCommand({
  meta: {
    name: "reply",
    description: "Send the task's agent a follow-up (review comments, answers) in the same session",
  },
  args: {
    ...taskArg,
    message: { type: "positional", required: false, description: "The message (or --file, or stdin)" },
    file: { type: "string" },
    wait: { type: "boolean" },
  },
  async run({ args }) {
    const message = await readPrompt(args.message, args.file);
    const client = await connectDaemon();
    const task = await client.request<Task>("POST", path(args.task, "/reply"), { message });
    out(
      task.state === "queued"
        ? `task ${task.id} is queued: its repository's agent slots are all busy, and the reply runs when one frees up`
        : `task ${task.id} is running again`,
    );
    if (args.wait) process.exitCode = await waitForOutcome(client, task.id);
  },
});

export const land = defineCommand({
  meta: {
    name: "land",
    description: "Rebase (or merge/squash) onto the base, run the tests, and advance the base",
  },
  args: { ...taskArg, strategy: { type: "string", description: "rebase (default), merge or squash" } },
  async run({ args }) {
    if (args.strategy && !["rebase", "merge", "squash"].includes(args.strategy)) {
      throw new CliError(`--strategy must be rebase, merge or squash (got "${args.strategy}")`, 2);
    }
    const client = await connectDaemon();
    const task = await client.request<Task>(
      "POST",
      path(args.task, "/land"),
      args.strategy ? { strategy: args.strategy } : {},
    );
    if (task.state === "landed") {
      out(`task ${task.id} landed on ${task.baseBranch} as ${task.landedCommit?.slice(0, 12)}`);
      return;
    }
    throw new CliError(`task ${task.id} did not land (${task.state}): ${task.error ?? "see grove logs"}`);
  },
});

export const gc = defineCommand({
  meta: {
    name: "gc",
    description:
      "Delete the archived and backup refs of tasks that ended long ago (the only command that deletes work)",
  },
  args: {
    "older-than": { type: "string", description: "Age, e.g. 30d, 12h (default 30d)" },
    "dry-run": { type: "boolean" },
  },
  async run({ args }) {
    const olderThanMs = parseAge(args["older-than"] ?? "30d");
    const deleted = await (await connectDaemon()).request<
      { taskId: string; ref: string; commit: string; repo: string }[]
    >("POST", "/api/gc", {
      olderThanMs,
      dryRun: args["dry-run"] === true,
    });
    if (deleted.length === 0) out("nothing to delete");
    for (const entry of deleted)
      out(
        `${args["dry-run"] ? "would delete" : "deleted"} ${entry.ref} (${entry.commit.slice(0, 12)}) in ${entry.repo}`,
      );
  },
});

function parseAge(text: string): number {
  const match = /^(\d+)([dhm])$/.exec(text);
  if (!match) throw new CliError(`--older-than takes a number with d, h or m (e.g. 30d), got "${text}"`, 2);
  return Number(match[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as "d" | "h" | "m"];
}

/** Follows a task's events until it reaches a state where nothing more happens without the user. */
export async function followTask(
  client: DaemonClient,
  taskId: number,
  print?: (event: StoredEvent) => void,
): Promise<Task> {
  let last: Task | undefined;
  await client.follow(`/api/stream?task=${taskId}`, (kind, data) => {
    if (kind === "event") print?.(data as StoredEvent);
    if (kind === "task") {
      last = data as Task;
      return OUTCOME[last.state] !== undefined;
    }
    return false;
  });
  return last ?? (await client.request<Task>("GET", `/api/tasks/${taskId}`));
}

export async function waitForOutcome(client: DaemonClient, taskId: number): Promise<number> {
  const current = await client.request<Task>("GET", `/api/tasks/${taskId}`);
  const task =
    OUTCOME[current.state] !== undefined
      ? current
      : await followTask(client, taskId, (event) => {
          const line = eventLine(event);
          if (line !== undefined) out(line);
        });
  out(`task ${task.id}: ${task.state}${task.error ? ` (${task.error})` : ""}`);
  return OUTCOME[task.state] ?? 1;
}
