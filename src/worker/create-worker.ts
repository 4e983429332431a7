/**
 * The grove router as a Cloudflare Worker: `{ fetch(request, env, ctx) }` around the same
 * `createRouterApp` that Node serves. One app per isolate (so script and replay providers keep
 * their state between requests), rebuilt only when the Worker's bindings change.
 */
import type { Hono } from "hono";
import { createRouterApp } from "../router/app.js";
import { ConfigError } from "../router/config/resolve-config.js";
import { errorResponse, RouterError } from "../router/errors.js";
import { createLogger, type Logger } from "../router/log.js";
import { sendRecord } from "./log-sink.js";
import { workerRouterConfig } from "./worker-config.js";
import { BINDINGS, type WorkerContext, type WorkerEnv } from "./worker-env.js";

export interface GroveWorker {
  fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response>;
}

export interface GroveWorkerOptions {
  /** The router config bundled into the Worker (router.json); the GROVE_ROUTER_CONFIG binding wins over it. */
  config?: unknown;
}

/** Workers Logs and `wrangler tail` collect console output; no file is written. */
const consoleLogger = (level: Parameters<typeof createLogger>[0]): Logger =>
  createLogger(level, (line) => console.log(line));

export function createGroveWorker(options: GroveWorkerOptions = {}): GroveWorker {
  // Each request's ctx, so a record finished during that request is shipped under its waitUntil.
  const contexts = new WeakMap<Request, WorkerContext>();
  let current: { env: WorkerEnv; app: Hono } | undefined;

  const appFor = (env: WorkerEnv): Hono => {
    if (current?.env === env) return current.app;
    const config = workerRouterConfig(env, options.config);
    const logger = consoleLogger(config.log.level);
    const logUrl = env[BINDINGS.logUrl];
    const logToken = env[BINDINGS.logToken];
    const sink =
      typeof logUrl === "string" && logUrl !== ""
        ? { url: logUrl, ...(typeof logToken === "string" ? { token: logToken } : {}) }
        : undefined;
    // No recorder: recording writes cassette files, and a Worker has no file system.
    const app = createRouterApp({
      config,
      logger,
      ...(sink
        ? {
            onRequest: (record, request) =>
              contexts.get(request)?.waitUntil(sendRecord(sink, record, logger)),
          }
        : {}),
    });
    current = { env, app };
    return app;
  };

  return {
    async fetch(request, env, ctx) {
      let app: Hono;
      try {
        app = appFor(env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(`grove router: ${error.message}`);
        return errorResponse(new RouterError(500, `grove router is misconfigured: ${error.message}`));
      }
      contexts.set(request, ctx);
      return app.fetch(request, env);
    },
  };
}
