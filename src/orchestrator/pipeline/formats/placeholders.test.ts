import { describe, expect, it } from "vitest";
import { findPlaceholders, placeholderProblems } from "./placeholders.js";

const matches = (text: string) => findPlaceholders(text).map((found) => found.match);

describe("findPlaceholders", () => {
  // Each row: a line that must be flagged (with the expected match), then a similar line that must not.
  it.each([
    ["Storage: TBD.", "TBD", "Storage: SQLite (TBDB is not an option)."],
    ["Timeout is tbd", "tbd", "See `tbd` in the config."],
    ["The retry limit is to be determined.", "to be determined", "The retry limit is determined by config."],
    ["TODO: write the parser", "TODO", "Build a todo list app; save todos in `todos.ts`."],
    ["todo: write the parser", "todo", "Store each todo item in todos.json."],
    ["Steps: (TODO)", "TODO", "Edit src/todo.ts and src/todo/list.ts."],
    ["FIXME later", "FIXME", "Rename fixmes.md"],
    ["Phone format XXX", "XXX", "Use size XXXL."],
    ["Same as task 2.", "Same as task 2", "Run the same test as in step 2."],
    ["Similar to Task #3 but for French.", "Similar to Task #3", "See task 3 for the French greeting."],
    ["Do it like task 1", "like task 1", "Users who like tasks can add more."],
    ["Repeat the steps of task 2", "Repeat the steps of task 2", "Repeat the request twice."],
    [
      "Same as the previous task.",
      "Same as the previous task",
      "Keep the previous task's file layout: `src/`.",
    ],
    ["Same as above.", "Same as above", "The same file as before is edited."],
    ["Add validation.", "Add validation", "Validate that name is a string; throw TypeError otherwise."],
    ["Add proper input validation", "Add proper input validation", "The input validation module exists."],
    ["Add error handling", "Add error handling", "Catch ENOENT and return undefined."],
    ["add appropriate error-handling", "add appropriate error-handling", "Errors are handled by the caller."],
    ["Handle edge cases.", "Handle edge cases", "Edge case: an empty name returns 'Hello, !'."],
    ["Handle all the edge cases", "Handle all the edge cases", "Handles the empty-name case."],
    ["Implement the rest", "Implement the rest", "Implement the remaining two methods: a() and b()."],
    ["Fill in the body", "Fill in", "The user fills in the form."],
    ["Languages: en, fr, etc.", "etc.", "Mention etcetera and etchings only."],
    ["Languages: en, fr etc", "etc", "Edit /etc/hosts and etc.conf."],
    ["and so on", "and so on", "and so the run ends"],
    ["Files: <file>", "<file>", "Returns Promise<string> or Map<K, V>."],
    ["Write <description of the change>", "<description of the change>", "Press <br> then <kbd>."],
    ["Path: <path/to/file>", "<path/to/file>", "Use a <= b and c > d."],
    ["...", "...", "Wait... then retry."],
    ["  - …", "…", "Items: a … z"],
    ["1. ...", "...", "1. Run it..."],
  ])("flags %j (as %j) but not %j", (bad, match, good) => {
    expect(matches(bad)).toEqual([match]);
    expect(matches(good)).toEqual([]);
  });

  it("ignores inline code spans and fenced code blocks", () => {
    const text = [
      "Run `grep TODO src` and `// TODO: later` stays.",
      "```js",
      "// TODO: not flagged",
      "const x = `TBD`; // etc.",
      "...",
      "```",
      "~~~",
      "FIXME",
      "~~~",
    ].join("\n");
    expect(findPlaceholders(text)).toEqual([]);
  });

  it("reports 1-based lines in order, several per line, with CRLF input", () => {
    const text = "# Title\r\nTBD and TODO\r\n\r\nSimilar to task 1, etc.\r\n";
    expect(findPlaceholders(text).map(({ line, match }) => ({ line, match }))).toEqual([
      { line: 2, match: "TBD" },
      { line: 2, match: "TODO" },
      { line: 4, match: "Similar to task 1" },
      { line: 4, match: "etc." },
    ]);
  });

  it("reports a match once even when two rules find it", () => {
    expect(matches("TODO: x")).toEqual(["TODO"]);
  });

  it("returns nothing for empty or whitespace-only text", () => {
    expect(findPlaceholders("")).toEqual([]);
    expect(findPlaceholders(" \n\t\n")).toEqual([]);
  });

  it("gives every match a hint", () => {
    for (const found of findPlaceholders("TBD\nadd validation\n<file>\n...")) {
      expect(found.hint.length).toBeGreaterThan(10);
    }
  });
});

describe("placeholderProblems", () => {
  it("turns placeholders into actionable lint problems", () => {
    expect(placeholderProblems("ok\nStorage: TBD")).toEqual([
      { line: 2, message: 'placeholder "TBD": decide it now and write the decision down' },
    ]);
  });
});
