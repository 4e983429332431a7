import { describe, expect, it } from "vitest";
import { SseOutputBuffer, toBytes } from "./sse-output.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

describe("SseOutputBuffer", () => {
  it("gives text alone when nothing was passed, and then nothing", () => {
    const out = new SseOutputBuffer();
    out.write("a");
    out.write("b");
    expect(out.take()).toBe("ab");
    expect(out.take()).toBe("");
  });

  it("keeps text and passed pieces in order, and toBytes joins them into one write", () => {
    const out = new SseOutputBuffer();
    const upstream = encoder.encode('{"content":"héllo"}');
    out.write("head ");
    out.pass(encoder.encode("[bytes]"));
    const start = encoder.encode('{"content":').length;
    out.pass({ bytes: upstream, start, end: upstream.length - 1 });
    out.write(" tail é");
    const taken = out.take();
    expect(decoder.decode(toBytes(taken))).toBe('head [bytes]"héllo" tail é');
    expect(out.take()).toBe("");
  });

  it("refuses takeText while passed pieces wait", () => {
    const out = new SseOutputBuffer();
    out.pass("x");
    expect(() => out.takeText()).toThrow(/passed pieces/);
  });
});
