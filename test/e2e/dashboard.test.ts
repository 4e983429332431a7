/**
 * The dashboard end to end, in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) against a real daemon process (`grove serve --foreground`, port 0, its own
 * GROVE_HOME) running grove's built-in agent on scripted models in sample repositories.
 *
 * One browser and one daemon for the file; each test has its own repository, so landing one
 * task never conflicts with another's. The scripted tasks are started together up front and
 * run while the first test drives the New task form.
 *
 * Screenshots of the Task view, the Review queue and the Board go to test-artifacts/.
 */
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createTask,
  disposeAll,
  eventsOf,
  git,
  gitOk,
  groveOk,
  isAncestor,
  makeSandbox,
  readInfo,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  type Task,
  taskEvents,
  tip,
  useScript,
  waitFor,
  waitForTask,
} from "../orchestrator/harness.js";
import {
  documentMark,
  launchChromium,
  markDocument,
  newDashboardContext,
  saveScreenshot,
  signIn,
} from "./browser.js";

/** The answer the scripted model gives only when the follow-up quotes the commented line. */
const ADDRESSED = "Addressed the review comment on src/greet.js:2";
const COMMENT = "Keep the full word: say Hello, not Hi.";
/** How the send-back quotes the commented line (its code as the diff shows it, indentation included). */
const QUOTE = 'src/greet.js:2\n>   return "Hi, " + name + "!";';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let url: string;
const repos: Record<string, string> = {};
const started: Record<string, Task> = {};

const writeFile = (path: string, content: string) => ({ name: "write", arguments: { path, content } });

