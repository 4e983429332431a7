/** Writes recorded exchanges to a cassette: `DIR/<timestamp>-<pid>.jsonl`, one per router process. */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Exchange, Recorder } from "../router/record/exchange.js";

export interface CassetteRecorder extends Recorder {
  /** Absolute path of the cassette file, created (empty) up front. */
  path: string;
}

export function createCassetteRecorder(dir: string, now = new Date()): CassetteRecorder {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const stamp = now.toISOString().replaceAll(":", "-").replace(".", "-");
  const path = join(folder, `${stamp}-${process.pid}.jsonl`);
  writeFileSync(path, "", { flag: "a" });
  return {
    path,
    // Synchronous appends keep whole lines in completion order and survive an abrupt exit.
    record(exchange: Exchange) {
      appendFileSync(path, `${JSON.stringify(exchange)}\n`);
    },
  };
}
