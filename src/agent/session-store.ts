/** Saved agent sessions, so `grove agent --resume <id>` can continue one with a new prompt. */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentUsage, SessionStatus } from "../protocol/agent-events.js";
import type { MessageParam } from "./model-turn.js";

export interface AgentSession {
  id: string;
  model: string;
  cwd: string;
  system: string;
  messages: MessageParam[];
  usage: AgentUsage;
  turns: number;
  status?: SessionStatus;
  createdAt: string;
  updatedAt: string;
}

export class SessionNotFoundError extends Error {}

export class SessionStore {
  constructor(readonly dir: string) {}

  static newId(): string {
    return `ses_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  }

  path(id: string): string {
    if (!/^ses_[A-Za-z0-9]+$/.test(id))
      throw new SessionNotFoundError(`"${id}" is not a session id (they look like ses_…)`);
    return join(this.dir, `${id}.json`);
  }

  load(id: string): AgentSession {
    let text: string;
    try {
      text = readFileSync(this.path(id), "utf8");
    } catch {
      throw new SessionNotFoundError(`no saved session ${id} in ${this.dir}`);
    }
    return JSON.parse(text) as AgentSession;
  }

  /** Written to a temp file and renamed, so a crash never leaves half a transcript. */
  save(session: AgentSession): void {
    mkdirSync(this.dir, { recursive: true });
    const target = this.path(session.id);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ ...session, updatedAt: new Date().toISOString() }));
    renameSync(temp, target);
  }
}
