import { describe, expect, it } from "vitest";
import { formatLintProblems, sortProblems } from "./problems.js";

describe("sortProblems", () => {
  it("orders by line, document-wide problems first, keeping the order within a line", () => {
    expect(
      sortProblems([
        { line: 5, message: "a" },
        { line: 0, message: "b" },
        { line: 5, message: "c" },
        { line: 2, message: "d" },
        { line: 0, message: "e" },
      ]).map((problem) => problem.message),
    ).toEqual(["b", "e", "d", "a", "c"]);
  });
});

describe("formatLintProblems", () => {
  it("writes one bullet per problem, with the line when there is one", () => {
    expect(
      formatLintProblems([
        { line: 0, message: "the plan has no tasks" },
        { line: 12, message: 'placeholder "TBD"' },
      ]),
    ).toBe('- the plan has no tasks\n- line 12: placeholder "TBD"');
  });

  it("is empty for no problems", () => {
    expect(formatLintProblems([])).toBe("");
  });
});
