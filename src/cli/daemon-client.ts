/** The CLI's side of the daemon: find it (starting it when needed) and call its API. */
import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";
import { groveNodeFlags } from "../node/gc-mode.js";
import { groveHome } from "../node/paths.js";
import { type DaemonInfo, readDaemonInfo } from "../server/daemon.js";
import { CliError } from "./errors.js";

const GROVE_MAIN = fileURLToPath(new URL("./main.js", import.meta.url));

export class DaemonClient {
  constructor(readonly info: DaemonInfo) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.info.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.info.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError(`the grove daemon at ${this.info.url} did not answer: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      const message = (() => {
        try {
          return (JSON.parse(text) as { error?: string }).error ?? text;
        } catch {
          return text;
        }
      })();
      throw new CliError(message, response.status === 404 ? 4 : 1);
    }
    return (response.headers.get("content-type") ?? "").includes("json")
      ? (JSON.parse(text) as T)
      : (text as T);
  }

  /** Follows the change stream until `onChange` returns true or the connection ends. */
  async follow(path: string, onChange: (kind: string, data: unknown) => boolean | undefined): Promise<void> {
    const controller = new AbortController();
    const response = await fetch(`${this.info.url}${path}`, {
      headers: { authorization: `Bearer ${this.info.token}` },
      signal: controller.signal,
    });
    if (!response.ok || !response.body)
      throw new CliError(`cannot follow ${path}: ${response.status} ${await response.text()}`);
    let done = false;
    const parser = createParser({
      onEvent: (message) => {
        if (!done && onChange(message.event ?? "message", JSON.parse(message.data))) {
          done = true;
          controller.abort();
        }
      },
    });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done: ended, value } = await reader.read();
        if (ended) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      if (!done) throw error;
    }
  }
}

/** The address a daemon started from here listens on: GROVE_DAEMON_HOST, default loopback. */
export function daemonHost(): string {
  return process.env.GROVE_DAEMON_HOST || "127.0.0.1";
}

export function daemonPort(): number {
  const value = process.env.GROVE_DAEMON_PORT;
  return value === undefined || value === "" ? 4777 : Number(value);
}

export async function findDaemon(home = groveHome()): Promise<DaemonClient | undefined> {
  const info = readDaemonInfo(home);
  if (!info) return undefined;
  try {
    const response = await fetch(`${info.url}/api/health`, {
      headers: { authorization: `Bearer ${info.token}` },
      signal: AbortSignal.timeout(2000),
    });
    return response.ok ? new DaemonClient(info) : undefined;
  } catch {
    return undefined;
  }
}

/** The running daemon, started in the background when there is none. */
export async function connectDaemon(home = groveHome()): Promise<DaemonClient> {
  const running = await findDaemon(home);
  if (running) return running;
  const logs = join(home, "logs");
  mkdirSync(logs, { recursive: true });
  const log = openSync(join(logs, "daemon.log"), "a");
  const child = spawn(process.execPath, [...groveNodeFlags(), GROVE_MAIN, "serve", "--foreground"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, GROVE_HOME: home },
  });
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  for (let attempt = 0; attempt < 200; attempt++) {
    const client = await findDaemon(home);
    if (client) return client;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve("waiting"), 50)),
    ]);
    if (code !== "waiting")
      throw new CliError(`the grove daemon failed to start (exit ${code}); see ${join(logs, "daemon.log")}`);
  }
  throw new CliError(`the grove daemon did not start within 10 s; see ${join(logs, "daemon.log")}`);
}
