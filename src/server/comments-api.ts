/**
 * Review comments over the API: list, add and remove a task's comments, and "send back", which
 * delivers every pending comment (with an optional general note) to the agent as one reply and
 * marks them sent. Each change is published so every open page shows it.
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { replyToTask } from "../orchestrator/task-controls.js";
import { TaskError } from "../orchestrator/task-error.js";
import { formatZodIssues } from "../router/config/resolve-config.js";
import type { DashboardChanges } from "./dashboard-changes.js";
import type { ReviewCommentStore } from "./review-comments.js";
import { formatSendBack } from "./send-back.js";

const newCommentSchema = z
  .object({
    file: z.string().min(1).max(4096),
    line: z.number().int().min(0),
    side: z.enum(["new", "old"]),
    code: z.string().max(20_000).default(""),
    text: z.string().trim().min(1, "the comment is empty").max(50_000),
  })
  .strict();

const sendBackSchema = z.object({ note: z.string().max(50_000).optional() }).strict();

export function registerCommentsApi(
  app: Hono,
  options: { orchestrator: Orchestrator; comments: ReviewCommentStore; changes: DashboardChanges },
): void {
  const { orchestrator, comments, changes } = options;
  const publish = (taskId: number) =>
    changes.publish({ kind: "comments", taskId, comments: comments.list(taskId) });

  app.get("/api/tasks/:ref/comments", (c) => c.json(comments.list(orchestrator.task(c.req.param("ref")).id)));

  app.post("/api/tasks/:ref/comments", async (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    const parsed = newCommentSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new TaskError(formatZodIssues(parsed.error));
    const added = comments.add(task.id, parsed.data);
    publish(task.id);
    return c.json(added, 201);
  });

  app.delete("/api/tasks/:ref/comments/:id", (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    if (!comments.remove(task.id, Number(c.req.param("id"))))
      throw new TaskError(`no pending comment ${c.req.param("id")} on task ${task.id}`, 404);
    publish(task.id);
    return c.json({ ok: true });
  });

  app.post("/api/tasks/:ref/send-back", async (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    const parsed = sendBackSchema.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) throw new TaskError(formatZodIssues(parsed.error));
    const pending = comments.pending(task.id);
    const message = formatSendBack(pending, parsed.data.note ?? "");
    if (!message) throw new TaskError("nothing to send back: comment on a line (or write a note) first");
    const replied = await replyToTask(orchestrator, String(task.id), message);
    // Only what this message carried: a comment added meanwhile stays pending for the next one.
    comments.markSent(pending.map((comment) => comment.id));
    publish(task.id);
    return c.json(replied);
  });
}
