/**
 * `grove serve`: the per-user daemon. One per GROVE_HOME (a lock file says who owns it), on
 * loopback, with a random token that only the user's own files hold (daemon.json, mode 600).
 * Stopping it leaves agents running; the next start re-attaches to them.
 */
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { openDb } from "../orchestrator/db.js";
import { LandingQueue } from "../orchestrator/landing.js";
import { Orchestrator } from "../orchestrator/orchestrator.js";
import { isAlive } from "../orchestrator/supervisor.js";
import { TaskStore } from "../orchestrator/task-store.js";
import { createDaemonApp } from "./daemon-app.js";
import { originsFor } from "./web-auth.js";

export const DEFAULT_DAEMON_PORT = 4777;
export const GROVE_VERSION = "0.1.0";

export interface DaemonInfo {
  pid: number;
  url: string;
  token: string;
  startedAt: string;
}

/** The dashboard's address (the page asks for the token unless opened through `dashboardAuthUrl`). */
export const dashboardUrl = (info: DaemonInfo) => `${info.url}/`;
/** Opens the dashboard signed in: the daemon trades the token for a cookie and redirects to `/`. */
export const dashboardAuthUrl = (info: DaemonInfo) =>
  `${info.url}/auth?token=${encodeURIComponent(info.token)}`;

export const daemonInfoPath = (home: string) => join(home, "daemon.json");

export function readDaemonInfo(home: string): DaemonInfo | undefined {
  try {
    return JSON.parse(readFileSync(daemonInfoPath(home), "utf8")) as DaemonInfo;
  } catch {
    return undefined;
  }
}

export class DaemonStartError extends Error {}

export interface RunningDaemon {
  info: DaemonInfo;
  orchestrator: Orchestrator;
  stop(): Promise<void>;
}

export async function startDaemon(options: {
  home: string;
  port?: number;
  host?: string;
  /** Called once a shutdown requested through the API has finished. */
  onStopped?: () => void;
  /** The built dashboard to serve (default: the package's `dist/web`). */
  webRoot?: string;
}): Promise<RunningDaemon> {
  const { home } = options;
  mkdirSync(home, { recursive: true, mode: 0o700 });
  takeOwnership(home);
  const db = openDb(join(home, "grove.db"));
  const orchestrator = new Orchestrator({ home, store: new TaskStore(db) });
  const landing = new LandingQueue(orchestrator);
  const token = randomBytes(24).toString("hex");
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      orchestrator.close();
      // Open change streams (a dashboard, grove logs -f) end first, or closing would wait for them;
      // their connections, idle once they have, are closed as they get there.
      closing.abort();
      const connections = server as unknown as {
        closeAllConnections?(): void;
        closeIdleConnections?(): void;
      };
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const idle = setInterval(() => connections.closeIdleConnections?.(), 25);
      const force = setTimeout(() => connections.closeAllConnections?.(), 2000);
      await closed;
      clearInterval(idle);
      clearTimeout(force);
      connections.closeAllConnections?.();
      db.close();
      rmSync(daemonInfoPath(home), { force: true });
      rmSync(lockPath(home), { force: true });
    })();
    return stopping;
  };
  const closing = new AbortController();
  let origins: string[] = [];
  const app = createDaemonApp({
    orchestrator,
    landing,
    token,
    version: GROVE_VERSION,
    origins: () => origins,
    closing: closing.signal,
    home,
    db,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    onShutdown: () => void stop().then(() => options.onStopped?.()),
  });
  const host = options.host ?? "127.0.0.1";
  const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? DEFAULT_DAEMON_PORT });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", (error: NodeJS.ErrnoException) => {
      rmSync(lockPath(home), { force: true });
      reject(
        new DaemonStartError(
          error.code === "EADDRINUSE"
            ? `port ${options.port ?? DEFAULT_DAEMON_PORT} is in use (another grove daemon, with another GROVE_HOME?); set GROVE_DAEMON_PORT or pass --port`
            : error.message,
        ),
      );
    });
  });
  const address = server.address() as AddressInfo;
  const info: DaemonInfo = {
    pid: process.pid,
    url: `http://${host}:${address.port}`,
    token,
    startedAt: new Date().toISOString(),
  };
  origins = originsFor(info.url);
  writeFileSync(daemonInfoPath(home), JSON.stringify(info, null, 2), { mode: 0o600 });
  orchestrator.recover();
  return { info, orchestrator, stop };
}

const lockPath = (home: string) => join(home, "daemon.lock");

/** One daemon per GROVE_HOME: a lock file holding the owner's pid; a dead owner's lock is taken over. */
function takeOwnership(home: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath(home), "wx", 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath(home), "utf8"));
      if (isAlive(owner))
        throw new DaemonStartError(`a grove daemon (pid ${owner}) already runs for ${home}`);
      rmSync(lockPath(home), { force: true });
    }
  }
  throw new DaemonStartError(`could not take the daemon lock in ${home}`);
}
