/** One transcript item. Thinking and tool calls are collapsed until opened. */
import { memo, type ReactNode } from "react";
import { formatDuration, toolInputSummary } from "../lib/format";
import type { TranscriptItem } from "../lib/transcript";
import { OutputBlock } from "./OutputBlock";

type Props = { item: TranscriptItem; open: boolean; onToggle: (key: string) => void };

const time = (ts: string) => ts.slice(11, 19);

export const TranscriptRow = memo(function TranscriptRow({ item, open, onToggle }: Props) {
  const common = { "data-testid": `transcript-${item.kind}`, "data-seq": item.seq };
  switch (item.kind) {
    case "prompt":
      return (
        <div className="t-row t-prompt" {...common}>
          <div className="t-label">prompt · {item.meta}</div>
          <div className="t-text">{item.text}</div>
        </div>
      );
    case "text":
      return (
        <div className={`t-row t-assistant${item.live ? " live" : ""}`} {...common}>
          <div className="t-text">{item.text}</div>
        </div>
      );
    case "reply":
      return (
        <div className="t-row t-reply" {...common}>
          <div className="t-label">you</div>
          <div className="t-text">{item.text}</div>
        </div>
      );
    case "thinking":
      return (
        <div className="t-row t-thinking" {...common}>
          <Toggle open={open} onClick={() => onToggle(item.key)} testId="transcript-thinking-toggle">
            thinking{open ? "" : ` · ${item.text.slice(0, 80).replace(/\s+/g, " ")}…`}
          </Toggle>
          {open && <div className="t-text muted">{item.text}</div>}
        </div>
      );
    case "tool":
      return (
        <div className={`t-row t-tool${item.isError ? " failed" : ""}`} {...common} data-open={open}>
          <Toggle open={open} onClick={() => onToggle(item.key)} testId="transcript-tool-toggle">
            <span className="tool-name">{item.name}</span>{" "}
            <span className="muted">{toolInputSummary(item.input)}</span>
            <span className="tool-status">
              {!item.done ? "running…" : item.isError ? "✗ error" : "✓"}
              {item.done && item.durationMs ? ` ${formatDuration(item.durationMs)}` : ""}
            </span>
          </Toggle>
          {open && (
            <div className="tool-body">
              <div className="t-label">input</div>
              <ToolInput input={item.input} />
              {item.done && (
                <>
                  <div className="t-label">output{item.truncated ? " (cut by the agent)" : ""}</div>
                  <OutputBlock
                    text={item.output ?? ""}
                    error={item.isError ?? false}
                    testId="transcript-tool-output"
                  />
                </>
              )}
            </div>
          )}
        </div>
      );
    case "question":
      return (
        <div className="t-row t-question" {...common}>
          <div className="t-label">the agent asks</div>
          <div className="t-text">{item.text}</div>
          {item.options.length > 0 && <div className="muted">options: {item.options.join(" · ")}</div>}
        </div>
      );
    case "error":
      return (
        <div className="t-row t-error" {...common}>
          <span className="error-text">
            {item.fatal ? "fatal error" : "error"}: {item.message}
          </span>
        </div>
      );
    case "setup":
      return (
        <div className="t-row t-setup" {...common}>
          <div className="t-label">setup</div>
          <OutputBlock text={item.text} expanded={open} onExpand={() => onToggle(item.key)} />
        </div>
      );
    case "finished":
      return (
        <div className={`t-row t-finished status-${item.status}`} {...common}>
          <div className="t-label">
            agent finished: {item.status} · {item.turns} turns · {formatDuration(item.durationMs)}
          </div>
          {item.summary && <div className="t-text">{item.summary}</div>}
        </div>
      );
    case "land":
      return (
        <div className={`t-row t-land${item.result ? ` result-${item.result}` : ""}`} {...common}>
          <span className="t-label">{time(item.ts)} landing</span> {item.text}
          {item.output && (
            <OutputBlock text={item.output} expanded={open} onExpand={() => onToggle(item.key)} />
          )}
        </div>
      );
    case "state":
      return (
        <div className="t-row t-state muted" {...common}>
          {time(item.ts)} {item.from} → {item.to}
          {item.error ? ` (${item.error})` : ""}
        </div>
      );
    default:
      return (
        <div className="t-row t-note muted" {...common}>
          {time(item.ts)} {item.text}
        </div>
      );
  }
});

function Toggle(props: { open: boolean; onClick: () => void; testId: string; children: ReactNode }) {
  return (
    <button
      type="button"
      className="t-toggle"
      aria-expanded={props.open}
      onClick={props.onClick}
      data-testid={props.testId}
    >
      <span className="caret">{props.open ? "▾" : "▸"}</span> {props.children}
    </button>
  );
}

/** A tool's input: each field on its own, long strings (file contents, commands) as they are. */
function ToolInput({ input }: { input: unknown }) {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return <pre data-testid="transcript-tool-input">{JSON.stringify(input, null, 2)}</pre>;
  return (
    <div className="tool-input" data-testid="transcript-tool-input">
      {Object.entries(input).map(([key, value]) => (
        <div key={key} className="tool-field">
          <span className="muted">{key}</span>
          <pre>{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>
        </div>
      ))}
    </div>
  );
}
