/**
 * A pipeline's artifacts on disk (`<taskDir>/pipeline/`) and in the task's event log: the
 * design notes, copies of the spec and plan, each report and review, the ledger, the triage.
 * The event log holds the text too, so the record survives a deleted task directory.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ArtifactSink {
  log(taskId: number, type: string, body: Record<string, unknown>): void;
}

export function artifactDir(taskDir: string): string {
  return join(taskDir, "pipeline");
}

/** Writes (or replaces) one artifact and records it in the event log. */
export function saveArtifact(
  sink: ArtifactSink,
  task: { id: number; taskDir: string },
  name: string,
  text: string,
): string {
  const dir = artifactDir(task.taskDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text.endsWith("\n") ? text : `${text}\n`);
  sink.log(task.id, "pipeline_artifact", { name, path, text });
  return path;
}

/** Appends a dated entry to an artifact that grows over the task's life (qa.md, ledger.md). */
export function appendArtifact(
  sink: ArtifactSink,
  task: { id: number; taskDir: string },
  name: string,
  entry: string,
): void {
  const dir = artifactDir(task.taskDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  appendFileSync(path, `${entry.trimEnd()}\n\n`);
  sink.log(task.id, "pipeline_artifact", { name, path, text: entry, appended: true });
}
