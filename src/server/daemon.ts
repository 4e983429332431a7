/**
 * `grove serve`: the per-user daemon. One per GROVE_HOME (a lock file says who owns it), on
 * loopback by default, with a token that only the user's own files hold (daemon.json, mode 600).
 * `--host` binds it beyond loopback; then every request, the page's assets included, needs the
 * token (see daemon-token.ts). Stopping it leaves agents running; the next start re-attaches.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { openDb } from "../orchestrator/db.js";
import { LandingQueue } from "../orchestrator/landing.js";
import { Orchestrator } from "../orchestrator/orchestrator.js";
import { isAlive } from "../orchestrator/supervisor.js";
import { TaskStore } from "../orchestrator/task-store.js";
import { createDaemonApp } from "./daemon-app.js";
import { DaemonTokenError, isExposedHost, isWildcardHost, resolveDaemonToken } from "./daemon-token.js";
import { DashboardChanges } from "./dashboard-changes.js";
import { RequestLogFollower } from "./request-log-follower.js";
import { ReviewCommentStore } from "./review-comments.js";
import { RouterRequestStore, requestDays } from "./router-requests.js";
import { originsFor } from "./web-auth.js";

export const DEFAULT_DAEMON_PORT = 4777;
export const GROVE_VERSION = "0.1.0";

export interface DaemonInfo {
  pid: number;
  /** Where this machine's CLI reaches it (loopback when bound to every interface). */
  url: string;
  token: string;
  startedAt: string;
  /** The address it listens on (127.0.0.1, 0.0.0.0, …). */
  host?: string;
  /** Bound beyond loopback: the addresses other machines reach it at. */
  remoteUrls?: string[];
}

/** The dashboard's address (the page asks for the token unless opened through `dashboardAuthUrl`). */
export const dashboardUrl = (info: DaemonInfo) => `${info.url}/`;
/** Opens the dashboard signed in: the daemon trades the token for a cookie and redirects to `/`. */
export const dashboardAuthUrl = (info: DaemonInfo, base = info.url) =>
  `${base}/auth?token=${encodeURIComponent(info.token)}`;

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
  const keepDays = requestDays(); // A bad GROVE_ROUTER_REQUEST_DAYS stops the start, before anything is taken.
  mkdirSync(home, { recursive: true, mode: 0o700 });
  takeOwnership(home);
  const host = options.host ?? "127.0.0.1";
  let token: string;
  try {
    token = resolveDaemonToken(home, host);
  } catch (error) {
    rmSync(lockPath(home), { force: true });
    throw error instanceof DaemonTokenError ? new DaemonStartError(error.message) : error;
  }
  const db = openDb(join(home, "grove.db"));
  const orchestrator = new Orchestrator({ home, store: new TaskStore(db) });
  const landing = new LandingQueue(orchestrator);
  const changes = new DashboardChanges();
  const requests = new RouterRequestStore(db, keepDays);
  const requestLog = new RequestLogFollower(home, requests, (stored) => {
    for (const request of stored) changes.publish({ kind: "router_request", request });
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      orchestrator.close();
      requestLog.close();
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
    exposed: isExposedHost(host),
    dashboard: { requests, comments: new ReviewCommentStore(db), changes },
    onShutdown: () => void stop().then(() => options.onStopped?.()),
  });
  const server = serve({
    fetch: app.fetch,
    hostname: host.replace(/^\[(.*)\]$/, "$1"),
    port: options.port ?? DEFAULT_DAEMON_PORT,
  });
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
  const remoteUrls = isExposedHost(host) ? reachableUrls(host, address.port) : [];
  const info: DaemonInfo = {
    pid: process.pid,
    url: `http://${localHost(host)}:${address.port}`,
    token,
    startedAt: new Date().toISOString(),
    host,
    ...(remoteUrls.length > 0 ? { remoteUrls } : {}),
  };
  origins = [info.url, ...remoteUrls].flatMap(originsFor);
  writeFileSync(daemonInfoPath(home), JSON.stringify(info, null, 2), { mode: 0o600 });
  orchestrator.recover();
  requestLog.start();
  return { info, orchestrator, stop };
}

const lockPath = (home: string) => join(home, "daemon.lock");

const bracketed = (host: string) => (host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);

/** The host this machine's CLI connects to: loopback for a bind on every interface. */
function localHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (isWildcardHost(host)) return "[::1]";
  return bracketed(host);
}

/** Every interface's IPv4 address for a bind on all of them, else the bound address itself. */
function reachableUrls(host: string, port: number): string[] {
  if (!isWildcardHost(host)) return [`http://${bracketed(host)}:${port}`];
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => address.family === "IPv4" && !address.internal)
    .map((address) => `http://${address.address}:${port}`);
}

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
