import { describe, expect, it } from "vitest";
import type { TaskState } from "../types";
import { BOARD_COLUMNS, columnOf, groupTasks, matchesFilter, reviewQueue } from "./board";
import { fakeTask } from "./fake-task";

describe("the Board's columns", () => {
  it("puts every state in exactly one column", () => {
    const states: TaskState[] = [
      "queued",
      "setting-up",
      "running",
      "waiting-for-input",
      "done",
      "landing",
      "landed",
      "archived",
      "failed",
      "interrupted",
      "conflict",
      "discarded",
    ];
    for (const state of states)
      expect(BOARD_COLUMNS.filter((column) => column.states.includes(state))).toHaveLength(1);
    expect(columnOf("setting-up").id).toBe("running");
    expect(columnOf("interrupted").id).toBe("failed");
    expect(columnOf("done").title).toBe("Ready for review");
    expect(columnOf("waiting-for-input").title).toBe("Waiting for you");
  });

  it("groups tasks, hides discarded ones unless asked, and filters by text", () => {
    const tasks = [
      fakeTask("running"),
      fakeTask("setting-up"),
      fakeTask("done", { prompt: "Add a farewell() function" }),
      fakeTask("discarded"),
    ];
    const groups = groupTasks(tasks);
    expect(groups.get("running")?.map((task) => task.state)).toEqual(["running", "setting-up"]);
    expect(groups.get("review")).toHaveLength(1);
    expect(groups.has("discarded")).toBe(false);
    expect(groupTasks(tasks, { showDiscarded: true }).get("discarded")).toHaveLength(1);
    const filtered = groupTasks(tasks, { filter: "FAREWELL" });
    expect([...filtered.values()].flat().map((task) => task.id)).toEqual([tasks[2]!.id]);
    expect(matchesFilter(tasks[0]!, `#${tasks[0]!.id}`)).toBe(true);
  });

  it("orders queue-like columns oldest first and finished ones newest first", () => {
    const old = fakeTask("done", {
      finishedAt: "2025-01-01T10:00:00.000Z",
      updatedAt: "2025-01-01T10:00:00.000Z",
    });
    const recent = fakeTask("done", {
      finishedAt: "2025-01-02T10:00:00.000Z",
      updatedAt: "2025-01-02T10:00:00.000Z",
    });
    const landedOld = fakeTask("landed", { updatedAt: "2025-01-01T10:00:00.000Z" });
    const landedNew = fakeTask("landed", { updatedAt: "2025-01-03T10:00:00.000Z" });
    const groups = groupTasks([recent, old, landedOld, landedNew]);
    expect(groups.get("review")?.map((task) => task.id)).toEqual([old.id, recent.id]);
    expect(groups.get("landed")?.map((task) => task.id)).toEqual([landedNew.id, landedOld.id]);
    expect(reviewQueue([recent, landedNew, old]).map((task) => task.id)).toEqual([old.id, recent.id]);
  });

  it("groups 200 tasks quickly", () => {
    const states: TaskState[] = ["running", "done", "landed", "failed", "queued"];
    const tasks = Array.from({ length: 200 }, (_, index) => fakeTask(states[index % states.length]!));
    const started = performance.now();
    for (let i = 0; i < 100; i++) groupTasks(tasks, { filter: "thing" });
    expect((performance.now() - started) / 100).toBeLessThan(20);
  });
});
