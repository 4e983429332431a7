import { defineCommand } from "citty";
import { AGENTS, TASK_KINDS } from "../../orchestrator/task-states.js";
import type { Task } from "../../orchestrator/task-store.js";
import { connectDaemon } from "../daemon-client.js";
import { CliError } from "../errors.js";
import { readPrompt } from "../read-prompt.js";
import { waitForOutcome } from "./tasks.js";

export default defineCommand({
  meta: {
    name: "run",
    description: "Start an agent on a task in its own worktree and branch, in the background",
  },
  args: {
    prompt: { type: "positional", required: false, description: "What to do (or --file, or stdin)" },
    file: { type: "string", description: "Read the prompt from this file" },
    agent: {
      type: "string",
      description: `Agent: ${AGENTS.join(", ")} (default from .grove/config.json, else builtin)`,
    },
    model: { type: "string", description: "Model (routed through the grove router; demo works offline)" },
    kind: { type: "string", description: `Lane: ${TASK_KINDS.join(", ")} (default maintenance)` },
    base: { type: "string", description: "Branch to start from and land on (default: the current branch)" },
    name: { type: "string", description: "Short name for the branch (default: from the prompt)" },
    yolo: {
      type: "boolean",
      description: "Skip the agent's permission prompts (Claude Code: bypassPermissions)",
    },
    auto: {
      type: "boolean",
      description: "Feature lane: no questions and no spec gate (the architect decides)",
    },
    wait: { type: "boolean", description: "Follow the task to the end; the exit code tells the outcome" },
  },
  async run({ args }) {
    if (args.agent && !(AGENTS as readonly string[]).includes(args.agent)) {
      throw new CliError(`--agent must be one of ${AGENTS.join(", ")} (got "${args.agent}")`, 2);
    }
    if (args.kind && !(TASK_KINDS as readonly string[]).includes(args.kind)) {
      throw new CliError(`--kind must be one of ${TASK_KINDS.join(", ")} (got "${args.kind}")`, 2);
    }
    const prompt = await readPrompt(args.prompt, args.file);
    const client = await connectDaemon();
    const task = await client.request<Task>("POST", "/api/tasks", {
      cwd: process.cwd(),
      prompt,
      ...(args.agent ? { agent: args.agent } : {}),
      ...(args.model ? { model: args.model } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.base ? { base: args.base } : {}),
      ...(args.name ? { name: args.name } : {}),
      ...(args.yolo ? { yolo: true } : {}),
      ...(args.auto ? { auto: true } : {}),
    });
    process.stdout.write(`${task.id}\n`);
    if (!args.wait) {
      process.stderr.write(
        `task ${task.id} queued on ${task.branch}: grove logs -f ${task.id}, grove show ${task.id}\n`,
      );
      return;
    }
    process.exitCode = await waitForOutcome(client, task.id);
  },
});
