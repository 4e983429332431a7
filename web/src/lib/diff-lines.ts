/**
 * Marks the rows diff2html draws with what a review comment needs: the file, the line number,
 * and which side of the diff it counts (new file or old), as data attributes for tests too.
 */
import type { DiffFile } from "diff2html/lib-esm/types";

export interface DiffLineRef {
  file: string;
  line: number;
  side: "new" | "old";
  code: string;
}

export const fileNameOf = (file: Pick<DiffFile, "newName" | "oldName">) =>
  file.newName && file.newName !== "/dev/null" ? file.newName : file.oldName;

const number = (element: Element | null | undefined) => {
  const value = Number.parseInt(element?.textContent?.trim() ?? "", 10);
  return Number.isNaN(value) ? undefined : value;
};

/** Annotates every code row under `root` (one `.d2h-file-wrapper` per entry of `files`, in order). */
export function annotateDiffRows(root: HTMLElement, files: readonly DiffFile[]): void {
  root.querySelectorAll(".d2h-file-wrapper").forEach((wrapper, index) => {
    const file = files[index];
    if (!file) return;
    const name = fileNameOf(file);
    wrapper.setAttribute("data-file", name);
    const sides = wrapper.querySelectorAll(".d2h-file-side-diff");
    const mark = (row: Element, line: number | undefined, side: "new" | "old") => {
      if (line === undefined) return;
      row.setAttribute("data-testid", "diff-line");
      row.setAttribute("data-file", name);
      row.setAttribute("data-line", String(line));
      row.setAttribute("data-side", side);
      row.setAttribute("tabindex", "0");
      row.classList.add("grove-line");
    };
    if (sides.length === 2) {
      sides.forEach((table, sideIndex) => {
        for (const row of table.querySelectorAll("tr"))
          mark(row, number(row.querySelector(".d2h-code-side-linenumber")), sideIndex === 0 ? "old" : "new");
      });
      return;
    }
    for (const row of wrapper.querySelectorAll("tr")) {
      const added = number(row.querySelector(".line-num2"));
      mark(row, added ?? number(row.querySelector(".line-num1")), added === undefined ? "old" : "new");
    }
  });
}

/** The line a click or key press landed on, if it was on an annotated row. */
export function lineAt(target: EventTarget | null): DiffLineRef | undefined {
  const row = target instanceof Element ? target.closest("tr[data-testid='diff-line']") : null;
  if (!row) return undefined;
  return {
    file: row.getAttribute("data-file") ?? "",
    line: Number(row.getAttribute("data-line")),
    side: row.getAttribute("data-side") === "old" ? "old" : "new",
    code: row.querySelector(".d2h-code-line-ctn")?.textContent ?? "",
  };
}

/** Highlights the rows that carry a comment. */
export function markCommented(
  root: HTMLElement,
  refs: readonly Pick<DiffLineRef, "file" | "line" | "side">[],
): void {
  const keys = new Set(refs.map((ref) => `${ref.file}\n${ref.line}\n${ref.side}`));
  for (const row of root.querySelectorAll("tr[data-testid='diff-line']")) {
    const key = `${row.getAttribute("data-file")}\n${row.getAttribute("data-line")}\n${row.getAttribute("data-side")}`;
    row.classList.toggle("grove-commented", keys.has(key));
  }
}
