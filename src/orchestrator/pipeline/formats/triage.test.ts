import { describe, expect, it } from "vitest";
import { parseTriage, type TriageDecision } from "./triage.js";

const TRIAGE = `# Triage

- [accept] 1: src/greet.js:3 — Reason it is right.
- [reject] 2: README.md:1 — Reason it is wrong.
- [needs-human] 3 — Reason a person must decide.

VERDICT: hire — overall judgement of the reviewer
`;

describe("parseTriage", () => {
  it("reads the example triage", () => {
    expect(parseTriage(TRIAGE)).toEqual({
      decisions: [
        { decision: "accept", ref: "1", location: "src/greet.js:3", reason: "Reason it is right." },
        { decision: "reject", ref: "2", location: "README.md:1", reason: "Reason it is wrong." },
        { decision: "needs-human", ref: "3", location: "", reason: "Reason a person must decide." },
      ],
      verdict: "hire — overall judgement of the reviewer",
      hire: true,
    });
  });

  it("reads CRLF input like LF input", () => {
    expect(parseTriage(TRIAGE.replace(/\n/g, "\r\n"))).toEqual(parseTriage(TRIAGE));
  });

  it.each<[string, TriageDecision]>([
    ["- [ACCEPT] 1: a.ts:3 — r", { decision: "accept", ref: "1", location: "a.ts:3", reason: "r" }],
    ["* [accepted] #4. a.ts — r", { decision: "accept", ref: "4", location: "a.ts", reason: "r" }],
    [
      "1. [Rejected] F2 — src/x.ts:9 – r",
      { decision: "reject", ref: "F2", location: "src/x.ts:9", reason: "r" },
    ],
    ["- [needs_human] 3: r", { decision: "needs-human", ref: "3", location: "", reason: "r" }],
    ["- [Needs Human] 3) r", { decision: "needs-human", ref: "3", location: "", reason: "r" }],
    [
      "- [reject] The reviewer misread it.",
      { decision: "reject", ref: "", location: "", reason: "The reviewer misread it." },
    ],
    ["- [reject] src/a.ts:2 — r", { decision: "reject", ref: "", location: "src/a.ts:2", reason: "r" }],
    ["- **[accept]** 1 - r", { decision: "accept", ref: "1", location: "", reason: "r" }],
    ["- [accept] 12", { decision: "accept", ref: "12", location: "", reason: "" }],
  ])("reads the decision %j", (line, decision) => {
    expect(parseTriage(line).decisions).toEqual([decision]);
  });

  it.each([
    ["- [maybe] 1: r"],
    ["- accept 1: r"],
    ["We [accept] most of it."],
    ["```\n- [accept] 1: r\n```"],
  ])("does not take %j for a decision", (text) => {
    expect(parseTriage(text).decisions).toEqual([]);
  });

  it("joins indented continuation lines into the reason", () => {
    expect(
      parseTriage("- [accept] 1: a.ts:3 — Right:\n  the check is missing.\n- [reject] 2 — no").decisions,
    ).toEqual([
      { decision: "accept", ref: "1", location: "a.ts:3", reason: "Right:\nthe check is missing." },
      { decision: "reject", ref: "2", location: "", reason: "no" },
    ]);
  });

  it.each([
    ["VERDICT: hire — careful reviewer", "hire — careful reviewer", true],
    ["**Verdict:** no hire: mostly wrong", "no hire: mostly wrong", false],
    ["VERDICT: No-hire", "No-hire", false],
    ["VERDICT: don't hire", "don't hire", false],
    ["VERDICT: mixed", "mixed", undefined],
    ["VERDICT: hirewise fine", "hirewise fine", undefined],
    ["No verdict here.", undefined, undefined],
  ])("reads the verdict line %j", (line, verdict, hire) => {
    const triage = parseTriage(`- [accept] 1 — r\n\n${line}`);
    expect(triage.verdict).toBe(verdict);
    expect(triage.hire).toBe(hire);
  });

  it("lets the last verdict line win", () => {
    expect(parseTriage("VERDICT: no hire\nVERDICT: hire").verdict).toBe("hire");
  });

  it("handles empty input", () => {
    expect(parseTriage("")).toEqual({ decisions: [], verdict: undefined, hire: undefined });
  });
});
