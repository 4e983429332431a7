import { describe, expect, it } from "vitest";
import { decodeReasoning, encodeReasoning } from "./reasoning-carrier.js";

describe("reasoning carried in encrypted_content", () => {
  it("round-trips text, signature and redacted data, including non-ASCII text", () => {
    const carried = { text: "héllo 日本 🙂", signature: "EqQBCkgIARABGAIi", redacted: "opaque" };
    expect(decodeReasoning(encodeReasoning(carried))).toEqual(carried);
    expect(decodeReasoning(encodeReasoning({ text: "t" }))).toEqual({ text: "t" });
  });

  it("ignores content grove did not write, and broken content", () => {
    expect(decodeReasoning("gAAAAABoOpenAIsOwn")).toBeUndefined();
    expect(decodeReasoning("grove.v1.%%%")).toBeUndefined();
    expect(decodeReasoning(undefined)).toBeUndefined();
  });
});
