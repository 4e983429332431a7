/**
 * A diff drawn by diff2html: a file list, syntax highlighting, unified (line-by-line) or side by
 * side. When `onLine` is given, clicking a line (or Enter on it) picks it for a review comment.
 */
import "diff2html/bundles/css/diff2html.min.css";
import "highlight.js/styles/github.css";
import { parse } from "diff2html";
import { Diff2HtmlUI } from "diff2html/lib-esm/ui/js/diff2html-ui-slim.js";
import { useEffect, useMemo, useRef } from "react";
import { annotateDiffRows, type DiffLineRef, lineAt, markCommented } from "../lib/diff-lines";

export type DiffFormat = "line-by-line" | "side-by-side";

/** Past this size a diff is shown as plain text: drawing it would freeze the page. */
const MAX_RENDERED = 2_000_000;

export function DiffView(props: {
  diff: string;
  format: DiffFormat;
  onLine?: (line: DiffLineRef) => void;
  commented?: readonly Pick<DiffLineRef, "file" | "line" | "side">[];
}) {
  const { diff, format, onLine, commented } = props;
  const container = useRef<HTMLDivElement>(null);
  const files = useMemo(() => (diff.length > MAX_RENDERED ? [] : parse(diff)), [diff]);
  const pick = useRef(onLine);
  pick.current = onLine;
  const marks = useRef(commented);
  marks.current = commented;

  useEffect(() => {
    const element = container.current;
    if (!element || files.length === 0) return;
    const ui = new Diff2HtmlUI(element, files, {
      outputFormat: format,
      drawFileList: true,
      fileListToggle: true,
      fileListStartVisible: true,
      matching: "lines",
      highlight: true,
      synchronisedScroll: true,
      fileContentToggle: true,
      stickyFileHeaders: true,
    });
    ui.draw();
    annotateDiffRows(element, files);
    markCommented(element, marks.current ?? []);
  }, [files, format]);

  useEffect(() => {
    if (container.current) markCommented(container.current, commented ?? []);
  }, [commented]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const choose = (event: Event) => {
      if (!pick.current) return;
      if (event instanceof KeyboardEvent && event.key !== "Enter") return;
      const line = lineAt(event.target);
      if (line) pick.current(line);
    };
    element.addEventListener("click", choose);
    element.addEventListener("keydown", choose);
    return () => {
      element.removeEventListener("click", choose);
      element.removeEventListener("keydown", choose);
    };
  }, []);

  if (diff.trim() === "")
    return (
      <p className="empty" data-testid="diff-empty">
        No changes against the base.
      </p>
    );
  if (diff.length > MAX_RENDERED)
    return (
      <div data-testid="diff-too-large">
        <p className="notice">
          This diff is too large to draw ({Math.round(diff.length / 1e6)} MB); its start:
        </p>
        <pre className="raw-diff">{diff.slice(0, 200_000)}</pre>
      </div>
    );
  return (
    <div
      ref={container}
      className={`diff${onLine ? " commentable" : ""}`}
      data-testid="diff-view"
      data-format={format}
      data-files={files.length}
    />
  );
}
