/**
 * The dashboard's Router view, Markdown documents and durable review comments, end to end in
 * real headless Chromium against a real daemon process running grove's built-in agent on
 * scripted models (`s`, priced in the router config, and `u`, unpriced). Screenshots of the
 * Router view and a rendered document go to test-artifacts/.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReviewComment } from "../../src/server/review-comments.js";
import type { RouterOverview } from "../../src/server/router-api.js";
import {
  api,
  createTask,
  disposeAll,
  eventsOf,
  makeSandbox,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  type Task,
  taskEvents,
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

/** Dollars per million tokens for provider `s`; provider `u` has no price. */
const PRICE = { input: 3, output: 15 };
const COMMENT = "Keep the full word: say Hello, not Hi.";
const QUOTE = 'src/greet.js:2\n>   return "Hi, " + name + "!";';
const ADDRESSED = "Addressed the comment on src/greet.js:2";
/** A document with Markdown to render and HTML that must never run or survive. */
const NOTES = [
  "# Findings",
  "",
  "The greeting is built in **one place**:",
  "",
  "- `src/greet.js` builds it",
  "- `test/greet.test.js` checks it",
  "",
  "[a safe link](https://example.com/docs) and [a bad one](javascript:window.__pwned=3)",
  "",
  "<script>window.__pwned = 1</script>",
  '<img src="x" onerror="window.__pwned = 2">',
  "",
].join("\n");

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let url: string;
let repo: string;

const testId = (id: string, attributes: Record<string, string | number> = {}) =>
  `[data-testid="${id}"]${Object.entries(attributes)
    .map(([name, value]) => `[data-${name}="${value}"]`)
    .join("")}`;

beforeAll(async () => {
  browser = await launchChromium();
  sandbox = makeSandbox("grove-dash-panels-");
  useScript(sandbox, [
    {
      when: { lastUserContains: "(grove step: review)" },
      repeat: true,
      text: "Fine.\n\nVERDICT: APPROVED\nFINDINGS: none",
    },
    { when: { anyMessageContains: QUOTE }, repeat: true, text: `${ADDRESSED}: Hello again.` },
    {
      when: { turn: 0, lastUserContains: "notes-me" },
      repeat: true,
      toolCalls: [{ name: "write", arguments: { path: "notes/findings.md", content: NOTES } }],
    },
    {
      when: { turn: 0, lastUserContains: "comment-me" },
      repeat: true,
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
    { when: { turn: 0 }, repeat: true, text: "Nothing to change." },
    { when: { turn: 1 }, repeat: true, text: "Done: the change is committed on the task's branch." },
  ]);
  // The same script as an unpriced provider `u`, and a price for `s`.
  const configPath = join(sandbox.home, "router.json");
  const config = JSON.parse(readFileSync(configPath, "utf8"));
  config.providers.u = structuredClone(config.providers.s);
  config.providers.s.pricing = { "*": PRICE };
  writeFileSync(configPath, JSON.stringify(config, null, 2));

  const daemon = await startDaemonProcess(sandbox);
  url = daemon.info.url;
  repo = await sampleRepo(sandbox, "repo");
  page = await (await newDashboardContext(browser)).newPage();
  await signIn(page, daemon.info);
}, 60_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await disposeAll();
});

async function finished(prompt: string, model = "s"): Promise<Task> {
  const created = await createTask(sandbox, { cwd: repo, prompt, model, agent: "builtin" });
  const task = await waitForTask(sandbox, created.id);
  if (task.state !== "done") throw new Error(`task ${task.id} ended ${task.state}: ${task.error}`);
  return task;
}

