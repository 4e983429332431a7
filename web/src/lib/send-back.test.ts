import { describe, expect, it } from "vitest";
import type { ReviewComment } from "../types";
import { commentLocation, pendingComments, sentBackText, sortComments } from "./send-back";

const comment = (
  id: number,
  file: string,
  line: number,
  extra: Partial<ReviewComment> = {},
): ReviewComment => ({
  id,
  taskId: 1,
  file,
  line,
  side: "new",
  code: "",
  text: `comment ${id}`,
  createdAt: "2026-01-01T00:00:00.000Z",
  sentAt: null,
  ...extra,
});

describe("review comments on the page", () => {
  it("sorts by file, then line, then side", () => {
    const sorted = sortComments([
      comment(1, "src/z.js", 3),
      comment(2, "src/greet.js", 12),
      comment(3, "src/greet.js", 2, { side: "old" }),
      comment(4, "src/greet.js", 2),
    ]);
    expect(sorted.map((c) => c.id)).toEqual([4, 3, 2, 1]);
  });

  it("locates a comment as file:line, saying when the line was removed", () => {
    expect(commentLocation(comment(1, "a.ts", 7))).toBe("a.ts:7");
    expect(commentLocation(comment(1, "a.ts", 7, { side: "old" }))).toBe("a.ts:7 (removed line)");
  });

  it("keeps only the comments not sent back yet", () => {
    const pending = pendingComments([
      comment(1, "b.ts", 1, { sentAt: "2026-01-02T00:00:00.000Z" }),
      comment(2, "b.ts", 2),
      comment(3, "a.ts", 9),
    ]);
    expect(pending.map((c) => c.id)).toEqual([3, 2]);
  });

  it("tells the reviewer whether the agent is on it or the task waits for a free slot", () => {
    expect(sentBackText({ state: "running" })).toBe("Sent back: the agent is working on it.");
    expect(sentBackText({ state: "queued" })).toMatch(/^Sent back: every agent slot .* busy/);
  });
});
