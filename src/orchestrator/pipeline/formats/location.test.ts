import { describe, expect, it } from "vitest";
import { isLocationLike, splitLocation } from "./location.js";

describe("isLocationLike", () => {
  it.each([
    ["src/a.ts", true],
    ["src/a.ts:3", true],
    ["src/a.ts:3-7", true],
    ["src/a.ts:3:14", true],
    ["src/a.ts#L3-L7", true],
    ["README.md", true],
    [".github/workflows/ci.yml", true],
    ["Makefile:2", true],
    ["src/", true],
    ["Makefile", false],
    ["Note", false],
    ["v1.2", false],
    ["e.g.", false],
    ["greet()", false],
    ["a b.ts", false],
    ["-", false],
    ["", false],
  ])("%j → %s", (token, expected) => {
    expect(isLocationLike(token)).toBe(expected);
  });
});

describe("splitLocation", () => {
  it.each([
    ["src/a.ts:3 — text", "src/a.ts:3", "text"],
    ["src/a.ts:3—text", "src/a.ts:3", "text"],
    ["src/a.ts:3 – text", "src/a.ts:3", "text"],
    ["src/a.ts:3 - text", "src/a.ts:3", "text"],
    ["src/a.ts:3: text", "src/a.ts:3", "text"],
    ["src/a.ts: text", "src/a.ts", "text"],
    ["`src/a.ts:3` text", "src/a.ts:3", "text"],
    ["src/a.ts:3 text", "src/a.ts:3", "text"],
    ["src/a.ts:3", "src/a.ts:3", ""],
    ["src/a.ts text", "", "src/a.ts text"],
    ["src/a.ts-old — text", "src/a.ts-old", "text"],
    ["Note: text", "", "Note: text"],
    ["`greet()` — text", "", "`greet()` — text"],
    ["`unclosed — text", "", "`unclosed — text"],
    ["  ", "", ""],
  ])("%j", (input, location, text) => {
    expect(splitLocation(input)).toEqual({ location, text });
  });
});
