/**
 * What the dashboard reads and keeps per task, through a real daemon process running the
 * built-in agent on a scripted model in a sample repository: review comments (durable across a
 * daemon restart, CSRF-checked, delivered by "send back" as one quoted reply), the task's
 * Markdown documents, and the requests its agent's in-process router logged under the task.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReviewComment } from "../../src/server/review-comments.js";
import type { RouterOverview } from "../../src/server/router-api.js";
import type { TaskDocument } from "../../src/server/task-documents.js";
import {
  api,
  createTask,
  type DaemonProcess,
  disposeAll,
  eventsOf,
  makeSandbox,
  readInfo,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  type Task,
  taskEvents,
  useScript,
  waitFor,
  waitForTask,
} from "../orchestrator/harness.js";

const PLAN = "# Plan\n\n1. Shorten the greeting\n2. Keep the tests green\n";
const QUOTE = 'src/greet.js:2\n>   return "Hi, " + name + "!";\nSay Hello.';

let sandbox: Sandbox;
let daemon: DaemonProcess;
let task: Task;

beforeAll(async () => {
  sandbox = makeSandbox("grove-review-api-");
  useScript(sandbox, [
    // The maintenance lane's architect review, should the lane run one: approve.
    {
      when: { lastUserContains: "(grove step: review)" },
      repeat: true,
      text: "Fine.\n\nVERDICT: APPROVED\nFINDINGS: none",
    },
    { when: { anyMessageContains: QUOTE }, repeat: true, text: "Addressed: Hello again.\n\nSTATUS: DONE" },
    {
      when: { turn: 0 },
      repeat: true,
      toolCalls: [
        { name: "write", arguments: { path: "notes/plan.md", content: PLAN } },
        {
          name: "edit",
          arguments: {
            path: "src/greet.js",
            old_string: 'return "Hello, " + name + "!";',
            new_string: 'return "Hi, " + name + "!";',
          },
        },
      ],
    },
    { when: { turn: 1 }, repeat: true, text: "Done.\n\nSTATUS: DONE" },
  ]);
  daemon = await startDaemonProcess(sandbox);
  const repo = await sampleRepo(sandbox);
  task = await waitForTask(
    sandbox,
    (await createTask(sandbox, { cwd: repo, prompt: "shorten it", agent: "builtin" })).id,
  );
  if (task.state !== "done")
    throw new Error(
      `task ${task.state}: ${task.error} ${JSON.stringify(await taskEvents(sandbox, task.id))}`,
    );
}, 60_000);

afterAll(() => disposeAll());

const comments = () => api<ReviewComment[]>(sandbox, "GET", `/api/tasks/${task.id}/comments`);
const post = (path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${readInfo(sandbox.home)!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("review comments, kept by the daemon", () => {
  it("adds, validates and removes comments, and refuses a cross-origin one", async () => {
    expect(await comments()).toEqual([]);
    const added = await api<ReviewComment>(sandbox, "POST", `/api/tasks/${task.id}/comments`, {
      file: "src/greet.js",
      line: 2,
      side: "new",
      code: '  return "Hi, " + name + "!";',
      text: "  Say Hello.  ",
    });
    expect(added).toMatchObject({
      taskId: task.id,
      file: "src/greet.js",
      line: 2,
      text: "Say Hello.",
      sentAt: null,
    });
    const throwaway = await api<ReviewComment>(sandbox, "POST", `/api/tasks/${task.id}/comments`, {
      file: "README.md",
      line: 1,
      side: "old",
      text: "never mind",
    });

    const { token, url } = readInfo(sandbox.home)!;
    const bearer = { authorization: `Bearer ${token}` };
    const empty = await post(
      `/api/tasks/${task.id}/comments`,
      { file: "a", line: 1, side: "new", text: " " },
      bearer,
    );
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("the comment is empty");
    expect(
      (await post("/api/tasks/999/comments", { file: "a", line: 1, side: "new", text: "x" }, bearer)).status,
    ).toBe(404);
    const cookie = { cookie: `grove_token=${token}` };
    const comment = { file: "a", line: 1, side: "new", text: "x" };
    expect(
      (await post(`/api/tasks/${task.id}/comments`, comment, { ...cookie, origin: "https://evil.example" }))
        .status,
    ).toBe(403);
    expect((await post(`/api/tasks/${task.id}/comments`, comment, { ...cookie, origin: url })).status).toBe(
      201,
    );

    const remove = (id: number) =>
      fetch(`${url}/api/tasks/${task.id}/comments/${id}`, { method: "DELETE", headers: bearer });
    expect((await remove(throwaway.id)).status).toBe(200);
    expect((await remove(throwaway.id)).status).toBe(404);
    const kept = await comments();
    expect(kept.map((c) => [c.file, c.line])).toEqual([
      ["src/greet.js", 2],
      ["a", 1],
    ]);
    await api(sandbox, "DELETE", `/api/tasks/${task.id}/comments/${kept[1]!.id}`);
  }, 30_000);

  it("keeps comments across a daemon restart", async () => {
    const before = await comments();
    await api(sandbox, "POST", "/api/shutdown");
    await waitFor(() => daemon.child.exitCode !== null, 10_000, "the daemon to exit");
    daemon = await startDaemonProcess(sandbox);
    expect(await comments()).toEqual(before);
    expect(before).toHaveLength(1);
  }, 30_000);

  it("sends every pending comment back as one reply quoting file, line and code, then marks them sent", async () => {
    const replied = await api<Task>(sandbox, "POST", `/api/tasks/${task.id}/send-back`, {
      note: "Nearly there.",
    });
    expect(replied.id).toBe(task.id);
    const reply = eventsOf(await taskEvents(sandbox, task.id), "reply").at(-1)?.body.message as string;
    expect(reply.startsWith("Nearly there.\n\nReview comments (1)")).toBe(true);
    expect(reply).toContain(QUOTE);
    // The agent answered it: the scripted model says this only to a message with that quote.
    await waitFor(
      async () =>
        eventsOf(await taskEvents(sandbox, task.id), "message").some((event) =>
          String(event.body.text).includes("Addressed: Hello again."),
        ),
      45_000,
      "the agent's answer to the send-back",
    );
    expect((await waitForTask(sandbox, task.id)).state).toBe("done");

    const [sent] = await comments();
    expect(sent!.sentAt).not.toBeNull();
    const { token } = readInfo(sandbox.home)!;
    const again = await post(`/api/tasks/${task.id}/send-back`, {}, { authorization: `Bearer ${token}` });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("nothing to send back");
  }, 60_000);
});

describe("the task's documents and router requests", () => {
  it("lists the Markdown its branch wrote, with its content", async () => {
    const documents = await api<TaskDocument[]>(sandbox, "GET", `/api/tasks/${task.id}/documents`);
    expect(documents.filter((document) => document.source === "branch")).toEqual([
      { path: "notes/plan.md", source: "branch", content: PLAN, truncated: false },
    ]);
    // The maintenance lane's own record: the implementer's report and the architect's review.
    expect(
      documents.filter((document) => document.source === "task").map((document) => document.path),
    ).toEqual(["pipeline/chunk-1-report-1.md", "pipeline/chunk-1-review-1.md"]);
  });

  it("shows the requests the task's agent made through its in-process router", async () => {
    const overview = await api<RouterOverview>(sandbox, "GET", `/api/router?task=${task.id}`);
    // At least the first run's two turns (tool calls, then the final text) and the send-back's.
    expect(overview.requests.length).toBeGreaterThanOrEqual(3);
    expect(
      overview.requests.every((request) => request.taskId === task.id && request.source === "task"),
    ).toBe(true);
    expect(overview.summary).toHaveLength(1);
    expect(overview.summary[0]).toMatchObject({ provider: "s", errors: 0, costUsd: null });
    expect(overview.summary[0]!.requests).toBe(overview.requests.length);
    expect(overview.summary[0]!.outputTokens).toBeGreaterThan(0);
  });
});
