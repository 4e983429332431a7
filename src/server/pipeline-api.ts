/**
 * The inbox, the pipeline view of a task, and triage: `grove inbox/answer/approve/revise/triage`
 * and the dashboard call these.
 */
import type { Hono } from "hono";
import { z } from "zod";
import { type InboxAction, resolveInbox, triageTask } from "../orchestrator/inbox-actions.js";
import type { InboxItem } from "../orchestrator/inbox-store.js";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { loadRepoConfig, repoConfigSchema } from "../orchestrator/repo-config.js";
import { TaskError } from "../orchestrator/task-error.js";
import { formatZodIssues } from "../router/config/resolve-config.js";
import { roleCosts } from "./role-costs.js";

const textBody = z.object({ text: z.string() }).strict();
const triageBody = z.object({ review: z.string() }).strict();

/** An inbox item with enough of its task to show it without a second request. */
function withTask(orchestrator: Orchestrator, item: InboxItem) {
  const task = orchestrator.tasks.get(item.taskId);
  return {
    ...item,
    task: task
      ? { id: task.id, slug: task.slug, branch: task.branch, kind: task.kind, state: task.state }
      : null,
  };
}

async function parse<T>(schema: z.ZodType<T>, request: Request): Promise<T> {
  const parsed = schema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) throw new TaskError(formatZodIssues(parsed.error));
  return parsed.data;
}

function itemId(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new TaskError(`"${raw}" is not an inbox item number (see grove inbox)`);
  return Number(raw);
}

export function registerPipelineApi(app: Hono, orchestrator: Orchestrator, home?: string): void {
  app.get("/api/inbox", (c) =>
    c.json(orchestrator.inbox.pending().map((item) => withTask(orchestrator, item))),
  );
  const resolve = (action: InboxAction) =>
    app.post(`/api/inbox/:id/${action}`, async (c) => {
      const text = action === "approve" ? "" : (await parse(textBody, c.req.raw)).text;
      const item = await resolveInbox(orchestrator, itemId(c.req.param("id")), action, text);
      return c.json(withTask(orchestrator, item));
    });
  resolve("answer");
  resolve("approve");
  resolve("revise");

  app.get("/api/tasks/:ref/pipeline", async (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    const pipeline = orchestrator.pipelines.get(task.id) ?? null;
    const env = home ? { ...process.env, GROVE_HOME: home } : process.env;
    const costs = pipeline
      ? roleCosts(
          task,
          pipeline,
          await loadRepoConfig(task.repo).catch(() => repoConfigSchema.parse({})),
          env,
        )
      : {};
    return c.json({ pipeline, costs, inbox: orchestrator.inbox.forTask(task.id) });
  });
  app.post("/api/tasks/:ref/triage", async (c) => {
    const { review } = await parse(triageBody, c.req.raw);
    return c.json(await triageTask(orchestrator, c.req.param("ref"), review));
  });
}
