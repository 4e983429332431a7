import { describe, expect, it } from "vitest";
import { blockingFindings, type Finding, formatFindings, parseReview } from "./review.js";

const REVIEW = `VERDICT: CHANGES_REQUESTED
FINDINGS:
- [important] src/greet.js:3 — The language argument is ignored.
- [minor] test/greet.test.js:10 — The test name says "hi" but checks "hello".
`;

describe("parseReview", () => {
  it("reads the example review", () => {
    expect(parseReview(REVIEW)).toEqual({
      verdict: "CHANGES_REQUESTED",
      findings: [
        { severity: "important", location: "src/greet.js:3", text: "The language argument is ignored." },
        {
          severity: "minor",
          location: "test/greet.test.js:10",
          text: 'The test name says "hi" but checks "hello".',
        },
      ],
      body: REVIEW.trim(),
    });
  });

  it("reads CRLF input like LF input", () => {
    const crlf = parseReview(REVIEW.replace(/\n/g, "\r\n"));
    expect(crlf).toEqual(parseReview(REVIEW));
  });

  it.each([
    ["VERDICT: APPROVED", "APPROVED"],
    ["verdict: approve", "APPROVED"],
    ["**VERDICT:** CHANGES_REQUESTED", "CHANGES_REQUESTED"],
    ["Verdict: `changes requested`", "CHANGES_REQUESTED"],
    ["`VERDICT: APPROVED`", "APPROVED"],
    ["## VERDICT: APPROVED", "APPROVED"],
    ["#VERDICT: APPROVED", undefined],
    ["VERDICT: LGTM", undefined],
    ["VERDICT: APPROVED_WITH_NITS", undefined],
    ["The verdict: approved by me", undefined],
  ])("reads the verdict line %j", (line, verdict) => {
    expect(parseReview(line).verdict).toBe(verdict);
  });

  it("lets the last verdict win and ignores verdicts in code", () => {
    expect(parseReview("VERDICT: CHANGES_REQUESTED\n…\nVERDICT: APPROVED").verdict).toBe("APPROVED");
    expect(parseReview("VERDICT: APPROVED\n```\nVERDICT: CHANGES_REQUESTED\n```").verdict).toBe("APPROVED");
  });

  it.each<[string, Finding]>([
    ["- [critical] src/a.ts:3 — x", { severity: "critical", location: "src/a.ts:3", text: "x" }],
    ["* [Important] src/a.ts:3 – x", { severity: "important", location: "src/a.ts:3", text: "x" }],
    ["1. [MINOR] src/a.ts:3 - x", { severity: "minor", location: "src/a.ts:3", text: "x" }],
    ["2) [minor] src/a.ts:3: x", { severity: "minor", location: "src/a.ts:3", text: "x" }],
    ["- [minor] `src/a b.ts:3` — x", { severity: "minor", location: "", text: "`src/a b.ts:3` — x" }],
    ["- [minor] `src/a.ts:3-7` — x", { severity: "minor", location: "src/a.ts:3-7", text: "x" }],
    ["- [minor] README.md — x", { severity: "minor", location: "README.md", text: "x" }],
    ["- [minor] src/a.ts:3 x", { severity: "minor", location: "src/a.ts:3", text: "x" }],
    ["- [minor] The name is vague.", { severity: "minor", location: "", text: "The name is vague." }],
    ["- [minor] Naming — vague", { severity: "minor", location: "", text: "Naming — vague" }],
    ["- [minor] Note: x", { severity: "minor", location: "", text: "Note: x" }],
    ["- [minor] src/a.ts is too long", { severity: "minor", location: "", text: "src/a.ts is too long" }],
    ["- **[major]** src/a.ts:3 — x", { severity: "important", location: "src/a.ts:3", text: "x" }],
    ["- [blocker] x", { severity: "critical", location: "", text: "x" }],
    ["- [nit] x", { severity: "minor", location: "", text: "x" }],
    ["[important] x", { severity: "important", location: "", text: "x" }],
    ["  - [minor]   x  ", { severity: "minor", location: "", text: "x" }],
  ])("reads the finding %j", (line, finding) => {
    expect(parseReview(line).findings).toEqual([finding]);
  });

  it.each([
    ["- [high] x"],
    ["- [suggestion] x"],
    ["- important: x"],
    ["Severity [important] is for bugs."],
    ["-[minor] x"],
  ])("does not take %j for a finding", (line) => {
    expect(parseReview(line).findings).toEqual([]);
  });

  it("reads findings without a FINDINGS header, anywhere in the message, but not in code", () => {
    const review = parseReview(
      "Looks mostly fine.\n\n- [minor] a.ts:1 — one\n\nMore prose.\n```\n- [critical] fake\n```\n* [important] two\n",
    );
    expect(review.findings.map((finding) => finding.text)).toEqual(["one", "two"]);
  });

  it("joins indented continuation lines into the finding", () => {
    const review = parseReview(
      "- [important] src/a.ts:3 — The argument is ignored.\n  Suggested fix: pass it on.\n    - and test it\nNot part of it.\n- [minor] b",
    );
    expect(review.findings).toEqual([
      {
        severity: "important",
        location: "src/a.ts:3",
        text: "The argument is ignored.\nSuggested fix: pass it on.\n- and test it",
      },
      { severity: "minor", location: "", text: "b" },
    ]);
  });

  it("handles empty input", () => {
    expect(parseReview("")).toEqual({ verdict: undefined, findings: [], body: "" });
  });
});

describe("blockingFindings", () => {
  it("keeps critical and important findings, in order", () => {
    const findings: Finding[] = [
      { severity: "minor", location: "", text: "a" },
      { severity: "critical", location: "", text: "b" },
      { severity: "important", location: "x.ts:1", text: "c" },
    ];
    expect(blockingFindings(findings).map((finding) => finding.text)).toEqual(["b", "c"]);
    expect(blockingFindings([])).toEqual([]);
  });
});

describe("formatFindings", () => {
  it("writes one line per finding", () => {
    expect(
      formatFindings([
        { severity: "important", location: "src/greet.js:3", text: "The language argument is ignored." },
        { severity: "minor", location: "", text: "Rename x." },
      ]),
    ).toBe("- [important] src/greet.js:3 — The language argument is ignored.\n- [minor] Rename x.");
    expect(formatFindings([])).toBe("");
  });

  it("round-trips what parseReview read", () => {
    const text = [
      "VERDICT: CHANGES_REQUESTED",
      "1. [Critical] `lib/x.js:3-7` – Crash on empty input.",
      "   Repro: x('').",
      "* [nit] Note: naming — meh",
      "- [major] src/a.ts:3:",
      "- [minor] Makefile:2: tabs",
      "- [minor] src/a.ts is long",
    ].join("\n");
    const findings = parseReview(text).findings;
    expect(findings).toHaveLength(5);
    expect(parseReview(formatFindings(findings)).findings).toEqual(findings);
  });
});
