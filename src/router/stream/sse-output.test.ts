import { describe, expect, it } from "vitest";
import { joinOutputs, SseOutputBuffer, toBytes } from "./sse-output.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

const frameOf = (head: string, tail: string) => ({
  head: encoder.encode(head),
  middle: encoder.encode(":"),
  tail: encoder.encode(tail),
});

describe("SseOutputBuffer", () => {
  it("gives text alone when nothing was passed, and then nothing", () => {
    const out = new SseOutputBuffer();
    out.write("a");
    out.write("b");
    expect(out.take()).toBe("ab");
    expect(out.take()).toBe("");
  });

  it("keeps text and framed upstream literals in order, as one byte array", () => {
    const out = new SseOutputBuffer();
    const upstream = encoder.encode('{"content":"héllo"}');
    const start = encoder.encode('{"content":').length;
    out.write("head ");
    out.passLiteralFrames(upstream, [start, upstream.length - 1], frameOf("[", "]"), 1234);
    out.write(" tail é");
    const taken = out.take();
    expect(taken).toBeInstanceOf(Uint8Array);
    expect(decoder.decode(toBytes(taken))).toBe('head [1234:"héllo"] tail é');
    expect(out.take()).toBe("");
  });

  it("grows past its first pool, and a take is not changed by later writes", () => {
    const out = new SseOutputBuffer();
    const long = "ü".repeat(3000);
    const literal = encoder.encode('"<"');
    out.passLiteralFrames(literal, [0, 3], frameOf("", ""));
    out.write(long);
    const first = out.take();
    out.passLiteralFrames(literal, [0, 3], frameOf("second", ""));
    expect(decoder.decode(toBytes(first))).toBe(`"<"${long}`);
    expect(decoder.decode(toBytes(out.take()))).toBe('second"<"');
  });

  it("keeps every take intact while later output fills and replaces its pool", () => {
    const out = new SseOutputBuffer();
    const taken: [Uint8Array, string][] = [];
    for (let i = 0; i < 400; i++) {
      const literal = encoder.encode(`"${"x".repeat(i % 97)}"`);
      out.passLiteralFrames(literal, [0, literal.length], frameOf("<", ">"), i);
      if (i % 3 === 0) out.write(`ü${i}`);
      const framed = `<${i}:"${"x".repeat(i % 97)}">`;
      taken.push([toBytes(out.take()), i % 3 === 0 ? `${framed}ü${i}` : framed]);
    }
    for (const [bytes, expected] of taken) expect(decoder.decode(bytes)).toBe(expected);
  });

  it("frames each literal of a run, numbering them when asked", () => {
    const upstream = encoder.encode('xx"a"yy"bé"z""');
    const bounds = [2, 5, 7, 12, 13, 15];
    const frame = frameOf("<", ">");
    const plain = new SseOutputBuffer();
    plain.write("s");
    plain.passLiteralFrames(upstream, bounds, frame);
    expect(decoder.decode(toBytes(plain.take()))).toBe('s<"a"><"bé"><"">');
    const numbered = new SseOutputBuffer();
    numbered.passLiteralFrames(upstream, bounds, frame, 9);
    numbered.passLiteralFrames(upstream, bounds.slice(0, 2), frame, 99);
    numbered.passLiteralFrames(upstream, bounds.slice(0, 2), frame, 0);
    numbered.passLiteralFrames(upstream, [], frame, 5);
    expect(decoder.decode(toBytes(numbered.take()))).toBe('<9:"a"><10:"bé"><11:""><99:"a"><0:"a">');
    numbered.passLiteralFrames(upstream, [...bounds, ...bounds], frame, 998);
    expect(decoder.decode(toBytes(numbered.take()))).toBe(
      '<998:"a"><999:"bé"><1000:""><1001:"a"><1002:"bé"><1003:"">',
    );
  });

  it("joins a run's literals into one frame, numbered when asked, past its first pool", () => {
    const upstream = encoder.encode('xx"a"yy"bé\\n"z""');
    const bounds = [2, 5, 7, 14, 15, 17];
    const frame = frameOf("<", ">");
    const out = new SseOutputBuffer();
    out.write("s");
    out.passJoinedLiteralFrame(upstream, bounds, frame);
    expect(decoder.decode(out.lastJoinedInside())).toBe("abé\\n");
    out.passJoinedLiteralFrame(upstream, bounds.slice(2, 4), frame, 1000);
    expect(decoder.decode(out.lastJoinedInside())).toBe("bé\\n");
    out.passJoinedLiteralFrame(upstream, [], frame, 5);
    expect(out.lastJoinedInside()).toHaveLength(0);
    const text = decoder.decode(toBytes(out.take()));
    expect(text).toBe('s<"abé\\n"><1000:"bé\\n">');
    expect(JSON.parse(text.slice(2, text.indexOf(">")))).toBe("abé\n");
    const long = encoder.encode(`"${"x".repeat(70_000)}"`);
    out.passJoinedLiteralFrame(long, [0, long.length, 0, long.length], frame, 7);
    // In a new pool, the view follows it.
    expect(decoder.decode(out.lastJoinedInside())).toBe("x".repeat(140_000));
    expect(decoder.decode(toBytes(out.take()))).toBe(`<7:"${"x".repeat(140_000)}">`);
  });

  it("refuses takeText while passed bytes wait", () => {
    const out = new SseOutputBuffer();
    out.passLiteralFrames(encoder.encode('"x"'), [0, 3], frameOf("", ""));
    expect(() => out.takeText()).toThrow(/passed bytes/);
  });

  it("writes a literal given as its inside's bytes between text, quoted", () => {
    const out = new SseOutputBuffer();
    out.write('{"text":');
    out.writeQuoted(encoder.encode('h\\u00e9 \\"q\\" é'));
    out.write("}");
    const written = decoder.decode(toBytes(out.take()));
    expect(written).toBe('{"text":"h\\u00e9 \\"q\\" é"}');
    expect(JSON.parse(written)).toEqual({ text: 'hé "q" é' });
  });
});

describe("joinOutputs", () => {
  it("joins text as text, and text with bytes as bytes, in order", () => {
    expect(joinOutputs(["a", "", "b"])).toBe("ab");
    const joined = joinOutputs(["é ", encoder.encode("bytes"), " end"]);
    expect(joined).toBeInstanceOf(Uint8Array);
    expect(decoder.decode(toBytes(joined))).toBe("é bytes end");
  });
});
