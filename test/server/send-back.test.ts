import { describe, expect, it } from "vitest";
import type { NewReviewComment } from "../../src/server/review-comments.js";
import { formatSendBack } from "../../src/server/send-back.js";

const comment = (
  file: string,
  line: number,
  text: string,
  extra: Partial<NewReviewComment> = {},
): NewReviewComment => ({ file, line, side: "new", code: "", text, ...extra });

describe("the send-back message", () => {
  it("quotes each comment's file, line and code, sorted by file and line, after the general note", () => {
    const message = formatSendBack(
      [
        comment("src/z.js", 3, "Rename this."),
        comment("src/greet.js", 12, "Handle the empty string too.", { code: '  return "Hello, " + name;  ' }),
        comment("src/greet.js", 2, "This import is unused.", { side: "old", code: "import x from 'y';" }),
      ],
      "  Nearly there.  ",
    );
    expect(message).toBe(
      [
        "Nearly there.",
        "Review comments (3) on your changes; please address each one:",
        "src/greet.js:2 (removed line)\n> import x from 'y';\nThis import is unused.",
        'src/greet.js:12\n>   return "Hello, " + name;\nHandle the empty string too.',
        "src/z.js:3\nRename this.",
      ].join("\n\n"),
    );
  });

  it("is empty with nothing to say, and just the note without comments", () => {
    expect(formatSendBack([], "  ")).toBe("");
    expect(formatSendBack([], "Please add tests.")).toBe("Please add tests.");
  });
});
