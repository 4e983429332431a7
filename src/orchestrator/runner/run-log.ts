/**
 * What one agent run writes for the daemon to read: grove's event protocol appended to
 * `events.jsonl`, one write per whole line (so a tailing reader never sees half a line), and
 * notes in `agent-stderr.log`. It keeps the session the events are filed under: the agent's
 * own session id once known, else the task id.
 */
import { appendFileSync } from "node:fs";
import {
  type AgentEventBody,
  agentEvent,
  emptyUsage,
  encodeAgentEvent,
  parseAgentEvent,
  type SessionStatus,
} from "../../protocol/agent-events.js";
import type { RunFiles } from "./spec.js";
import type { AgentTranslator } from "./translator.js";

export class RunLog {
  private session: string;
  /** The agent's own session id, once it has said it (or the one resumed). */
  agentSessionId: string | undefined;
  /** How the session finished, once an event has said so. */
  finishedStatus: SessionStatus | undefined;

  constructor(
    private readonly files: Pick<RunFiles, "events" | "stderr">,
    session: string,
    resumedSessionId?: string,
  ) {
    this.session = resumedSessionId ?? session;
    this.agentSessionId = resumedSessionId;
  }

  /** Appends one event: a single write of one whole line. */
  emit(body: AgentEventBody): void {
    const event = agentEvent(this.session, body);
    appendFileSync(this.files.events, encodeAgentEvent(event));
    if (event.type === "session_finished") this.finishedStatus = event.status;
  }

  finish(status: SessionStatus, summary: string): void {
    this.emit({ type: "session_finished", status, summary, usage: emptyUsage(), turns: 0, duration_ms: 0 });
  }

  /** The run failed for `message`: a note, an error event and a finished session saying why. */
  fail(message: string): SessionStatus {
    this.note(message);
    this.emit({ type: "error", message, fatal: true });
    this.finish("error", message);
    return "error";
  }

  /** A line in agent-stderr.log, if it can still be written. */
  note(text: string): void {
    try {
      appendFileSync(this.files.stderr, `grove: ${text}\n`);
    } catch {
      // Nowhere left to report to.
    }
  }

  /**
   * One line of the agent's stdout: translated into events, or (without a translator: grove's
   * own agent already speaks the protocol) passed through as it is.
   */
  agentLine(line: string, translator: AgentTranslator | undefined): void {
    if (line.trim() === "") return;
    if (!translator) {
      const event = parseAgentEvent(line);
      if (!event) {
        this.note(`stdout: ${line}`);
        return;
      }
      if (event.type === "session_started" && typeof event.session === "string")
        this.sessionIs(event.session);
      if (event.type === "session_finished" && "status" in event)
        this.finishedStatus = event.status as SessionStatus;
      appendFileSync(this.files.events, `${line.trimEnd()}\n`);
      return;
    }
    const bodies = translator(line);
    if (translator.sessionId) this.sessionIs(translator.sessionId);
    if (bodies.length === 0 && !line.trimStart().startsWith("{")) this.note(`stdout: ${line}`);
    for (const body of bodies) this.emit(body);
  }

  private sessionIs(id: string): void {
    this.session = id;
    this.agentSessionId = id;
  }
}
