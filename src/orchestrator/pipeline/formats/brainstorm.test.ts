import { describe, expect, it } from "vitest";
import { parseBrainstorm } from "./brainstorm.js";

const QUESTION = `I looked at src/greet.js.

QUESTION: Should greetings in other languages be a parameter or a separate function?
(a) a parameter  (b) separate functions

I recommend (a).
`;

const READY = `DESIGN READY
Approaches:
1. A language parameter (recommended)
2. One function per language
Recommendation: 1, because the API stays small.
Assumptions:
- English is the default.
`;

describe("parseBrainstorm", () => {
  it("reads a question with its option lines, up to the blank line", () => {
    expect(parseBrainstorm(QUESTION)).toEqual({
      kind: "question",
      question:
        "Should greetings in other languages be a parameter or a separate function?\n(a) a parameter  (b) separate functions",
    });
  });

  it("reads a question at the end of the message", () => {
    expect(parseBrainstorm("QUESTION: Which port?\n- 8080\n- 3000")).toEqual({
      kind: "question",
      question: "Which port?\n- 8080\n- 3000",
    });
  });

  it("reads a question whose text starts on the next line", () => {
    expect(parseBrainstorm("**Question:**\n\nWhich port?\n(a) 8080\n\nthanks")).toEqual({
      kind: "question",
      question: "Which port?\n(a) 8080",
    });
  });

  it("reads a design, returning the whole message", () => {
    expect(parseBrainstorm(READY)).toEqual({ kind: "ready", design: READY.trim() });
  });

  it.each([
    ["## Design ready"],
    ["**DESIGN READY**"],
    ["design_ready: greet with languages"],
    ["Design-Ready"],
  ])("accepts the marker %j", (marker) => {
    expect(parseBrainstorm(`Intro.\n${marker}\nApproaches: …`).kind).toBe("ready");
  });

  it.each([
    ["The design is ready."],
    ["My question: is this clear?"],
    ["QUESTION:"],
    ["QUESTION:   \n\n"],
    ["```\nDESIGN READY\nQUESTION: x\n```"],
    [""],
  ])("finds nothing in %j", (text) => {
    expect(parseBrainstorm(text)).toEqual({ kind: "unclear" });
  });

  it("lets whichever marker comes first win", () => {
    expect(parseBrainstorm("QUESTION: a or b?\n\nDESIGN READY\n…")).toEqual({
      kind: "question",
      question: "a or b?",
    });
    const design = "DESIGN READY\nApproaches: …\nOpen point:\nQUESTION: a or b?";
    expect(parseBrainstorm(design)).toEqual({ kind: "ready", design });
  });

  it("stops a question at a DESIGN READY line without a blank line before it", () => {
    expect(parseBrainstorm("QUESTION: a or b?\nDESIGN READY")).toEqual({
      kind: "question",
      question: "a or b?",
    });
  });

  it("reads CRLF input", () => {
    expect(parseBrainstorm(QUESTION.replace(/\n/g, "\r\n"))).toEqual(parseBrainstorm(QUESTION));
    expect(parseBrainstorm(READY.replace(/\n/g, "\r\n"))).toEqual(parseBrainstorm(READY));
  });
});
