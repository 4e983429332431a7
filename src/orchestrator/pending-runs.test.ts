import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDb } from "./db.js";
import { PendingRuns } from "./pending-runs.js";
import { TaskStore } from "./task-store.js";

let dir: string;
let db: Db;
let taskId: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "grove-pending-"));
  db = openDb(join(dir, "grove.db"));
  taskId = new TaskStore(db).create({
    slug: "t",
    branch: "grove/t",
    repo: dir,
    baseBranch: "main",
    worktree: "",
    taskDir: "",
    prompt: "p",
    kind: "maintenance",
    agent: "builtin",
    model: null,
    yolo: false,
  }).id;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("PendingRuns", () => {
  it("keeps one waiting run per task in the database, replaced by a newer one, until deleted", () => {
    const pending = new PendingRuns(db);
    expect(pending.get(taskId)).toBeUndefined();
    pending.set(taskId, { prompt: "first", resumeSessionId: "ses_1" });
    pending.set(taskId, { prompt: "second", role: "implementer", model: null, readOnly: false });
    // Another connection (a restarted daemon) reads the same.
    const reopened = openDb(join(dir, "grove.db"));
    expect(new PendingRuns(reopened).get(taskId)).toEqual({
      prompt: "second",
      role: "implementer",
      model: null,
      readOnly: false,
    });
    reopened.close();
    pending.delete(taskId);
    expect(pending.get(taskId)).toBeUndefined();
  });

  it("reads an unreadable row as no run at all, so the scheduler can go on", () => {
    db.prepare("INSERT INTO pending_runs (task_id, request, queued_at) VALUES (?, ?, ?)").run(
      taskId,
      "{not json",
      "x",
    );
    expect(new PendingRuns(db).get(taskId)).toBeUndefined();
  });
});