beforeAll(async () => {
  // First, so a machine without Chromium fails at once.
  browser = await launchChromium();
  sandbox = makeSandbox("grove-dash-");
  useScript(sandbox, [
    // An architect review, where the task's lane runs one: approve.
    {
      when: { lastUserContains: "(grove step: review)" },
      repeat: true,
      text: "Looks right.\n\nVERDICT: APPROVED\nFINDINGS: none",
    },
    // The send-back: only a follow-up that quotes the commented line, under its file and line, gets this.
    {
      when: { anyMessageContains: QUOTE },
      repeat: true,
      text: `${ADDRESSED}: the greeting says Hello again.`,
    },
    {
      when: { turn: 0, lastUserContains: "review-me" },
      repeat: true,
      text: "Shortening the greeting.",
      toolCalls: [
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
    {
      when: { turn: 0, lastUserContains: "land-me" },
      repeat: true,
      toolCalls: [writeFile("src/land-me.js", "export const landed = true;\n")],
    },
    {
      when: { turn: 0, lastUserContains: "discard-me" },
      repeat: true,
      toolCalls: [writeFile("notes/discard-me.md", "to be discarded\n")],
    },
    {
      when: { turn: 0, lastUserContains: "cli-land" },
      repeat: true,
      toolCalls: [writeFile("src/cli-land.js", "export const viaCli = true;\n")],
    },
    {
      when: { turn: 0, lastUserContains: "cli-discard" },
      repeat: true,
      toolCalls: [writeFile("notes/cli-discard.md", "discarded from the CLI\n")],
    },
    { when: { turn: 1 }, repeat: true, text: "Done: the change is committed on the task's branch." },
  ]);
  const daemon = await startDaemonProcess(sandbox);
  url = daemon.info.url;
  for (const name of ["form", "review", "land", "discard", "cli"])
    repos[name] = await sampleRepo(sandbox, name);
  // Started now, so they run while the first test drives the form.
  const plan: [string, string, string][] = [
    ["review", "review", "review-me: shorten the greeting"],
    ["land", "land", "land-me: add a module"],
    ["discard", "discard", "discard-me: write a note"],
    ["cliLand", "cli", "cli-land: add a module"],
    ["cliDiscard", "cli", "cli-discard: write a note"],
  ];
  for (const [key, repo, prompt] of plan)
    started[key] = await createTask(sandbox, { cwd: repos[repo]!, prompt, agent: "builtin" });
  page = await (await newDashboardContext(browser)).newPage();
  await signIn(page, daemon.info);
}, 60_000);

afterEach(async ({ task }) => {
  // What the page showed when a test failed, for the failure's report.
  if (task.result?.state === "fail" && !task.fails && page)
    await saveScreenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(
      () => undefined,
    );
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await disposeAll();
});

/** A scripted task that has finished its first run and waits for review. */
async function readyForReview(key: string): Promise<Task> {
  const task = await waitForTask(sandbox, started[key]!.id);
  if (task.state !== "done") {
    const events = await taskEvents(sandbox, task.id);
    throw new Error(`task ${task.id} ended ${task.state}: ${JSON.stringify(events, null, 1)}`);
  }
  return task;
}

const testId = (id: string, attributes: Record<string, string | number> = {}) =>
  `[data-testid="${id}"]${Object.entries(attributes)
    .map(([name, value]) => `[data-${name}="${value}"]`)
    .join("")}`;

/** Opens the review queue (without reloading) and steps through it to task `id`. */
async function openInReview(id: number): Promise<void> {
  await page.getByTestId("nav-review").click();
  await waitFor(
    async () => {
      const queue = page.getByTestId("review-queue");
      if ((await queue.count()) === 0) return false; // the page has not seen the task ready yet
      if ((await queue.getAttribute("data-task-id")) === String(id)) return true;
      await page.getByTestId("review-next").click();
      return false;
    },
    15_000,
    `task ${id} in the review queue`,
    100,
  );
}

describe("the dashboard in Chromium", () => {
  it("creates a task from the New task form and streams its transcript live, then shows its diff", async () => {
    await page.getByTestId("nav-new-task").click();
    await page.getByTestId("new-task-form").waitFor();
    const mark = await markDocument(page);
    // Records, in the page, each state the task view shows and every tool row as it is added,
    // with the state shown at that moment.
    await page.evaluate(() => {
      const seen = { states: [] as string[], toolRows: [] as string[] };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const state = () =>
        document
          .querySelector('[data-testid="task-view"] [data-testid="task-state"]')
          ?.getAttribute("data-state");
      new MutationObserver(() => {
        const current = state();
        if (current && seen.states.at(-1) !== current) seen.states.push(current);
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["data-state"],
      });
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes) {
            if (!(node instanceof Element)) continue;
            const rows = [
              ...(node.matches('[data-testid="transcript-tool"]') ? [node] : []),
              ...node.querySelectorAll('[data-testid="transcript-tool"]'),
            ];
            for (const _row of rows) seen.toolRows.push(state() ?? "none");
          }
      }).observe(document.body, { subtree: true, childList: true });
    });

    await page.getByTestId("new-task-prompt").fill("Make greet() greet the world when no name is given");
    await page.getByTestId("new-task-cwd").fill(repos.form!);
    await page.getByTestId("new-task-agent").selectOption("builtin");
    await page.getByTestId("new-task-model").fill("demo");
    await page.getByTestId("new-task-submit").click();

    const view = page.getByTestId("task-view");
    await view.waitFor();
    const id = Number(await view.getAttribute("data-task-id"));
    expect(page.url()).toBe(`${url}/tasks/${id}`);
    // The demo model reads greet.js, edits it and its test, and runs the tests.
    await page.locator(testId("transcript-tool")).nth(2).waitFor({ timeout: 30_000 });
    await page
      .locator(`${testId("task-view")} ${testId("task-state", { state: "done" })}`)
      .waitFor({ timeout: 30_000 });
    await page.locator(testId("transcript-finished")).last().waitFor();

    const tools = await page.locator(testId("transcript-tool")).allTextContents();
    expect(tools.join("\n")).toMatch(/read[\s\S]*edit[\s\S]*bash/);
    const seen = await page.evaluate(
      () => (window as unknown as { __seen: { states: string[]; toolRows: string[] } }).__seen,
    );
    // Every row arrived on this one document, and some while the page still showed the task running.
    expect(await documentMark(page)).toBe(mark);
    expect(seen.states[0]).not.toBe("done");
    expect(seen.states.at(-1)).toBe("done");
    expect(seen.toolRows.length).toBeGreaterThanOrEqual(3);
    expect(seen.toolRows).toContain("running");
    const task = await waitForTask(sandbox, id);
    expect(task).toMatchObject({ state: "done", agent: "builtin", model: "demo", repo: repos.form });
    await saveScreenshot(page, "task-view");

    await page.getByTestId("task-tab-diff").click();
    expect(page.url()).toBe(`${url}/tasks/${id}?tab=diff`);
    const diff = page.getByTestId("diff-view");
    await diff.waitFor();
    expect(Number(await diff.getAttribute("data-files"))).toBe(2);
    await page.locator(testId("diff-line", { file: "src/greet.js", side: "new", line: 2 })).waitFor();
    expect(await diff.textContent()).toContain('name ?? "world"');
    expect(await documentMark(page)).toBe(mark);
    await saveScreenshot(page, "task-view-diff");
  }, 60_000);

  it("comments on a diff line in the review queue and sends it back to the same agent", async () => {
    const task = await readyForReview("review");
    await openInReview(task.id);
    const mark = await markDocument(page);
    const panel = page.getByTestId("review-panel");
    await panel.locator(testId("diff-view")).waitFor();
    await panel.locator(testId("diff-line", { file: "src/greet.js", side: "new", line: 2 })).click();
    await page.getByTestId("comment-composer").waitFor();
    expect(await page.getByTestId("comment-location").textContent()).toBe("src/greet.js:2");
    await page.getByTestId("comment-input").fill(COMMENT);
    await page.getByTestId("comment-add").click();
    await page.locator(testId("comment-item", { file: "src/greet.js", line: 2 })).waitFor();
    await saveScreenshot(page, "review-queue");

    await page.getByTestId("review-send-back").click();
    await page.getByText("Sent back: the agent is working on it.").waitFor();

    // The follow-up reached the agent: stored as a reply quoting the file, the line and its code.
    let reply: string | undefined;
    await waitFor(
      async () => {
        reply = eventsOf(await taskEvents(sandbox, task.id), "reply")[0]?.body.message as string | undefined;
        return reply !== undefined;
      },
      15_000,
      "the reply event",
    );
    expect(reply).toContain("src/greet.js:2");
    expect(reply).toContain(`${QUOTE}\n${COMMENT}`);
    // …and the scripted model answered it, which it does only for a message with that quote.
    // A run after the ones the task had when it was sent back (a lane may have run a review too).
    const after = await waitForTask(
      sandbox,
      task.id,
      (current) => current.runs > task.runs && current.state === "done",
    );
    expect(after.summary).toContain(ADDRESSED);
    const messages = eventsOf(await taskEvents(sandbox, task.id), "message").map((event) => event.body.text);
    expect(messages.at(-1)).toContain(ADDRESSED);
    // The page followed along: the review panel shows the new summary.
    await page.getByTestId("review-summary").getByText(ADDRESSED).waitFor();
    expect(await documentMark(page)).toBe(mark);
  }, 60_000);

  it("lands from the review queue and advances the base branch", async () => {
    const task = await readyForReview("land");
    const repo = repos.land!;
    const before = tip(repo, "main");
    await openInReview(task.id);
    await page.getByTestId("review-panel").locator(testId("diff-view")).waitFor();
    await page.getByTestId("review-land").click();
    await page
      .locator(`${testId("review-panel")} ${testId("task-state", { state: "landed" })}`)
      .waitFor({ timeout: 30_000 });
    await page.locator(`${testId("review-tests")} ${testId("land-status", { result: "landed" })}`).waitFor();

    const after = tip(repo, "main");
    expect(after).not.toBe(before);
    expect(isAncestor(repo, before, after)).toBe(true);
    expect(git(repo, ["show", "main:src/land-me.js"])).toBe("export const landed = true;");
    const landed = await waitForTask(sandbox, task.id);
    expect(landed.state).toBe("landed");
    expect(landed.landedCommit).toBe(after);
  }, 60_000);

  it("discards from the task view after confirming, keeping the work under refs/grove/archive", async () => {
    const task = await readyForReview("discard");
    const repo = repos.discard!;
    const branchTip = tip(repo, task.branch);
    await page.goto(`${url}/tasks/${task.id}`);
    const state = page.locator(`${testId("task-view")} ${testId("task-state")}`);
    await page.locator(`${testId("task-view")} ${testId("task-state", { state: "done" })}`).waitFor();

    // Cancel first: nothing happens.
    await page.getByTestId("task-discard").click();
    await page.getByTestId("confirm-dialog").waitFor();
    await page.getByTestId("confirm-cancel").click();
    await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
    expect(await state.getAttribute("data-state")).toBe("done");
    expect((await waitForTask(sandbox, task.id)).state).toBe("done");

    await page.getByTestId("task-discard").click();
    const dialog = page.getByTestId("confirm-dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      "the branch tip is kept under refs/grove/archive/, and the task's log names the ref",
    );
    await page.getByTestId("confirm-ok").click();
    await page.locator(`${testId("task-view")} ${testId("task-state", { state: "discarded" })}`).waitFor();
    // The log names the ref the tip went to.
    await page
      .getByTestId("transcript-note")
      .filter({ hasText: new RegExp(`branch tip kept at refs/grove/archive/${task.id}$`) })
      .waitFor();

    expect(gitOk(repo, ["rev-parse", "--verify", `refs/grove/archive/${task.id}`])).toBe(true);
    expect(tip(repo, `refs/grove/archive/${task.id}`)).toBe(branchTip);
    expect(existsSync(task.worktree)).toBe(false);
    expect((await waitForTask(sandbox, task.id)).state).toBe("discarded");
  }, 60_000);

  it("shows state changes made from the CLI without a reload", async () => {
    const toLand = await readyForReview("cliLand");
    const toDiscard = await readyForReview("cliDiscard");
    const repo = repos.cli!;

    // The task view follows `grove land`.
    await page.goto(`${url}/tasks/${toLand.id}`);
    await page.locator(`${testId("task-view")} ${testId("task-state", { state: "done" })}`).waitFor();
    const mark = await markDocument(page);
    await groveOk(sandbox, ["land", String(toLand.id)], { cwd: repo });
    await page
      .locator(`${testId("task-view")} ${testId("task-state", { state: "landed" })}`)
      .waitFor({ timeout: 15_000 });
    expect(git(repo, ["show", "main:src/cli-land.js"])).toBe("export const viaCli = true;");

    // The Board follows `grove discard`: the card moves from review to discarded.
    await page.getByTestId("nav-board").click();
    await page.getByTestId("board-show-discarded").check();
    const card = (column: string, id: number) =>
      page.locator(`${testId(`board-column-${column}`)} ${testId("task-card", { "task-id": id })}`);
    await card("review", toDiscard.id).waitFor();
    await card("landed", toLand.id).waitFor();
    await groveOk(sandbox, ["discard", String(toDiscard.id)], { cwd: repo });
    await card("discarded", toDiscard.id).waitFor({ timeout: 15_000 });
    expect(await card("discarded", toDiscard.id).getAttribute("data-state")).toBe("discarded");
    expect(await card("review", toDiscard.id).count()).toBe(0);
    expect(gitOk(repo, ["rev-parse", "--verify", `refs/grove/archive/${toDiscard.id}`])).toBe(true);
    expect(await documentMark(page)).toBe(mark);

    // What the Board shows now: every task of this file, each in its state's column.
    const tasks = await api<Task[]>(sandbox, "GET", "/api/tasks");
    const column = { done: "review", landed: "landed", discarded: "discarded" } as Record<string, string>;
    for (const name of new Set(Object.values(column))) {
      const expected = tasks.filter((task) => column[task.state] === name).length;
      const count = page.getByTestId(`board-column-${name}`);
      expect(Number(await count.getAttribute("data-count"))).toBe(expected);
    }
    expect(tasks.every((task) => task.state in column)).toBe(true);
    await saveScreenshot(page, "board");
  }, 60_000);

  it("asks a browser without the cookie for the token", async () => {
    const context = await newDashboardContext(browser);
    try {
      const fresh = await context.newPage();
      const response = await fresh.goto(`${url}/`);
      expect(response?.status()).toBe(401);
      await fresh.getByTestId("auth-form").waitFor();
      expect(await fresh.getByTestId("board").count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 30_000);

  // The sign-in form posts with a real Origin (not `null`), so the CSRF check lets it through.
  it("signs in with a token pasted into the form", async () => {
    const context = await newDashboardContext(browser);
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${url}/`);
      await fresh.getByTestId("auth-token-input").fill(readInfo(sandbox.home)!.token);
      const [posted] = await Promise.all([
        fresh.waitForResponse((response) => response.request().method() === "POST"),
        fresh.getByTestId("auth-submit").click(),
      ]);
      expect(posted.status(), await posted.text().catch(() => "")).toBe(303);
      await fresh.getByTestId("board").waitFor({ timeout: 10_000 });
      await fresh.locator(testId("stream-status", { status: "live" })).waitFor({ timeout: 10_000 });
      expect(fresh.url()).toBe(`${url}/`);
    } finally {
      await context.close();
    }
  }, 30_000);
});
