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
