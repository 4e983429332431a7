/**
 * A task's documents for the task view: the Markdown files its branch added or changed (notes,
 * a design spec, a plan), read from the branch tip, and any Markdown in the task's directory and
 * its `pipeline/` folder (design notes, copies of the spec and plan, reports, reviews, the
 * ledger, a triage). Sent as text; the page renders and sanitizes them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { git } from "../node/git-exec.js";
import { changedFiles } from "../orchestrator/git/diff.js";
import type { Task } from "../orchestrator/task-store.js";

export interface TaskDocument {
  path: string;
  /** `branch`: a file on the task's branch; `task`: a file in the task's directory. */
  source: "branch" | "task";
  content: string;
  truncated: boolean;
}

const MARKDOWN = /\.(md|markdown|mdx)$/i;
const MAX_DOCUMENTS = 50;
const MAX_CHARS = 512 * 1024;

const clip = (text: string) =>
  text.length > MAX_CHARS
    ? { content: text.slice(0, MAX_CHARS), truncated: true }
    : { content: text, truncated: false };

export async function taskDocuments(task: Task): Promise<TaskDocument[]> {
  const documents = [...(await branchDocuments(task)), ...taskDirDocuments(task)];
  return documents.slice(0, MAX_DOCUMENTS);
}

/** The branch's Markdown files as of its tip (the archive ref once discarded); none if git cannot tell. */
async function branchDocuments(task: Task): Promise<TaskDocument[]> {
  const base = task.state === "landed" && task.baseCommit ? task.baseCommit : task.baseBranch;
  for (const tip of [task.branch, task.archiveRef]) {
    if (!tip) continue;
    let paths: string[];
    try {
      paths = (await changedFiles(task.repo, tip, base)).filter((path) => MARKDOWN.test(path));
    } catch {
      continue; // The branch is gone: try the archive ref.
    }
    const documents: TaskDocument[] = [];
    for (const path of paths.slice(0, MAX_DOCUMENTS)) {
      // A deleted file has no content at the tip: nothing to show.
      const text = await git(task.repo, ["show", `${tipRevision(tip, task)}:${path}`]).catch(() => undefined);
      if (text !== undefined) documents.push({ path, source: "branch", ...clip(text) });
    }
    return documents;
  }
  return [];
}

const tipRevision = (tip: string, task: Task) => (tip === task.branch ? `refs/heads/${tip}` : tip);

function taskDirDocuments(task: Task): TaskDocument[] {
  return [...markdownIn(task.taskDir, ""), ...markdownIn(join(task.taskDir, "pipeline"), "pipeline/")];
}

/**
 * The Markdown files directly in `dir`, as `prefix` + name. The pipeline's (`pipeline/`) come in
 * the order it wrote them: design, spec, plan, each chunk's reports and reviews, then the rest.
 */
function markdownIn(dir: string, prefix: string): TaskDocument[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => MARKDOWN.test(name))
      .sort(byPipelineOrder);
  } catch {
    return [];
  }
  const documents: TaskDocument[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      documents.push({ path: `${prefix}${name}`, source: "task", ...clip(readFileSync(path, "utf8")) });
    } catch {
      // Removed while listing.
    }
  }
  return documents;
}

const PIPELINE_ORDER = ["design", "qa", "spec", "plan", "chunk-", "triage", "final-review", "ledger"];

function pipelineRank(name: string): number {
  const rank = PIPELINE_ORDER.findIndex((start) => name.startsWith(start));
  return rank === -1 ? PIPELINE_ORDER.length : rank;
}

/** Pipeline order first, then by name with numbers compared as numbers (chunk-2 before chunk-10). */
function byPipelineOrder(a: string, b: string): number {
  return pipelineRank(a) - pipelineRank(b) || a.localeCompare(b, "en", { numeric: true });
}
