import { describe, expect, it } from "vitest";
import {
  blankInlineCode,
  inlineCodeSpans,
  matchLabel,
  parseHeading,
  parseListItem,
  scanFences,
  toLines,
  unquote,
  unwrap,
} from "./markdown.js";

describe("toLines", () => {
  it.each([
    ["a\nb", ["a", "b"]],
    ["a\r\nb", ["a", "b"]],
    ["a\rb", ["a", "b"]],
    ["\uFEFFa", ["a"]],
    ["", [""]],
  ])("%j", (text, lines) => {
    expect(toLines(text)).toEqual(lines);
  });
});

describe("scanFences", () => {
  it("marks fence lines and their contents", () => {
    const lines = ["a", "```ts", "x", "```", "b"];
    expect(scanFences(lines)).toEqual({
      inFence: [false, true, true, true, false],
      fences: [{ open: 1, close: 3, contentLines: 1 }],
    });
  });

  it("accepts indented and tilde fences, and needs a closing fence at least as long", () => {
    const lines = ["   ~~~~", "```", "~~~", "~~~~", "after"];
    const { inFence, fences } = scanFences(lines);
    expect(inFence).toEqual([true, true, true, true, false]);
    expect(fences).toEqual([{ open: 0, close: 3, contentLines: 2 }]);
  });

  it("runs an unclosed fence to the end", () => {
    expect(scanFences(["```", "x", "y"]).fences).toEqual([{ open: 0, close: undefined, contentLines: 2 }]);
  });

  it("does not take a one-line ```code``` for a fence", () => {
    expect(scanFences(["```not a fence```", "text"]).fences).toEqual([]);
  });
});

describe("inline code", () => {
  it.each([
    ["a `b` c", "a     c", ["b"]],
    ["``x ` y`` z", "          z", ["x ` y"]],
    ["unclosed `tick", "unclosed `tick", []],
    ["`a`, `b`", "   ,    ", ["a", "b"]],
  ])("%j", (line, blanked, spans) => {
    expect(blankInlineCode(line)).toBe(blanked);
    expect(inlineCodeSpans(line)).toEqual(spans);
  });
});

describe("parseHeading", () => {
  it.each([
    ["# Title", { level: 1, text: "Title" }],
    ["## Task 1: x ##", { level: 2, text: "Task 1: x" }],
    ["   ### Deep", { level: 3, text: "Deep" }],
    ["#", { level: 1, text: "" }],
    ["#hashtag", undefined],
    ["    # indented code", undefined],
  ])("%j", (line, heading) => {
    expect(parseHeading(line)).toEqual(heading);
  });
});

describe("parseListItem", () => {
  it.each([
    ["- a", { indent: 0, marker: "-", ordered: false, content: "a", checkbox: false }],
    ["  12) b", { indent: 2, marker: "12)", ordered: true, content: "b", checkbox: false }],
    ["\t* [x] done", { indent: 4, marker: "*", ordered: false, content: "done", checkbox: true }],
    ["**Files:**", undefined],
    ["-no-space", undefined],
  ])("%j", (line, item) => {
    expect(parseListItem(line)).toEqual(item);
  });
});

describe("matchLabel", () => {
  it.each([
    ["Files: a", { label: "files", value: "a", bulleted: false, decorated: false }],
    ["**Files:** a", { label: "files", value: "a", bulleted: false, decorated: true }],
    ["**FILES**: a", { label: "files", value: "a", bulleted: false, decorated: true }],
    ["- __Files__ :  a  ", { label: "files", value: "a", bulleted: true, decorated: true }],
    ["`Files: a`", { label: "files", value: "a", bulleted: false, decorated: true }],
    ["> Files:", { label: "files", value: "", bulleted: false, decorated: false }],
    ["Filesystem: a", undefined],
    ["The Files: a", undefined],
  ])("%j", (line, label) => {
    expect(matchLabel(line, "files")).toEqual(label);
  });
});

describe("unwrap and unquote", () => {
  it.each([
    ["**x**", "x"],
    ["`x`", "x"],
    ["_**x**_", "x"],
    ["**a** and **b**", "**a** and **b**"],
  ])("unwrap %j", (text, out) => {
    expect(unwrap(text)).toBe(out);
  });

  it.each([
    ['"msg"', "msg"],
    ["“msg”", "msg"],
    ["'msg'", "msg"],
    ['"a" and "b"', '"a" and "b"'],
    ["`x`", "x"],
    ['"unbalanced', '"unbalanced'],
  ])("unquote %j", (text, out) => {
    expect(unquote(text)).toBe(out);
  });
});
