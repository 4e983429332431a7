/**
 * A task's event log as transcript items: the prompt, assistant text (streamed deltas until the
 * full message arrives), thinking, tool calls with their results, questions, errors, replies,
 * state changes, pipeline steps and verdicts, setup output and landing. Built incrementally, so
 * a live log of 10,000 events costs one pass.
 */
import type { StoredEvent } from "../types";
import { pipelineNote } from "./pipeline";

interface Base {
  key: string;
  seq: number;
  ts: string;
}

export type TranscriptItem = Base &
  (
    | { kind: "prompt"; text: string; meta: string }
    | { kind: "run"; text: string }
    | { kind: "text"; text: string; live: boolean }
    | { kind: "thinking"; text: string }
    | {
        kind: "tool";
        id: string;
        name: string;
        input: unknown;
        done: boolean;
        output?: string;
        isError?: boolean;
        durationMs?: number;
        truncated?: boolean;
      }
    | { kind: "question"; text: string; options: string[] }
    | { kind: "error"; message: string; fatal: boolean }
    | { kind: "reply"; text: string }
    | { kind: "state"; from: string; to: string; error?: string }
    | { kind: "setup"; text: string }
    | { kind: "finished"; status: string; summary: string; turns: number; durationMs: number }
    | { kind: "land"; text: string; result?: string; output?: string }
    | { kind: "note"; text: string }
  );

const str = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const num = (value: unknown) => (typeof value === "number" ? value : 0);

export class TranscriptBuilder {
  items: TranscriptItem[] = [];
  lastSeq = 0;
  private readonly openTools = new Map<string, number>();
  private liveIndex: number | undefined;

  /** Adds events (duplicates and old ones are skipped); true when the items changed. */
  add(events: readonly StoredEvent[]): boolean {
    const items = [...this.items];
    let changed = false;
    for (const event of events) {
      if (event.seq <= this.lastSeq) continue;
      this.lastSeq = event.seq;
      if (this.apply(items, event)) changed = true;
    }
    if (changed) this.items = items;
    return changed;
  }

