/**
 * The real grove daemon as a child process (`node dist/cli/main.js serve --foreground` with its
 * own GROVE_HOME and a free port), its HTTP API, and a follower of its change stream
 * (`GET /api/stream`) that records when this process saw each task enter each state.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createParser } from "eventsource-parser";
import { type ServerChild, startServerChild } from "./child.js";

export interface GroveDaemon {
  server: ServerChild;
  pid: number;
  url: string;
  token: string;
  /** Calls the API; rejects on a non-2xx answer. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** The parent's environment without anything that changes what grove or an agent does. */
export function cleanGroveEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(ANTHROPIC_|CLAUDE|GROVE_|OPENAI_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export async function startGroveDaemon(options: {
  root: string;
  home: string;
  env: NodeJS.ProcessEnv;
  nodeArgs?: string[];
}): Promise<GroveDaemon> {
  const server = await startServerChild(
    "daemon",
    process.execPath,
    [...(options.nodeArgs ?? []), "dist/cli/main.js", "serve", "--foreground"],
    {
      cwd: options.root,
      env: { ...options.env, GROVE_HOME: options.home, GROVE_DAEMON_PORT: "0" },
      ready: /grove daemon listening on (\S+)/,
    },
  );
  const info = JSON.parse(readFileSync(join(options.home, "daemon.json"), "utf8")) as {
    pid: number;
    url: string;
    token: string;
  };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${info.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${info.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { server, pid: info.pid, url: info.url, token: info.token, api, stop: () => server.stop(10_000) };
}

/** The fields of a task the benchmark reads. */
export interface TaskView {
  id: number;
  state: string;
  error: string | null;
  worktree: string;
  branch: string;
}

export interface TaskEvent {
  taskId: number;
  seq: number;
  /** The daemon's clock (ISO, ms). */
  ts: string;
  type: string;
  body: Record<string, unknown>;
}

/**
 * Follows `/api/stream` for the whole run. For every task it keeps the latest view, the
 * `performance.now()` at which this process first saw it in each state, and its events.
 */
export class TaskWatcher {
  readonly tasks = new Map<number, TaskView>();
  readonly seenAt = new Map<number, Map<string, number>>();
  readonly events = new Map<number, TaskEvent[]>();
  /** SSE messages received so far (task changes and events). */
  messages = 0;
  private readonly waiters = new Set<() => void>();
  private readonly controller = new AbortController();
  private failure: Error | undefined;

  static async connect(daemon: GroveDaemon): Promise<TaskWatcher> {
    const watcher = new TaskWatcher();
    const response = await fetch(`${daemon.url}/api/stream`, {
      headers: { authorization: `Bearer ${daemon.token}` },
      signal: watcher.controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`GET /api/stream: ${response.status}`);
    void watcher.read(response.body);
    return watcher;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({
      onEvent: (message) => {
        const now = performance.now();
        this.messages += 1;
        const data = JSON.parse(message.data) as TaskView | TaskEvent;
        if (message.event === "task") {
          const task = data as TaskView;
          this.tasks.set(task.id, task);
          const seen = this.seenAt.get(task.id) ?? new Map<string, number>();
          if (!seen.has(task.state)) seen.set(task.state, now);
          this.seenAt.set(task.id, seen);
        } else if (message.event === "event") {
          const event = data as TaskEvent;
          const list = this.events.get(event.taskId) ?? [];
          list.push(event);
          this.events.set(event.taskId, list);
        }
        for (const wake of [...this.waiters]) wake();
      },
    });
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      this.failure = new Error("the daemon closed /api/stream");
    } catch (error) {
      if (!this.controller.signal.aborted) this.failure = error as Error;
    }
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `done()` holds (checked on every message); rejects after `timeoutMs`. */
  waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (this.failure) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(this.failure);
        } else if (done()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.controller.abort();
  }
}
