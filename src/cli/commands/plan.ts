/**
 * `grove plan "<idea>"`: a feature task through brainstorm, spec, plan, reviewed chunks and a
 * final review; and `grove triage`, which weighs an external review of a finished task.
 */
import { readFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { AGENTS } from "../../orchestrator/task-states.js";
import type { Task } from "../../orchestrator/task-store.js";
import { connectDaemon } from "../daemon-client.js";
import { CliError } from "../errors.js";
import { readPrompt } from "../read-prompt.js";
import { waitForOutcome } from "./tasks.js";

export const plan = defineCommand({
  meta: {
    name: "plan",
    description: "Turn an idea into a spec, a plan and reviewed commits (the feature lane)",
  },
  args: {
    idea: { type: "positional", required: false, description: "The idea (or --file, or stdin)" },
    file: { type: "string", description: "Read the idea from this file" },
    auto: {
      type: "boolean",
      description: "No questions and no spec gate: the architect decides and records its assumptions",
    },
    agent: {
      type: "string",
      description: `Agent for every role not set in .grove/config.json: ${AGENTS.join(", ")}`,
    },
    model: { type: "string", description: "Model for every role not set in .grove/config.json" },
    base: { type: "string", description: "Branch to start from and land on (default: the current branch)" },
    name: { type: "string", description: "Short name for the branch (default: from the idea)" },
    wait: { type: "boolean", description: "Follow the task until it is ready, fails, or waits for you" },
  },
  async run({ args }) {
    if (args.agent && !(AGENTS as readonly string[]).includes(args.agent))
      throw new CliError(`--agent must be one of ${AGENTS.join(", ")} (got "${args.agent}")`, 2);
    const prompt = await readPrompt(args.idea, args.file);
    const client = await connectDaemon();
    const task = await client.request<Task>("POST", "/api/tasks", {
      cwd: process.cwd(),
      prompt,
      kind: "feature",
      ...(args.auto ? { auto: true } : {}),
      ...(args.agent ? { agent: args.agent } : {}),
      ...(args.model ? { model: args.model } : {}),
      ...(args.base ? { base: args.base } : {}),
      ...(args.name ? { name: args.name } : {}),
    });
    process.stdout.write(`${task.id}\n`);
    if (!args.wait) {
      process.stderr.write(
        `feature task ${task.id} queued on ${task.branch}: grove logs -f ${task.id}; questions and gates arrive in grove inbox\n`,
      );
      return;
    }
    process.exitCode = await waitForOutcome(client, task.id);
  },
});

export const triage = defineCommand({
  meta: {
    name: "triage",
    description: "Weigh an external review of a finished task: accepted findings become one fix chunk",
  },
  args: {
    task: { type: "positional", required: true, description: "Task id, slug or branch" },
    review: { type: "string", required: true, description: "The review's text: a file, or - for stdin" },
    wait: { type: "boolean", description: "Follow the task until the triage and its fixes are done" },
  },
  async run({ args }) {
    const review =
      args.review === "-" ? await readPrompt(undefined, undefined) : await readReview(args.review);
    const client = await connectDaemon();
    const task = await client.request<Task>("POST", `/api/tasks/${encodeURIComponent(args.task)}/triage`, {
      review,
    });
    process.stderr.write(
      `task ${task.id}: triaging the review; the result is written to triage.md in its task directory\n`,
    );
    if (args.wait) process.exitCode = await waitForOutcome(client, task.id);
  },
});

async function readReview(path: string): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    if (text.trim() === "") throw new CliError(`the review file ${path} is empty`, 2);
    return text;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read the review file ${path}: ${(error as Error).message}`, 2);
  }
}
