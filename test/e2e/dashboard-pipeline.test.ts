/**
 * The dashboard's Inbox and Pipeline tab, end to end in real headless Chromium against a real
 * daemon process: `grove plan` (no --auto) with the built-in agent on the scripted demo model,
 * on the sample repository. The demo's brainstorm ends DESIGN READY at once, so the first thing
 * waiting for the user is the spec gate. The page sends the spec back once from the Pipeline tab,
 * then approves the new spec from the Inbox, and follows the task through its reviewed chunks,
 * the final review and the tests to done. Screenshots of the Inbox and the Pipeline tab go to
 * test-artifacts/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { InboxItem } from "../../src/orchestrator/inbox-store.js";
import {
  api,
  disposeAll,
  eventsOf,
  getTask,
  groveOk,
  makeSandbox,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  taskEvents,
  waitFor,
} from "../orchestrator/harness.js";
import {
  documentMark,
  launchChromium,
  markDocument,
  newDashboardContext,
  saveScreenshot,
  signIn,
} from "./browser.js";

const IDEA = "Greet people in their own language: French and Spanish";
const REVISION = "Say in the Goal that greet() keeps its contract.";

type ListedItem = InboxItem & { task: { id: number; slug: string } | null };

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let url: string;
let repo: string;
let taskId: number;

const testId = (id: string, attributes: Record<string, string | number> = {}) =>
  `[data-testid="${id}"]${Object.entries(attributes)
    .map(([name, value]) => `[data-${name}="${value}"]`)
    .join("")}`;
const inbox = () => api<ListedItem[]>(sandbox, "GET", "/api/inbox");
const texts = (selector: string) => page.locator(selector).allTextContents();

beforeAll(async () => {
  browser = await launchChromium();
  sandbox = makeSandbox("grove-dash-pipeline-");
  const daemon = await startDaemonProcess(sandbox);
  url = daemon.info.url;
  repo = await sampleRepo(sandbox, "repo");
  page = await (await newDashboardContext(browser)).newPage();
  await signIn(page, daemon.info);
}, 60_000);

afterEach(async ({ task }) => {
  if (task.result?.state === "fail" && page)
    await saveScreenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(
      () => undefined,
    );
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await disposeAll();
});

describe("the inbox and the pipeline in Chromium", () => {
  it("counts the spec gate in the nav as it opens, and lists it in the Inbox with its task", async () => {
    const mark = await markDocument(page);
    expect(await page.locator(testId("nav-inbox-count")).count()).toBe(0);
    const stdout = await groveOk(sandbox, ["plan", "--agent", "builtin", "--model", "demo", IDEA], {
      cwd: repo,
    });
    taskId = Number(stdout.trim().split("\n")[0]);
    expect(taskId).toBeGreaterThan(0);

    // The badge appears on the open page, without a reload.
    const count = page.getByTestId("nav-inbox-count");
    await count.waitFor({ timeout: 60_000 });
    expect(await count.textContent()).toBe("1");
    const [gate] = await inbox();
    expect(gate).toMatchObject({ taskId, kind: "gate", stage: "spec" });

    await page.getByTestId("nav-inbox").click();
    const item = page.locator(testId("inbox-item", { "item-id": gate!.id }));
    await item.waitFor();
    expect(await item.getAttribute("data-kind")).toBe("gate");
    expect(await item.getAttribute("data-task-id")).toBe(String(taskId));
    expect(await item.getByTestId("inbox-item-kind").textContent()).toBe("gate");
    expect(await item.getByTestId("inbox-item-stage").textContent()).toBe("spec approval");
    expect(await item.getByTestId("inbox-item-task").textContent()).toBe(`#${taskId} ${gate!.task!.slug}`);
    expect(await item.getByTestId("inbox-item-age").textContent()).toMatch(/^waiting \d+s$/);
    // The item's text, as Markdown: the same words the CLI shows.
    const body = (await item.getByTestId("inbox-item-text").textContent()) ?? "";
    expect(body).toContain("Greetings in other languages");
    expect(body).toContain("Approve it, or ask for revisions.");
    expect(await groveOk(sandbox, ["inbox"])).toContain(`#${gate!.id}  gate · spec · task ${taskId}`);
    // A gate offers Approve and Revise; Revise needs its text.
    expect(await item.getByTestId("inbox-approve").isEnabled()).toBe(true);
    expect(await item.getByTestId("inbox-revise").isDisabled()).toBe(true);
    expect(await item.getByTestId("inbox-answer-input").count()).toBe(0);
    await saveScreenshot(page, "inbox");
    expect(await documentMark(page)).toBe(mark);
  }, 90_000);

  it("shows where the pipeline waits, and sends the spec back from the Pipeline tab", async () => {
    const [first] = await inbox();
    await page
      .locator(testId("inbox-item", { "item-id": first!.id }))
      .getByTestId("inbox-item-task")
      .click();
    const panel = page.getByTestId("pipeline-panel");
    await panel.waitFor();
    expect(new URL(page.url()).search).toBe("?tab=pipeline");
    expect(await panel.getAttribute("data-lane")).toBe("feature");
    expect(await page.getByTestId("pipeline-step").textContent()).toBe("Waiting for you: spec approval");
    // The stages come from the task's event stream, which may arrive after the pipeline's view.
    await expect
      .poll(() => texts(`${testId("pipeline-stage")} .stage-name`))
      .toEqual(["Brainstorm", "Spec", "Waiting for you: spec approval"]);
    // The architect ran twice (brainstorm, spec) on the unpriced demo model.
    const architect = page.locator(testId("pipeline-cost-row", { role: "architect" }));
    expect(await architect.locator('[data-col="runs"]').textContent()).toBe("2");
    expect(await architect.locator('[data-col="cost"]').textContent()).toBe("—");
    await saveScreenshot(page, "task-view-pipeline-gate");
    // A reply would be refused at a gate, so none is offered; other tabs point to the gate.
    expect(await page.getByTestId("task-reply-input").count()).toBe(0);
    await page.getByTestId("task-tab-transcript").click();
    const notice = page.getByTestId("task-inbox-notice");
    expect(await notice.textContent()).toMatch(
      /^Waiting for you: spec approval\. Answer it in the Pipeline tab$/,
    );
    await notice.getByRole("link").click();
    await panel.waitFor();
    // The open gate, with the Inbox's actions, in the task's own view.
    const card = page.locator(`${testId("pipeline-open")} ${testId("inbox-item", { "item-id": first!.id })}`);
    await card.getByTestId("inbox-revise-input").fill(REVISION);
    await card.getByTestId("inbox-revise").click();

    // The architect writes the spec again: a new gate, and the old one shows it was revised.
    const second = page.locator(`${testId("pipeline-open")} ${testId("inbox-item")}`);
    await waitFor(
      async () =>
        (await second.count()) === 1 && (await second.getAttribute("data-item-id")) !== String(first!.id),
      60_000,
      "the revised spec's new gate",
    );
    const outcomes = await page
      .locator(testId("pipeline-stage", { step: "gate" }))
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-outcome")));
    expect(outcomes).toEqual(["revised", ""]);
    const events = await taskEvents(sandbox, taskId);
    expect(eventsOf(events, "inbox_resolved").map((event) => event.body)).toEqual([
      { item: first!.id, resolution: "revised", response: REVISION },
    ]);
    expect(await page.getByTestId("nav-inbox-count").textContent()).toBe("1");
  }, 90_000);

  it("shows a refused action inline, beside the item", async () => {
    // A page that still lists the revised item (as a stale tab would) and tries to approve it.
    const stale = (await api<{ inbox: InboxItem[] }>(sandbox, "GET", `/api/tasks/${taskId}/pipeline`)).inbox
      .filter((item) => item.resolution === "revised")
      .map((item) => ({ ...item, resolvedAt: null, resolution: null, response: null, task: null }));
    await page.route("**/api/inbox", (route) => route.fulfill({ json: stale }));
    try {
      await page.goto(`${url}/inbox`);
      const item = page.locator(testId("inbox-item", { "item-id": stale[0]!.id }));
      await item.getByTestId("inbox-approve").click();
      const error = item.getByTestId("inbox-error");
      await error.waitFor();
      expect(await error.textContent()).toBe(`inbox item ${stale[0]!.id} was already revised`);
    } finally {
      await page.unroute("**/api/inbox");
    }
  }, 30_000);

  it("approves the spec from the Inbox and follows the task through its chunks and reviews to done", async () => {
    await page.goto(`${url}/inbox`);
    const [gate] = await inbox();
    expect(gate).toMatchObject({ taskId, kind: "gate", stage: "spec" });
    const item = page.locator(testId("inbox-item", { "item-id": gate!.id }));
    await item.getByTestId("inbox-approve").click();
    // Gone at once, and the Inbox is empty.
    await page.getByTestId("inbox-empty").waitFor();
    await page.getByTestId("nav-inbox-count").waitFor({ state: "detached" });
    expect(await inbox()).toEqual([]);

    await page.goto(`${url}/tasks/${taskId}?tab=pipeline`);
    // Later steps arrive live, through the chunks, to the review queue.
    await page
      .getByTestId("pipeline-stage")
      .filter({ hasText: "Implement" })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.locator(testId("pipeline-panel", { step: "ready" })).waitFor({ timeout: 120_000 });
    expect((await getTask(sandbox, taskId)).state).toBe("done");
    await page.locator(testId("task-state", { state: "done" })).waitFor();
    expect(await page.getByTestId("pipeline-step").textContent()).toBe("Ready for review");
    expect(await page.getByTestId("pipeline-chunk").textContent()).toBe("2 of 2");

    const rows = await page
      .getByTestId("pipeline-stage")
      .evaluateAll((stages) =>
        stages.map((stage) => [
          stage.getAttribute("data-step"),
          stage.querySelector('[data-testid="pipeline-stage-place"]')?.textContent ?? "",
          stage.getAttribute("data-outcome"),
        ]),
      );
    expect(rows.slice(-10)).toEqual([
      ["plan", "", "plan check passed"],
      ["implement", "chunk 1/2", ""],
      ["review", "chunk 1/2 · round 1", "CHANGES_REQUESTED"],
      ["fix", "chunk 1/2 · round 1", ""],
      ["review", "chunk 1/2 · round 2", "APPROVED"],
      ["implement", "chunk 2/2", ""],
      ["review", "chunk 2/2 · round 1", "APPROVED"],
      ["final-review", "", "APPROVED"],
      ["verify", "", "tests passed"],
      ["ready", "", ""],
    ]);
    expect(rows.filter(([step]) => step === "gate").map(([, , outcome]) => outcome)).toEqual([
      "revised",
      "approved",
    ]);
    // Every role's tokens and runs, as the daemon counted them; the demo model has no price.
    const { costs } = await api<{ costs: Record<string, { runs: number; input: number }> }>(
      sandbox,
      "GET",
      `/api/tasks/${taskId}/pipeline`,
    );
    for (const role of ["architect", "implementer", "reviewer"]) {
      const row = page.locator(testId("pipeline-cost-row", { role }));
      expect(await row.locator('[data-col="runs"]').textContent()).toBe(String(costs[role]!.runs));
      expect(await row.locator('[data-col="input"]').getAttribute("title")).toBe(String(costs[role]!.input));
      expect(await row.locator('[data-col="cost"]').textContent()).toBe("—");
    }
    await saveScreenshot(page, "task-view-pipeline");
  }, 180_000);

  it("lists the pipeline's documents under Docs and renders them", async () => {
    await page.goto(`${url}/tasks/${taskId}?tab=docs`);
    await page.getByTestId("documents").waitFor();
    const paths = await page
      .getByTestId("document-link")
      .evaluateAll((links) => links.map((link) => link.getAttribute("data-path")));
    const pipeline = paths.filter((path) => path?.startsWith("pipeline/"));
    expect(pipeline.slice(0, 4)).toEqual([
      "pipeline/design.md",
      "pipeline/spec.md",
      "pipeline/plan.md",
      "pipeline/chunk-1-report-1.md",
    ]);
    expect(pipeline).toEqual(
      expect.arrayContaining([
        "pipeline/chunk-1-review-1.md",
        "pipeline/final-review-1.md",
        "pipeline/ledger.md",
      ]),
    );
    await page.locator(testId("document-link", { path: "pipeline/chunk-1-review-1.md" })).click();
    const body = page.getByTestId("document-body");
    await page.locator(testId("document", { path: "pipeline/chunk-1-review-1.md" })).waitFor();
    expect(await body.textContent()).toContain("VERDICT: CHANGES_REQUESTED");
    await page.locator(testId("document-link", { path: "pipeline/spec.md" })).click();
    await page.locator(testId("document", { path: "pipeline/spec.md" })).waitFor();
    expect(await body.locator("h1").textContent()).toBe("Greetings in other languages");
  }, 30_000);
});
