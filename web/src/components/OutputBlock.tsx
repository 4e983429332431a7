/** Long text (tool output, test output) cut to its first lines, expandable to all of it. */
import { useState } from "react";
import { truncateOutput } from "../lib/format";

export function OutputBlock(props: {
  text: string;
  error?: boolean;
  testId?: string;
  /** Controlled expansion, for lists that unmount rows (the transcript keeps it per item). */
  expanded?: boolean;
  onExpand?: () => void;
}) {
  const [ownExpanded, setOwnExpanded] = useState(false);
  const expanded = props.expanded ?? ownExpanded;
  const cut = truncateOutput(props.text);
  const shown = expanded || !cut.truncated ? props.text : cut.text;
  return (
    <div className="output" data-testid={props.testId ?? "output-block"}>
      <pre className={props.error ? "error-text" : undefined}>{shown || "(no output)"}</pre>
      {cut.truncated && !expanded && (
        <button
          type="button"
          className="link"
          onClick={() => (props.onExpand ? props.onExpand() : setOwnExpanded(true))}
          data-testid="output-show-all"
        >
          show all{cut.hiddenLines > 0 ? ` (${cut.hiddenLines} more lines)` : ""}
        </button>
      )}
    </div>
  );
}
