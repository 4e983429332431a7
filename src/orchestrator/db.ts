/** grove's state: one SQLite file in GROVE_HOME, migrated forward by `user_version`. */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type Db = Database.Database;

const MIGRATIONS = [
  `CREATE TABLE tasks (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     slug TEXT NOT NULL,
     branch TEXT NOT NULL,
     repo TEXT NOT NULL,
     base_branch TEXT NOT NULL,
     base_commit TEXT,
     worktree TEXT NOT NULL,
     task_dir TEXT NOT NULL,
     prompt TEXT NOT NULL,
     kind TEXT NOT NULL,
     agent TEXT NOT NULL,
     model TEXT,
     yolo INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     summary TEXT,
     error TEXT,
     port_base INTEGER,
     session_id TEXT,
     runs INTEGER NOT NULL DEFAULT 0,
     input_tokens INTEGER NOT NULL DEFAULT 0,
     output_tokens INTEGER NOT NULL DEFAULT 0,
     landed_commit TEXT,
     archive_ref TEXT,
     events_offset INTEGER NOT NULL DEFAULT 0,
     pid INTEGER
   );
   CREATE TABLE events (
     task_id INTEGER NOT NULL REFERENCES tasks(id),
     seq INTEGER NOT NULL,
     ts TEXT NOT NULL,
     type TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (task_id, seq)
   );
   CREATE INDEX tasks_state ON tasks(state);`,
  // Issue 6: a task's pipeline (lanes with several agent runs) and the human inbox.
  `CREATE TABLE pipelines (
     task_id INTEGER PRIMARY KEY REFERENCES tasks(id),
     state TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE inbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     task_id INTEGER NOT NULL REFERENCES tasks(id),
     kind TEXT NOT NULL,
     stage TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL,
     resolved_at TEXT,
     resolution TEXT,
     response TEXT
   );
   CREATE INDEX inbox_open ON inbox(resolved_at, id);`,
  // Issue 5, the dashboard: requests ingested from the routers' request log (how far each log
  // file has been read, too), and review comments kept per task until sent back.
  `CREATE TABLE router_requests (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     ts TEXT NOT NULL,
     task_id INTEGER,
     source TEXT NOT NULL,
     client_model TEXT NOT NULL,
     target TEXT NOT NULL,
     provider TEXT,
     model TEXT,
     stream INTEGER NOT NULL,
     status INTEGER NOT NULL,
     ttfb_ms INTEGER NOT NULL,
     total_ms INTEGER NOT NULL,
     input_tokens INTEGER,
     output_tokens INTEGER,
     cost_usd REAL,
     error TEXT
   );
   CREATE INDEX router_requests_task ON router_requests(task_id);
   CREATE TABLE router_request_files (
     name TEXT PRIMARY KEY,
     offset INTEGER NOT NULL
   );
   CREATE TABLE review_comments (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     task_id INTEGER NOT NULL REFERENCES tasks(id),
     file TEXT NOT NULL,
     line INTEGER NOT NULL,
     side TEXT NOT NULL,
     code TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX review_comments_task ON review_comments(task_id);`,
  // Agent runs asked for while the repository's slots were all busy (pending-runs.ts).
  `CREATE TABLE pending_runs (
     task_id INTEGER PRIMARY KEY REFERENCES tasks(id),
     request TEXT NOT NULL,
     queued_at TEXT NOT NULL
   );`,
];

export function openDb(path: string): Db {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return db;
}