describe("the dashboard's panels in Chromium", () => {
  it("shows requests per provider and model with their cost where the price is known, live", async () => {
    await Promise.all([
      finished("notes-me: write down the findings"),
      finished("unpriced: look around", "u"),
    ]);
    await page.getByTestId("nav-router").click();
    await page.getByTestId("router-summary").waitFor();
    const mark = await markDocument(page);
    const overview = await api<RouterOverview>(sandbox, "GET", "/api/router");
    const priced = overview.requests.filter((request) => request.provider === "s");
    const unpriced = overview.requests.filter((request) => request.provider === "u");
    expect(priced.length).toBeGreaterThanOrEqual(2);
    expect(unpriced.length).toBeGreaterThanOrEqual(1);

    const row = (provider: string) => page.locator(testId("router-summary-row", { provider }));
    const cell = (provider: string, column: string) => row(provider).locator(`[data-col="${column}"]`);
    expect(await cell("s", "requests").textContent()).toBe(String(priced.length));
    expect(await cell("u", "requests").textContent()).toBe(String(unpriced.length));
    // The cost from the tokens each request used and the configured price, computed here.
    const dollars =
      priced.reduce(
        (sum, request) => sum + request.inputTokens! * PRICE.input + request.outputTokens! * PRICE.output,
        0,
      ) / 1e6;
    expect(dollars).toBeGreaterThan(0);
    // Shown rounded to four decimals (under a cent) or two.
    const shown = Number((await cell("s", "cost").textContent())?.replace(/^\$/, ""));
    expect(Math.abs(shown - dollars)).toBeLessThanOrEqual(dollars < 0.01 ? 0.00005 : 0.005);
    expect(await cell("u", "cost").textContent()).toBe("—");
    expect(await page.locator(testId("router-request")).count()).toBe(overview.requests.length);
    expect(overview.keptDays).toBe(90);
    expect(await page.getByTestId("router-kept").textContent()).toContain("Over the last 90 days");
    await saveScreenshot(page, "router-view");

    // A new task's requests arrive on the open page.
    const next = await createTask(sandbox, {
      cwd: repo,
      prompt: "later: look again",
      model: "s",
      agent: "builtin",
    });
    await page
      .locator(testId("router-request", { "task-id": next.id }))
      .first()
      .waitFor({ timeout: 30_000 });
    await waitFor(
      async () => Number(await cell("s", "requests").textContent()) > priced.length,
      15_000,
      "the s row to count the new requests",
    );
    expect(await documentMark(page)).toBe(mark);
  }, 90_000);

  it("renders a task's notes as Markdown, with nothing executable left in", async () => {
    const [task] = (await api<Task[]>(sandbox, "GET", "/api/tasks")).filter((t) =>
      t.prompt.startsWith("notes-me"),
    );
    await page.goto(`${url}/tasks/${task!.id}?tab=docs`);
    const body = page.getByTestId("document-body");
    await body.waitFor();
    expect(await page.getByTestId("document").getAttribute("data-path")).toBe("notes/findings.md");
    expect(await body.locator("h1").textContent()).toBe("Findings");
    expect(await body.locator("li").allTextContents()).toEqual([
      "src/greet.js builds it",
      "test/greet.test.js checks it",
    ]);
    expect(await body.locator("strong").textContent()).toBe("one place");
    const safe = body.locator('a[href="https://example.com/docs"]');
    expect(await safe.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await body.locator("script").count()).toBe(0);
    expect(await body.locator("[onerror]").count()).toBe(0);
    expect(await body.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await saveScreenshot(page, "task-view-docs");
  }, 30_000);

  it("keeps a comment made in the task view across a reload, shows it in the review queue, and sends it back", async () => {
    const task = await finished("comment-me: shorten the greeting");
    await page.goto(`${url}/tasks/${task.id}?tab=diff`);
    await page.locator(testId("diff-line", { file: "src/greet.js", side: "new", line: 2 })).click();
    await page.getByTestId("comment-input").fill(COMMENT);
    await page.getByTestId("comment-add").click();
    const item = page.locator(testId("comment-item", { file: "src/greet.js", line: 2 }));
    await item.waitFor();

    await page.reload();
    await item.waitFor();
    expect(await item.getAttribute("data-sent")).toBe("false");
    expect(await item.textContent()).toContain(COMMENT);
    const stored = await api<ReviewComment[]>(sandbox, "GET", `/api/tasks/${task.id}/comments`);
    expect(stored).toMatchObject([
      { file: "src/greet.js", line: 2, side: "new", text: COMMENT, sentAt: null },
    ]);

    // The review queue shows the same comment, without a reload.
    const mark = await markDocument(page);
    await page.getByTestId("nav-review").click();
    await waitFor(
      async () => {
        const queue = page.getByTestId("review-queue");
        if ((await queue.count()) === 0) return false;
        if ((await queue.getAttribute("data-task-id")) === String(task.id)) return true;
        await page.getByTestId("review-next").click();
        return false;
      },
      15_000,
      `task ${task.id} in the review queue`,
      100,
    );
    await page
      .locator(`${testId("review-panel")} ${testId("comment-item", { file: "src/greet.js", line: 2 })}`)
      .waitFor();

    // Sent back from the task view: the agent gets the quoted line, and the comment becomes history.
    await page.getByTestId("review-task-link").click();
    await page.getByTestId("task-tab-diff").click();
    await page.getByTestId("task-send-back").click();
    await page.getByTestId("task-send-back-message").getByText("Sent back").waitFor();
    // Kept under "sent back earlier" (collapsed), no longer pending.
    await page
      .locator(
        `${testId("comment-sent")} ${testId("comment-item", { file: "src/greet.js", line: 2, sent: "true" })}`,
      )
      .waitFor({ state: "attached" });
    await page.getByTestId("comment-list-empty").waitFor();
    expect(await documentMark(page)).toBe(mark);
    const reply = eventsOf(await taskEvents(sandbox, task.id), "reply").at(-1)?.body.message as string;
    expect(reply).toContain(`${QUOTE}\n${COMMENT}`);
    await waitFor(
      async () =>
        eventsOf(await taskEvents(sandbox, task.id), "message").some((event) =>
          String(event.body.text).includes(ADDRESSED),
        ),
      30_000,
      "the agent's answer to the comment",
    );
  }, 90_000);
});
