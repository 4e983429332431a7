/**
 * The research and explain lanes: one run each, no review, and a notes document as the
 * result. Research runs in its scratch worktree and writes a notes file beside its code;
 * explain runs read-only and its answer is the notes.
 */
import type { SessionStatus } from "../../protocol/agent-events.js";
import type { StoredEvent, Task } from "../task-store.js";
import { type ArtifactSink, saveArtifact } from "./artifacts.js";
import type { RunRequest, RunResult } from "./pipeline-host.js";
import { datedSlugPath, readWorktreeFile } from "./step-inputs.js";
import { renderTemplate } from "./templates.js";

export function researchNotesPath(task: Task): string {
  return datedSlugPath("docs/research", task.slug, "", new Date(task.createdAt));
}

/** The first run's prompt for a task of a single-run lane (or any task without a pipeline). */
export async function singleRunPrompt(task: Task): Promise<Partial<RunRequest> & { prompt: string }> {
  if (task.kind === "explain") {
    return { prompt: await renderTemplate(task.repo, "explain", { task: task.prompt }), readOnly: true };
  }
  if (task.kind === "research") {
    const prompt = await renderTemplate(task.repo, "research", {
      task: task.prompt,
      notes_path: researchNotesPath(task),
    });
    return { prompt };
  }
  return { prompt: task.prompt };
}

/** Keeps a research or explain task's notes as its artifact (`<taskDir>/pipeline/notes.md`). */
export async function storeNotes(sink: ArtifactSink, task: Task, summary: string): Promise<void> {
  if (task.kind === "research") {
    const written = await readWorktreeFile(task, researchNotesPath(task));
    saveArtifact(sink, task, "notes.md", written ?? summary);
  } else if (task.kind === "explain") {
    saveArtifact(sink, task, "notes.md", summary);
  }
}

/** The outcome of the task's latest run, from its stored events. */
export function lastRunResult(
  events: StoredEvent[],
  exit: { status: SessionStatus | "crashed"; sessionId?: string },
): RunResult {
  const start = events.findLast((event) => event.type === "run_started")?.seq ?? 0;
  const finished = events.findLast((event) => event.type === "session_finished" && event.seq > start);
  const body = (finished?.body ?? {}) as {
    summary?: unknown;
    usage?: { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number };
  };
  const usage = body.usage ?? {};
  return {
    status: exit.status,
    summary: typeof body.summary === "string" ? body.summary : "",
    ...(exit.sessionId ? { sessionId: exit.sessionId } : {}),
    usage: {
      input: (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
      output: usage.output_tokens ?? 0,
    },
  };
}
