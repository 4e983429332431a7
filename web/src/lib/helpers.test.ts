import { describe, expect, it } from "vitest";
import { parseRoute } from "../router";
import { allowedActions } from "./actions";
import { fakeTask } from "./fake-task";
import { activityLine, elapsedMs, formatDuration, formatTokens, truncateOutput } from "./format";
import { reconnectDelay, streamUrl } from "./reconnect";
import { currentReview, stepReview } from "./review";
import { reviewAction } from "./shortcuts";

describe("formatting", () => {
  it("formats durations and token counts", () => {
    expect(formatDuration(42_000)).toBe("42s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
    expect(formatDuration(26 * 3_600_000)).toBe("1d 2h");
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(12_345)).toBe("12k");
    expect(formatTokens(1_234)).toBe("1.2k");
    expect(formatTokens(2_500_000)).toBe("2.5M");
  });

  it("counts elapsed time to now while live, to the finish once finished", () => {
    const start = "2025-01-01T10:00:00.000Z";
    const now = Date.parse("2025-01-01T10:05:00.000Z");
    expect(elapsedMs(fakeTask("running", { startedAt: start }), now)).toBe(300_000);
    expect(
      elapsedMs(fakeTask("done", { startedAt: start, finishedAt: "2025-01-01T10:01:00.000Z" }), now),
    ).toBe(60_000);
  });

  it("makes one activity line from readable events only", () => {
    const line = (type: string, body: Record<string, unknown>) =>
      activityLine({ taskId: 1, seq: 1, ts: "", type, body });
    expect(line("tool_call_started", { name: "bash", input: { command: "npm test\nmore" } })).toBe(
      "bash npm test",
    );
    expect(line("message", { text: "\nAll done.\nDetails" })).toBe("All done.");
    expect(line("question", { text: "Which file?" })).toBe("? Which file?");
    expect(line("run_queued", { run: 2, concurrency: 1 })).toBe("waiting for an agent slot");
    expect(line("text_delta", { text: "x" })).toBeUndefined();
  });

  it("truncates long output and says how much is hidden", () => {
    const text = Array.from({ length: 100 }, (_, index) => `line ${index}`).join("\n");
    const cut = truncateOutput(text, { lines: 10, chars: 10_000 });
    expect(cut).toMatchObject({ truncated: true, hiddenLines: 90 });
    expect(cut.text.split("\n")).toHaveLength(10);
    expect(truncateOutput("short")).toEqual({ text: "short", truncated: false, hiddenLines: 0 });
  });
});

describe("actions, review queue, shortcuts, routes and reconnects", () => {
  it("offers only the actions a state allows", () => {
    expect(allowedActions("done")).toEqual({
      reply: true,
      stop: false,
      resume: false,
      land: true,
      discard: true,
    });
    expect(allowedActions("running")).toMatchObject({
      reply: false,
      stop: true,
      land: false,
      discard: false,
    });
    expect(allowedActions("interrupted")).toMatchObject({ resume: true, reply: true, discard: true });
    expect(allowedActions("landed")).toMatchObject({ land: false, discard: false, reply: false });
  });

  it("steps through the review queue and keeps a task that just left it on screen", () => {
    const [a, b, c] = [fakeTask("done"), fakeTask("done"), fakeTask("done")];
    const queue = [a!, b!, c!];
    const all = new Map(queue.map((task) => [task.id, task]));
    expect(currentReview(queue, undefined, all)).toBe(a);
    expect(stepReview(queue, a, 1)).toBe(b);
    expect(stepReview(queue, a, -1)).toBe(c);
    const landed = { ...b!, state: "landed" as const };
    all.set(landed.id, landed);
    expect(currentReview([a!, c!], landed.id, all)).toBe(landed);
    expect(stepReview([a!, c!], landed, 1)).toBe(a);
    expect(stepReview([a!], a, 1)).toBeUndefined();
  });

  it("maps keys to review actions, never while typing", () => {
    expect(reviewAction({ key: "n" })).toBe("next");
    expect(reviewAction({ key: "j" })).toBe("next");
    expect(reviewAction({ key: "L" })).toBe("land");
    expect(reviewAction({ key: "s" })).toBe("send-back");
    expect(reviewAction({ key: "d" })).toBe("discard");
    expect(reviewAction({ key: "l", targetTag: "textarea" })).toBeUndefined();
    expect(reviewAction({ key: "l", ctrlKey: true })).toBeUndefined();
    expect(reviewAction({ key: "x" })).toBeUndefined();
  });

  it("parses the app's routes", () => {
    expect(parseRoute("/")).toEqual({ name: "board" });
    expect(parseRoute("/tasks/12", "?tab=diff")).toEqual({ name: "task", id: 12, tab: "diff" });
    expect(parseRoute("/tasks/12")).toEqual({ name: "task", id: 12, tab: "transcript" });
    expect(parseRoute("/review")).toEqual({ name: "review" });
    expect(parseRoute("/new")).toEqual({ name: "new" });
    expect(parseRoute("/router")).toEqual({ name: "router", taskId: undefined });
    expect(parseRoute("/router", "?task=4")).toEqual({ name: "router", taskId: 4 });
    expect(parseRoute("/router", "?task=x")).toEqual({ name: "router", taskId: undefined });
    expect(parseRoute("/nope")).toEqual({ name: "not-found" });
  });

  it("backs off between reconnects and resumes a task's stream after the last event", () => {
    expect([0, 1, 2, 3, 10].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000, 10_000]);
    expect(streamUrl()).toBe("/api/stream");
    expect(streamUrl(7, 42)).toBe("/api/stream?task=7&after=42");
  });
});
