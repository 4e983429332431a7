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

  it("keeps text, passed bytes, literals and numbers in order, as one byte array", () => {
    const out = new SseOutputBuffer();
    const upstream = encoder.encode('{"content":"héllo"}');
    out.write("head ");
    out.pass(encoder.encode("[bytes]"));
    const start = encoder.encode('{"content":').length;
    out.passRange(upstream, start, upstream.length - 1);
    out.passNumber(1234);
    out.write(" tail é");
    const taken = out.take();
    expect(taken).toBeInstanceOf(Uint8Array);
    expect(decoder.decode(toBytes(taken))).toBe('head [bytes]"héllo"1234 tail é');
    expect(out.take()).toBe("");
  });

  it("grows past its first buffer, and a take is not changed by later writes", () => {
    const out = new SseOutputBuffer();
    const long = "ü".repeat(3000);
    out.pass(encoder.encode("<"));
    out.write(long);
    const first = out.take();
    out.pass(encoder.encode("second"));
    expect(decoder.decode(toBytes(first))).toBe(`<${long}`);
    expect(decoder.decode(toBytes(out.take()))).toBe("second");
  });

  it("refuses takeText while passed bytes wait", () => {
    const out = new SseOutputBuffer();
    out.pass(encoder.encode("x"));
    expect(() => out.takeText()).toThrow(/passed bytes/);
  });
});
