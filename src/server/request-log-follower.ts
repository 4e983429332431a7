/**
 * Follows the routers' request log (`GROVE_HOME/router-requests/*.jsonl`, see
 * src/node/request-log.ts) into SQLite: what was written while the daemon was down on start,
 * then each new line as inotify reports it. Complete lines only; the offset read so far is stored
 * with the rows in one transaction, so a restart neither loses nor repeats a request. Days older
 * than yesterday are deleted once fully read. Stored requests older than the store's `keepDays`
 * are deleted on start and whenever a new day's file appears, so the table (and the Router
 * view's totals over it) does not grow without end.
 */
import {
  closeSync,
  type FSWatcher,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  watch,
} from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { requestLogDir, requestLogFileName } from "../node/request-log.js";
import type { NewRouterRequest, RouterRequest, RouterRequestStore } from "./router-requests.js";

const loggedRequestSchema = z.object({
  ts: z.string(),
  source: z.string(),
  taskId: z.number().int().optional(),
  clientModel: z.string(),
  target: z.string(),
  provider: z.string().optional(),
  model: z.string().optional(),
  stream: z.boolean(),
  status: z.number().int(),
  ttfbMs: z.number(),
  totalMs: z.number(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: z.number().optional(),
  error: z.string().optional(),
});

export function parseLoggedRequest(line: string): NewRouterRequest | undefined {
  let parsed: z.infer<typeof loggedRequestSchema>;
  try {
    parsed = loggedRequestSchema.parse(JSON.parse(line));
  } catch {
    return undefined; // Not a request line (a hand edit, a future field type): skip it.
  }
  return {
    ts: parsed.ts,
    taskId: parsed.taskId ?? null,
    source: parsed.source,
    clientModel: parsed.clientModel,
    target: parsed.target,
    provider: parsed.provider ?? null,
    model: parsed.model ?? null,
    stream: parsed.stream,
    status: parsed.status,
    ttfbMs: Math.round(parsed.ttfbMs),
    totalMs: Math.round(parsed.totalMs),
    inputTokens: parsed.inputTokens ?? null,
    outputTokens: parsed.outputTokens ?? null,
    costUsd: parsed.costUsd ?? null,
    error: parsed.error ?? null,
  };
}

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;
const DAY_MS = 24 * 3600 * 1000;

export class RequestLogFollower {
  private readonly dir: string;
  private watcher: FSWatcher | undefined;
  private readonly seen = new Set<string>();

  constructor(
    home: string,
    private readonly store: RouterRequestStore,
    private readonly onRequests: (requests: RouterRequest[]) => void,
  ) {
    this.dir = requestLogDir(home);
  }

  start(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.store.deleteExpired();
    this.watcher = watch(this.dir, (_event, file) => {
      if (file && DAY_FILE.test(file)) this.read(file);
    });
    this.readAll();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Reads every log file (oldest first), then deletes the old ones already read. */
  readAll(): void {
    for (const file of this.files()) this.read(file);
  }

  private files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((file) => DAY_FILE.test(file))
        .sort();
    } catch {
      return [];
    }
  }

  private read(file: string): void {
    if (!this.seen.has(file)) {
      this.seen.add(file);
      // A new day's file: a good moment to drop the days before yesterday.
      this.deleteOldDays();
      this.store.deleteExpired();
    }
    this.readNew(file);
  }

  private readNew(file: string): void {
    let fd: number;
    try {
      fd = openSync(join(this.dir, file), "r");
    } catch {
      return; // Deleted meanwhile.
    }
    try {
      const size = fstatSync(fd).size;
      let offset = this.store.offset(file);
      if (size < offset) offset = 0; // The file was removed and written anew.
      if (size === offset) return;
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      const lastNewline = buffer.lastIndexOf(10);
      if (lastNewline === -1) return; // Only part of a line so far.
      const requests = buffer
        .subarray(0, lastNewline)
        .toString("utf8")
        .split("\n")
        .map(parseLoggedRequest)
        .filter((request): request is NewRouterRequest => request !== undefined);
      const stored = this.store.ingest(file, requests, offset + lastNewline + 1);
      if (stored.length > 0) this.onRequests(stored);
    } finally {
      closeSync(fd);
    }
  }

  /** Files from before yesterday (UTC) that are read to the end: no router writes to them any more. */
  private deleteOldDays(): void {
    const yesterday = requestLogFileName(new Date(Date.now() - DAY_MS));
    for (const file of this.files()) {
      if (file >= yesterday) continue;
      this.readNew(file);
      let size: number;
      try {
        size = statSync(join(this.dir, file)).size;
      } catch {
        continue;
      }
      if (this.store.offset(file) < size) continue; // A half-written last line: keep the file.
      rmSync(join(this.dir, file), { force: true });
      this.store.forgetFile(file);
      this.seen.delete(file);
    }
  }
}
