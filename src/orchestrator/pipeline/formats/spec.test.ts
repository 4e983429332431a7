import { describe, expect, it } from "vitest";
import { parseSpec } from "./spec.js";

const SPEC = `# Greet in many languages

## Goal
greet() says hello in the caller's language.

## Requirements
- R1: The greeting ends with "!".
- R2: greet() accepts an optional language.

## Approach
Considered a separate function per language; chose a parameter.

## Assumptions
- English is the default.
`;

const messages = (text: string) => parseSpec(text).problems.map((problem) => problem.message);

describe("parseSpec", () => {
  it("reads the title, sections and requirements of a well-formed spec", () => {
    expect(parseSpec(SPEC)).toEqual({
      title: "Greet in many languages",
      requirements: [
        { id: "R1", text: 'The greeting ends with "!".', line: 7 },
        { id: "R2", text: "greet() accepts an optional language.", line: 8 },
      ],
      sections: ["Goal", "Requirements", "Approach", "Assumptions"],
      problems: [],
    });
  });

  it("reads the same spec with CRLF line endings", () => {
    expect(parseSpec(SPEC.replace(/\n/g, "\r\n"))).toEqual(parseSpec(SPEC));
  });

  it.each([
    ["- R1: a", "R1", "a"],
    ["* R1: a", "R1", "a"],
    ["- **R1**: a", "R1", "a"],
    ["- **R1:** a", "R1", "a"],
    ["-   r01 :   a  ", "R1", "a"],
    ["1. R12: a", "R12", "a"],
  ])("accepts the requirement form %j", (bullet, id, text) => {
    const spec = parseSpec(`# T\n## Requirements\n${bullet}\n`);
    expect(spec.requirements).toEqual([{ id, text, line: 3 }]);
    expect(spec.problems).toEqual([]);
  });

  it("joins indented continuation lines and sub-bullets into the requirement", () => {
    const spec = parseSpec(
      "# T\n## Requirements\n- R1: The greeting\n  ends with a bang.\n  - even in French\n",
    );
    expect(spec.requirements).toEqual([
      { id: "R1", text: "The greeting ends with a bang. - even in French", line: 3 },
    ]);
  });

  it("only reads requirements under the Requirements section, up to the next section", () => {
    const spec = parseSpec(
      "# T\n- R9: not here\n## Requirements (must)\n- R1: a\n### Nice to have\n- R2: b\n## Approach\n- R3: not here\n",
    );
    expect(spec.requirements.map((requirement) => requirement.id)).toEqual(["R1", "R2"]);
  });

  it("ignores requirement-looking lines inside code blocks", () => {
    const spec = parseSpec("# T\n## Requirements\n- R1: a\n```\n- R2: b\n```\n");
    expect(spec.requirements.map((requirement) => requirement.id)).toEqual(["R1"]);
  });

  describe("problems", () => {
    it.each([
      [
        "missing title",
        "## Requirements\n- R1: a\n",
        "## Other\n# T\n## Requirements\n- R1: a\n",
        "no title",
      ],
      ["empty title", "#\n## Requirements\n- R1: a\n", "# T\n## Requirements\n- R1: a\n", "no title"],
      [
        "no Requirements section",
        "# T\n## Goal\n- R1: a\n",
        "# T\n## Requirements\n- R1: a\n",
        '"## Requirements"',
      ],
      [
        "no requirements",
        "# T\n## Requirements\nNone yet.\n## Approach\n",
        "# T\n## Requirements\nAll of:\n- R1: a\n",
        "lists no requirements",
      ],
      [
        "duplicate ids",
        "# T\n## Requirements\n- R1: a\n- R01: b\n",
        "# T\n## Requirements\n- R1: a\n- R2: b\n",
        "duplicate",
      ],
      [
        "bullet without id",
        "# T\n## Requirements\n- R1: a\n- b\n",
        "# T\n## Requirements\n- R1: a\n  - b\n",
        "without an id",
      ],
      ["unbulleted id", "# T\n## Requirements\nR1: a\n", "# T\n## Requirements\n- R1: a\n", "as a bullet"],
      [
        "empty requirement",
        "# T\n## Requirements\n- R1:\n",
        "# T\n## Requirements\n- R1: a\n",
        "has no text",
      ],
      [
        "placeholder",
        "# T\n## Requirements\n- R1: TBD\n",
        "# T\n## Requirements\n- R1: `TBD` is a column\n",
        "placeholder",
      ],
    ])("%s", (_name, bad, good, fragment) => {
      expect(messages(bad).some((message) => message.includes(fragment))).toBe(true);
      expect(messages(good)).toEqual([]);
    });

    it("points at the line of a duplicate and names the first one", () => {
      expect(parseSpec("# T\n## Requirements\n- R1: a\n- R1: b\n").problems).toEqual([
        {
          line: 4,
          message: "duplicate requirement id R1 (already used on line 3): give each requirement its own id",
        },
      ]);
    });

    it("reports title and section problems for empty input", () => {
      expect(parseSpec("")).toEqual({
        title: "",
        requirements: [],
        sections: [],
        problems: [
          { line: 0, message: 'the spec has no title: start it with "# <title>"' },
          {
            line: 0,
            message:
              'the spec has no "## Requirements" section: add one with a "- R1: …" bullet per requirement',
          },
        ],
      });
    });

    it("flags the unfilled template title as a placeholder", () => {
      expect(messages("# <Title>\n## Requirements\n- R1: a\n")).toEqual([
        'placeholder "<Title>": replace the template token with the real value',
      ]);
    });
  });
});
