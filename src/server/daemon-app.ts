/**
 * The daemon's HTTP API. The CLI and the dashboard are both clients of it, and both read the
 * same typed change stream (`GET /api/stream`, server-sent events).
 */
import { Hono } from "hono";
import { z } from "zod";
import { collectGarbage, discardTask } from "../orchestrator/cleanup.js";
import type { Db } from "../orchestrator/db.js";
import { diffAgainstBase } from "../orchestrator/git/diff.js";
import type { LandingQueue } from "../orchestrator/landing.js";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { replyToTask, resumeTask, stopTask } from "../orchestrator/task-controls.js";
import { TaskError } from "../orchestrator/task-error.js";
import { AGENTS, TASK_KINDS } from "../orchestrator/task-states.js";
import { formatZodIssues } from "../router/config/resolve-config.js";
import { registerChangeStream } from "./change-stream.js";
import { registerCommentsApi } from "./comments-api.js";
import type { DashboardChanges } from "./dashboard-changes.js";
import { registerPipelineApi } from "./pipeline-api.js";
import type { ReviewCommentStore } from "./review-comments.js";
import { registerRouterApi } from "./router-api.js";
import type { RouterRequestStore } from "./router-requests.js";
import { defaultWebRoot, registerDashboard } from "./static.js";
import { registerWebApi } from "./web-api.js";
import { apiAuth, registerAuthRoutes } from "./web-auth.js";

export interface DaemonAppOptions {
  orchestrator: Orchestrator;
  landing: LandingQueue;
  token: string;
  version: string;
  onShutdown: () => void;
  /** The origins the daemon is reached at, for the dashboard's CSRF check (known once it listens). */
  origins?: () => readonly string[];
  /** Aborted when the daemon shuts down: open change streams end. */
  closing?: AbortSignal;
  /** GROVE_HOME, for the router config the new-task form reads model names from. */
  home?: string;
  /** The task database, for the Board's per-task latest activity. */
  db?: Db;
  /** The built dashboard (default: the package's `dist/web`). */
  webRoot?: string;
  /** Bound beyond loopback: the page's assets need the cookie too, and Origin may match Host. */
  exposed?: boolean;
  /** What only the dashboard reads: router requests, review comments, and their live changes. */
  dashboard: { requests: RouterRequestStore; comments: ReviewCommentStore; changes: DashboardChanges };
}

const newTaskSchema = z
  .object({
    cwd: z.string().min(1),
    prompt: z.string().min(1, "the prompt is empty"),
    agent: z.enum(AGENTS).optional(),
    model: z.string().min(1).optional(),
    kind: z.enum(TASK_KINDS).optional(),
    base: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    yolo: z.boolean().optional(),
    auto: z.boolean().optional(),
  })
  .strict();

export function createDaemonApp(options: DaemonAppOptions): Hono {
  const { orchestrator, landing } = options;
  const app = new Hono();

  app.onError((error, c) => {
    const status = error instanceof TaskError ? error.status : 500;
    return c.json({ error: error.message }, status as 400);
  });
  const auth = {
    token: options.token,
    origins: options.origins ?? (() => []),
    trustHostOrigin: options.exposed === true,
  };
  app.use("/api/*", apiAuth(auth));
  registerAuthRoutes(app, auth);
  registerWebApi(app, {
    orchestrator,
    ...(options.home ? { home: options.home } : {}),
    ...(options.db ? { db: options.db } : {}),
  });
  registerRouterApi(app, { orchestrator, requests: options.dashboard.requests });
  registerCommentsApi(app, {
    orchestrator,
    comments: options.dashboard.comments,
    changes: options.dashboard.changes,
  });

  app.get("/api/health", (c) => c.json({ ok: true, pid: process.pid, version: options.version }));
  app.post("/api/shutdown", (c) => {
    setImmediate(options.onShutdown);
    return c.json({ ok: true });
  });

  registerPipelineApi(app, orchestrator, options.home);
  app.get("/api/tasks", (c) => c.json(orchestrator.tasks.list()));
  app.post("/api/tasks", async (c) => {
    const parsed = newTaskSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new TaskError(formatZodIssues(parsed.error));
    return c.json(await orchestrator.createTask(parsed.data), 201);
  });
  app.get("/api/tasks/:ref", (c) => c.json(orchestrator.task(c.req.param("ref"))));
  app.get("/api/tasks/:ref/events", (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    return c.json(orchestrator.tasks.events(task.id, Number(c.req.query("after") ?? 0)));
  });
  app.get("/api/tasks/:ref/diff", async (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    const base = task.state === "landed" && task.baseCommit ? task.baseCommit : task.baseBranch;
    return c.text(await diffAgainstBase(task.repo, task.branch, base, { stat: c.req.query("stat") === "1" }));
  });
  app.post("/api/tasks/:ref/reply", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { message?: unknown };
    if (typeof body.message !== "string") throw new TaskError("a reply needs a message");
    return c.json(await replyToTask(orchestrator, c.req.param("ref"), body.message));
  });
  app.post("/api/tasks/:ref/stop", (c) => c.json(stopTask(orchestrator, c.req.param("ref"))));
  app.post("/api/tasks/:ref/resume", async (c) => c.json(await resumeTask(orchestrator, c.req.param("ref"))));
  app.post("/api/tasks/:ref/discard", async (c) =>
    c.json(await discardTask(orchestrator, c.req.param("ref"))),
  );
  app.post("/api/tasks/:ref/land", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { strategy?: unknown };
    const strategy =
      body.strategy === undefined ? undefined : z.enum(["rebase", "merge", "squash"]).parse(body.strategy);
    return c.json(await landing.land(c.req.param("ref"), strategy));
  });
  app.post("/api/gc", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { olderThanMs?: unknown; dryRun?: unknown };
    if (typeof body.olderThanMs !== "number" || body.olderThanMs < 0)
      throw new TaskError("gc needs olderThanMs ≥ 0");
    return c.json(await collectGarbage(orchestrator, body.olderThanMs, body.dryRun === true));
  });

  registerChangeStream(app, { orchestrator, changes: options.dashboard.changes, closing: options.closing });
  registerDashboard(app, {
    token: options.token,
    webRoot: options.webRoot ?? defaultWebRoot(),
    assetsNeedCookie: options.exposed === true,
  });
  return app;
}
