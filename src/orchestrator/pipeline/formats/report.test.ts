import { describe, expect, it } from "vitest";
import { parseReport } from "./report.js";

describe("parseReport", () => {
  it.each([
    ["STATUS: DONE", "DONE"],
    ["status: done", "DONE"],
    ["Status:DONE_WITH_CONCERNS", "DONE_WITH_CONCERNS"],
    ["STATUS: done with concerns", "DONE_WITH_CONCERNS"],
    ["STATUS: needs-context", "NEEDS_CONTEXT"],
    ["**STATUS:** BLOCKED", "BLOCKED"],
    ["**Status**: `NEEDS_CONTEXT`", "NEEDS_CONTEXT"],
    ["`STATUS: DONE`", "DONE"],
    ["STATUS: **DONE** — all 12 tests pass", "DONE"],
    ["- STATUS: BLOCKED (no network)", "BLOCKED"],
    ["  STATUS:   DONE  ", "DONE"],
    ["### Status: blocked", "BLOCKED"],
  ])("reads %j", (line, status) => {
    expect(parseReport(`Did the work.\n${line}\n`).status).toBe(status);
  });

  it.each([
    ["STATUS: FINISHED"],
    ["STATUS: DONEISH"],
    ["STATUS: DONE_WITH"],
    ["My status: DONE is what I would say"],
    ["The STATUS: DONE line comes next"],
    ["Status"],
  ])("does not take %j for a status", (line) => {
    expect(parseReport(line).status).toBeUndefined();
  });

  it("lets the last status line win", () => {
    expect(parseReport("STATUS: BLOCKED\nthen it worked\nSTATUS: DONE").status).toBe("DONE");
  });

  it("ignores status lines inside code blocks", () => {
    const report = parseReport("STATUS: NEEDS_CONTEXT\n```\nSTATUS: DONE\n```\n");
    expect(report.status).toBe("NEEDS_CONTEXT");
    expect(report.body).toBe("```\nSTATUS: DONE\n```");
  });

  it("returns the rest of the message as the body, with CRLF normalised", () => {
    expect(parseReport("\r\nSTATUS: DONE_WITH_CONCERNS\r\n\r\nTests pass.\r\nConcern: slow.\r\n")).toEqual({
      status: "DONE_WITH_CONCERNS",
      body: "Tests pass.\nConcern: slow.",
    });
  });

  it("handles empty and status-less messages", () => {
    expect(parseReport("")).toEqual({ status: undefined, body: "" });
    expect(parseReport("  I could not finish.  ")).toEqual({
      status: undefined,
      body: "I could not finish.",
    });
  });
});
