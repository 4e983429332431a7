/** Small text helpers for cards and headers: elapsed time, token counts, one-line activity. */
import type { StoredEvent, Task, TaskState } from "../types";

/** States in which time still runs for a task. */
const RUNNING: readonly TaskState[] = ["queued", "setting-up", "running", "waiting-for-input", "landing"];

export function isLive(state: TaskState): boolean {
  return RUNNING.includes(state);
}

/** Time since the task started (queued: since it was created), up to now or to when it finished. */
export function elapsedMs(task: Task, now: number): number {
  const start = Date.parse(task.startedAt ?? task.createdAt);
  const end = isLive(task.state) ? now : Date.parse(task.finishedAt ?? task.updatedAt);
  return Math.max(0, end - start);
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

const firstLine = (value: unknown, max = 140) => {
  const line =
    String(value ?? "")
      .split("\n")
      .find((part) => part.trim() !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line.trim();
};

/** A short input summary for a tool call: its command, path or pattern, else compact JSON. */
export function toolInputSummary(input: unknown): string {
  if (typeof input !== "object" || input === null) return firstLine(input === undefined ? "" : input);
  const record = input as Record<string, unknown>;
  for (const key of ["command", "cmd", "file_path", "path", "pattern", "url", "query"]) {
    if (typeof record[key] === "string") return firstLine(record[key], 100);
  }
  return firstLine(JSON.stringify(input), 100);
}

/** One readable line for a Board card, or undefined for events only machines care about. */
export function activityLine(event: StoredEvent): string | undefined {
  const body = event.body;
  switch (event.type) {
    case "task_created":
      return `created from ${firstLine(body.base)}`;
    case "setup_output":
      return `setup: ${firstLine(body.text)}`;
    case "run_started":
      return body.resumed ? "follow-up started" : "agent started";
    case "message":
      return firstLine(body.text);
    case "tool_call_started":
      return `${firstLine(body.name)} ${toolInputSummary(body.input)}`.trim();
    case "question":
      return `? ${firstLine(body.text)}`;
    case "error":
      return `error: ${firstLine(body.message)}`;
    case "session_finished":
      return `finished: ${firstLine(body.status)}`;
    case "reply":
      return `you: ${firstLine(body.message)}`;
    case "run_queued":
      return "waiting for an agent slot";
    case "land_progress":
      return `landing: ${firstLine(body.step)}`;
    case "land_finished":
      return `landing ${firstLine(body.result)}`;
    default:
      return undefined;
  }
}

/** Cuts long tool output to its first lines, saying how much is hidden. */
export function truncateOutput(
  text: string,
  limits: { lines: number; chars: number } = { lines: 30, chars: 4000 },
): { text: string; truncated: boolean; hiddenLines: number } {
  const lines = text.split("\n");
  let shown = lines.slice(0, limits.lines).join("\n");
  if (shown.length > limits.chars) shown = shown.slice(0, limits.chars);
  const truncated = shown.length < text.length;
  const hiddenLines = truncated ? lines.length - shown.split("\n").length : 0;
  return { text: shown, truncated, hiddenLines };
}
