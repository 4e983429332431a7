/** The human inbox: every question and gate across all tasks, oldest first, and the ways to answer. */
import { defineCommand } from "citty";
import type { InboxItem } from "../../orchestrator/inbox-store.js";
import type { Task } from "../../orchestrator/task-store.js";
import { connectDaemon } from "../daemon-client.js";
import { CliError } from "../errors.js";
import { readPrompt } from "../read-prompt.js";

type ListedItem = InboxItem & { task: Pick<Task, "id" | "slug" | "branch" | "kind" | "state"> | null };

const out = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
const itemArg = { item: { type: "positional", required: true, description: "Inbox item number" } } as const;

function itemNumber(raw: string): string {
  if (!/^\d+$/.test(raw)) throw new CliError(`"${raw}" is not an inbox item number (see grove inbox)`, 2);
  return raw;
}

function howToAnswer(item: InboxItem): string {
  return item.kind === "question"
    ? `grove answer ${item.id} "…"`
    : `grove approve ${item.id}  |  grove revise ${item.id} "…"`;
}

export function formatInbox(items: ListedItem[]): string {
  if (items.length === 0) return "the inbox is empty: no task is waiting for you\n";
  return `${items
    .map((item) => {
      const task = item.task ? `task ${item.task.id} ${item.task.branch}` : `task ${item.taskId}`;
      const what = item.stage === item.kind ? item.kind : `${item.kind} · ${item.stage}`;
      const header = `#${item.id}  ${what} · ${task} · ${item.createdAt.slice(0, 16).replace("T", " ")}`;
      const body = item.text.trimEnd().replace(/^/gm, "    ");
      return `${header}\n${body}\n    → ${howToAnswer(item)}`;
    })
    .join("\n\n")}\n`;
}

export const inbox = defineCommand({
  meta: {
    name: "inbox",
    description: "Every question and gate waiting for you, across all tasks, oldest first",
  },
  args: { json: { type: "boolean", description: "Machine-readable output" } },
  async run({ args }) {
    const items = await (await connectDaemon()).request<ListedItem[]>("GET", "/api/inbox");
    out(args.json ? JSON.stringify(items, null, 2) : formatInbox(items));
  },
});

function resolver(action: "answer" | "revise", description: string) {
  return defineCommand({
    meta: { name: action, description },
    args: {
      ...itemArg,
      text: { type: "positional", required: false, description: "The text (or --file, or stdin)" },
      file: { type: "string", description: "Read the text from this file" },
    },
    async run({ args }) {
      const id = itemNumber(args.item);
      const text = await readPrompt(args.text, args.file);
      const item = await (await connectDaemon()).request<ListedItem>("POST", `/api/inbox/${id}/${action}`, {
        text,
      });
      out(`#${item.id} ${item.resolution}: task ${item.taskId} goes on`);
    },
  });
}

export const answer = resolver("answer", "Answer an agent's question from the inbox");
export const revise = resolver("revise", "Send a gate back with what to change (a spec, a plan, a review)");

export const approve = defineCommand({
  meta: { name: "approve", description: "Approve a gate in the inbox (a spec, a plan, a capped review)" },
  args: { ...itemArg },
  async run({ args }) {
    const id = itemNumber(args.item);
    const item = await (await connectDaemon()).request<ListedItem>("POST", `/api/inbox/${id}/approve`, {});
    out(`#${item.id} approved: task ${item.taskId} goes on`);
  },
});
