/** Tasks and their append-only event logs, in SQLite. */
import type { Statement } from "better-sqlite3";
import type { Db } from "./db.js";
import type { AgentName, TaskKind, TaskState } from "./task-states.js";

export interface Task {
  id: number;
  slug: string;
  branch: string;
  repo: string;
  baseBranch: string;
  baseCommit: string | null;
  worktree: string;
  taskDir: string;
  prompt: string;
  kind: TaskKind;
  agent: AgentName;
  model: string | null;
  yolo: boolean;
  state: TaskState;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  summary: string | null;
  error: string | null;
  portBase: number | null;
  sessionId: string | null;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  landedCommit: string | null;
  archiveRef: string | null;
  eventsOffset: number;
  pid: number | null;
}

export interface StoredEvent {
  taskId: number;
  seq: number;
  ts: string;
  type: string;
  body: Record<string, unknown>;
}

export type NewTask = Pick<
  Task,
  | "slug"
  | "branch"
  | "repo"
  | "baseBranch"
  | "worktree"
  | "taskDir"
  | "prompt"
  | "kind"
  | "agent"
  | "model"
  | "yolo"
>;

const COLUMNS: Record<keyof Task, string> = {
  id: "id",
  slug: "slug",
  branch: "branch",
  repo: "repo",
  baseBranch: "base_branch",
  baseCommit: "base_commit",
  worktree: "worktree",
  taskDir: "task_dir",
  prompt: "prompt",
  kind: "kind",
  agent: "agent",
  model: "model",
  yolo: "yolo",
  state: "state",
  createdAt: "created_at",
  updatedAt: "updated_at",
  startedAt: "started_at",
  finishedAt: "finished_at",
  summary: "summary",
  error: "error",
  portBase: "port_base",
  sessionId: "session_id",
  runs: "runs",
  inputTokens: "input_tokens",
  outputTokens: "output_tokens",
  landedCommit: "landed_commit",
  archiveRef: "archive_ref",
  eventsOffset: "events_offset",
  pid: "pid",
};

function fromRow(row: Record<string, unknown>): Task {
  const task = {} as Record<string, unknown>;
  for (const [key, column] of Object.entries(COLUMNS)) task[key] = row[column];
  task.yolo = row.yolo === 1;
  return task as unknown as Task;
}

export class TaskStore {
  private readonly nextSeq: Statement;
  /** Prepared statements by their SQL: each is prepared once. */
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {
    this.nextSeq = db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM events WHERE task_id = ?");
  }

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  create(task: NewTask): Task {
    const now = new Date().toISOString();
    const result = this.sql(
      `INSERT INTO tasks (slug, branch, repo, base_branch, worktree, task_dir, prompt, kind, agent, model, yolo, state, created_at, updated_at)
         VALUES (@slug, @branch, @repo, @baseBranch, @worktree, @taskDir, @prompt, @kind, @agent, @model, @yolo, 'queued', @now, @now)`,
    ).run({ ...task, yolo: task.yolo ? 1 : 0, now });
    return this.get(Number(result.lastInsertRowid))!;
  }

  get(id: number): Task | undefined {
    const row = this.sql("SELECT * FROM tasks WHERE id = ?").get(id) as Record<string, unknown> | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** A task by id, slug or branch name. */
  find(ref: string): Task | undefined {
    if (/^\d+$/.test(ref)) return this.get(Number(ref));
    const row = this.sql("SELECT * FROM tasks WHERE slug = ? OR branch = ? ORDER BY id DESC LIMIT 1").get(
      ref,
      ref,
    ) as Record<string, unknown> | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(states?: readonly TaskState[]): Task[] {
    const rows = states
      ? this.sql(`SELECT * FROM tasks WHERE state IN (${states.map(() => "?").join(",")}) ORDER BY id`).all(
          ...states,
        )
      : this.sql("SELECT * FROM tasks ORDER BY id").all();
    return (rows as Record<string, unknown>[]).map(fromRow);
  }

  update(id: number, changes: Partial<Omit<Task, "id">>): Task {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    const sets = entries.map(([key]) => `${COLUMNS[key as keyof Task]} = @${key}`);
    const values = Object.fromEntries(
      entries.map(([key, value]) => [key, typeof value === "boolean" ? (value ? 1 : 0) : value]),
    );
    this.sql(`UPDATE tasks SET ${[...sets, "updated_at = @updatedAt"].join(", ")} WHERE id = @id`).run({
      ...values,
      id,
      updatedAt: new Date().toISOString(),
    });
    return this.get(id)!;
  }

  appendEvent(
    taskId: number,
    type: string,
    body: Record<string, unknown>,
    ts = new Date().toISOString(),
  ): StoredEvent {
    const { seq } = this.nextSeq.get(taskId) as { seq: number };
    this.sql("INSERT INTO events (task_id, seq, ts, type, body) VALUES (?, ?, ?, ?, ?)").run(
      taskId,
      seq,
      ts,
      type,
      JSON.stringify(body),
    );
    return { taskId, seq, ts, type, body };
  }

  events(taskId: number, afterSeq = 0, limit = 100_000): StoredEvent[] {
    const rows = this.sql("SELECT * FROM events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      taskId,
      afterSeq,
      limit,
    ) as {
      task_id: number;
      seq: number;
      ts: string;
      type: string;
      body: string;
    }[];
    return rows.map((row) => ({
      taskId: row.task_id,
      seq: row.seq,
      ts: row.ts,
      type: row.type,
      body: JSON.parse(row.body),
    }));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
