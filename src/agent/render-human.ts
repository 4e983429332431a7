/** Readable output for agent events: streamed text, one line per tool call, a closing summary. */
import type { AgentEvent } from "../protocol/agent-events.js";

export function createHumanRenderer(
  out: (text: string) => void,
  err: (text: string) => void,
): (event: AgentEvent) => void {
  let midLine = false;
  const line = (text: string) => {
    if (midLine) out("\n");
    midLine = false;
    out(`${text}\n`);
  };
  return (event) => {
    switch (event.type) {
      case "session_started":
        err(
          `grove agent · ${event.model} · ${event.cwd}${event.resumed ? " · resumed" : ""} · session ${event.session}\n`,
        );
        break;
      case "text_delta":
        out(event.text);
        midLine = !event.text.endsWith("\n");
        break;
      case "tool_call_started":
        line(`→ ${event.name} ${describeInput(event.input)}`);
        break;
      case "tool_call_finished":
        if (event.is_error) line(`  ✗ ${event.output.split("\n")[0]}`);
        break;
      case "error":
        line(`error: ${event.message}`);
        break;
      case "session_finished": {
        if (midLine) out("\n");
        midLine = false;
        const tokens = `${event.usage.input_tokens + event.usage.cache_read_input_tokens} in, ${event.usage.output_tokens} out`;
        err(
          `grove agent · ${event.status} · ${event.turns} turns · ${tokens} · ${(event.duration_ms / 1000).toFixed(1)} s\n`,
        );
        break;
      }
      default:
        break;
    }
  };
}

/** The one argument that says what a tool call is about. */
function describeInput(input: unknown): string {
  if (typeof input !== "object" || input === null) return "";
  const record = input as Record<string, unknown>;
  const value = record.command ?? record.path ?? record.pattern ?? "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