  private apply(items: TranscriptItem[], event: StoredEvent): boolean {
    const { body, seq, ts } = event;
    const base = { key: `e${seq}`, seq, ts };
    const push = (item: TranscriptItem) => items.push(item) > 0;
    switch (event.type) {
      case "task_created":
        return push({
          ...base,
          kind: "prompt",
          text: str(body.prompt),
          meta: `${str(body.kind)} · ${str(body.agent)}${body.model ? `/${str(body.model)}` : ""} · ${str(body.branch)} from ${str(body.base)}`,
        });
      case "run_started":
        return push({
          ...base,
          kind: "run",
          text: `run ${num(body.run)} started${body.resumed ? " (follow-up)" : ""}: ${body.role ? `${str(body.role)} · ` : ""}${str(body.agent)}${body.model ? `/${str(body.model)}` : ""}${body.readOnly ? " (read-only)" : ""}`,
        });
      case "text_delta": {
        const live = this.liveIndex === undefined ? undefined : items[this.liveIndex];
        if (live?.kind === "text") {
          items[this.liveIndex!] = { ...live, text: live.text + str(body.text) };
          return true;
        }
        this.liveIndex = items.length;
        return push({ ...base, kind: "text", text: str(body.text), live: true });
      }
      case "message": {
        const live = this.liveIndex === undefined ? undefined : items[this.liveIndex];
        this.liveIndex = undefined;
        if (live?.kind === "text") {
          items[items.indexOf(live)] = { ...live, text: str(body.text), live: false };
          return true;
        }
        return push({ ...base, kind: "text", text: str(body.text), live: false });
      }
      case "thinking":
        return push({ ...base, kind: "thinking", text: str(body.text) });
      case "tool_call_started":
        this.openTools.set(str(body.id), items.length);
        return push({
          ...base,
          kind: "tool",
          id: str(body.id),
          name: str(body.name),
          input: body.input,
          done: false,
        });
      case "tool_call_finished": {
        const index = this.openTools.get(str(body.id));
        const started = index === undefined ? undefined : items[index];
        const result = {
          done: true,
          output: str(body.output),
          isError: body.is_error === true,
          durationMs: num(body.duration_ms),
          truncated: body.truncated === true,
        };
        this.openTools.delete(str(body.id));
        if (started?.kind === "tool") {
          items[index!] = { ...started, ...result };
          return true;
        }
        return push({
          ...base,
          kind: "tool",
          id: str(body.id),
          name: str(body.name),
          input: undefined,
          ...result,
        });
      }
      case "question":
        return push({
          ...base,
          kind: "question",
          text: str(body.text),
          options: Array.isArray(body.options) ? body.options.map(str) : [],
        });
      case "error":
        return push({ ...base, kind: "error", message: str(body.message), fatal: body.fatal === true });
      case "reply":
        return push({ ...base, kind: "reply", text: str(body.message) });
      case "state_changed":
        return push({
          ...base,
          kind: "state",
          from: str(body.from),
          to: str(body.to),
          ...(body.error ? { error: str(body.error) } : {}),
        });
      case "setup_output": {
        const last = items.at(-1);
        if (last?.kind === "setup") {
          items[items.length - 1] = { ...last, text: last.text + str(body.text) };
          return true;
        }
        return push({ ...base, kind: "setup", text: str(body.text) });
      }
      case "session_finished":
        return push({
          ...base,
          kind: "finished",
          status: str(body.status),
          summary: str(body.summary),
          turns: num(body.turns),
          durationMs: num(body.duration_ms),
        });
      case "land_started":
        return push({
          ...base,
          kind: "land",
          text: `landing onto ${str(body.base)} (${str(body.strategy)})`,
        });
      case "land_progress":
        return push({ ...base, kind: "land", text: str(body.step) });
      case "land_finished":
        return push({ ...base, kind: "land", ...landResult(body) });
      case "stop_requested":
        return push({ ...base, kind: "note", text: "stop requested" });
      case "reattached":
        return push({ ...base, kind: "note", text: `grove re-attached to the agent (pid ${str(body.pid)})` });
      case "archived":
        return push({ ...base, kind: "note", text: `branch tip kept at ${str(body.ref)}` });
      default: {
        const note = pipelineNote(event);
        return note === undefined ? false : push({ ...base, kind: "note", text: note });
      }
    }
  }
}

/** A `land_finished` body as a line, its result, and any test output. */
export function landResult(body: Record<string, unknown>): { text: string; result: string; output?: string } {
  const result = str(body.result);
  const text =
    result === "landed"
      ? `landed as ${str(body.commit).slice(0, 12)}`
      : result === "conflict"
        ? `conflict in ${Array.isArray(body.files) ? body.files.join(", ") : "some files"}`
        : result === "tests-failed"
          ? `tests failed (exit ${str(body.exitCode)}); nothing landed`
          : result === "refused"
            ? `refused: ${str(body.reason)}`
            : `landing failed: ${str(body.message)}`;
  return { text, result, ...(typeof body.output === "string" ? { output: body.output } : {}) };
}

export function buildTranscript(events: readonly StoredEvent[]): TranscriptItem[] {
  const builder = new TranscriptBuilder();
  builder.add(events);
  return builder.items;
}

export interface LandState {
  running: boolean;
  steps: string[];
  result?: { result: string; text: string; output?: string };
}

/** The latest landing attempt in a task's log: its steps so far, and its outcome once known. */
export function latestLanding(events: readonly StoredEvent[]): LandState | undefined {
  let start = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.type === "land_started") {
      start = i;
      break;
    }
  }
  if (start === -1) return undefined;
  const state: LandState = { running: true, steps: [] };
  for (const event of events.slice(start + 1)) {
    if (event.type === "land_progress") state.steps.push(str(event.body.step));
    if (event.type === "land_finished") {
      state.running = false;
      state.result = landResult(event.body);
    }
  }
  return state;
}
