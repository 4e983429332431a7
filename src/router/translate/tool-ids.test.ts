import { describe, expect, it } from "vitest";
import { newMessageId, newToolUseId, randomHex, sanitizeToolId } from "./tool-ids.js";

describe("sanitizeToolId", () => {
  it("keeps valid ids unchanged", () => {
    for (const id of ["call_abc123", "toolu_01A09q90qw90lq917835lq9", "a-b_c"]) {
      expect(sanitizeToolId(id)).toBe(id);
    }
  });

  it("replaces other characters with _", () => {
    expect(sanitizeToolId("functions.Bash:0")).toBe("functions_Bash_0");
    expect(sanitizeToolId("call 1/é")).toBe("call_1__");
  });

  it("generates an id when missing, blank or purely numeric", () => {
    for (const id of [undefined, null, "", "   ", "0", "42"]) {
      expect(sanitizeToolId(id)).toMatch(/^toolu_[0-9a-f]{24}$/);
    }
    expect(sanitizeToolId("0")).not.toBe(sanitizeToolId("0"));
  });
});

describe("newToolUseId / newMessageId", () => {
  it("have the documented shape", () => {
    expect(newToolUseId()).toMatch(/^toolu_[0-9a-f]{24}$/);
    expect(newMessageId()).toMatch(/^msg_[0-9a-f]{24}$/);
  });

  it("are unique, also across refills of the random pool (1,000 ids take 12,000 bytes)", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId()));
    expect(ids.size).toBe(1000);
  });

  it("use every hex digit, evenly enough to be random", () => {
    const counts = new Map<string, number>();
    for (const char of Array.from({ length: 500 }, () => randomHex(12)).join("")) {
      counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    // 12,000 digits: about 750 each.
    expect([...counts.keys()].sort().join("")).toBe("0123456789abcdef");
    for (const count of counts.values()) expect(count).toBeGreaterThan(500);
  });
});
