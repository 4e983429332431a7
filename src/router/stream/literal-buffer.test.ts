import { describe, expect, it } from "vitest";
import { LiteralBuffer } from "./literal-buffer.js";

const encoder = new TextEncoder();

/** `literal` (quotes included) placed inside other bytes, as the parser finds it: [bytes, bounds]. */
function inBytes(literal: string): [Uint8Array, number[]] {
  const bytes = encoder.encode(`data: {"x":${literal}}`);
  const start = encoder.encode('data: {"x":').length;
  return [bytes, [start, bytes.length - 1]];
}

describe("LiteralBuffer", () => {
  it("joins literals given as bytes and as text, in order, before decoding", () => {
    const buffer = new LiteralBuffer();
    buffer.addLiterals(...inBytes('"caf\u00e9 \\"q\\" "'));
    buffer.addText("\\ud83d"); // one half of an escaped surrogate pair…
    buffer.addLiterals(...inBytes('"\\ude00 end"')); // …and the other half, in the next delta
    const joined = buffer.joined();
    expect(joined).toEqual({
      text: 'café "q" 😀 end',
      literal: '"caf\u00e9 \\"q\\" \\ud83d\\ude00 end"',
    });
    expect(joined.inside).toBeUndefined(); // some came as text
  });

  it("takes a run of literals in one call", () => {
    const buffer = new LiteralBuffer();
    const bytes = encoder.encode('x"ab"yy"c\\n"z""');
    buffer.addLiterals(bytes, [1, 5, 7, 12, 13, 15]);
    const { text, literal, inside } = buffer.joined();
    expect({ text, literal }).toEqual({ text: "abc\n", literal: '"abc\\n"' });
    // Every literal came as bytes: the joined literal's inside is given as the same bytes.
    expect(new TextDecoder().decode(inside)).toBe("abc\\n");
  });

  it("takes insides given as plain bytes too, a character split between two of them included", () => {
    const buffer = new LiteralBuffer();
    const smile = encoder.encode("\u{1F600}");
    buffer.addInside(encoder.encode("a\\tb "));
    buffer.addInside(smile.subarray(0, 2));
    buffer.addInside(smile.subarray(2));
    buffer.addText(" c");
    for (let i = 0; i < 40; i++) buffer.addInside(encoder.encode("0123456789"));
    expect(buffer.joined().text).toBe(`a\tb \u{1F600} c${"0123456789".repeat(40)}`);
  });

  it("grows past its first buffer without losing bytes", () => {
    const buffer = new LiteralBuffer();
    const word = "abcdefghij ".repeat(10);
    for (let i = 0; i < 50; i++) buffer.addLiterals(...inBytes(JSON.stringify(word)));
    expect(buffer.joined().text).toBe(word.repeat(50));
  });

  it("decodes around a raw control character a backend should have escaped", () => {
    const buffer = new LiteralBuffer();
    buffer.addLiterals(...inBytes('"tab\there \\"x\\""'));
    const { text, literal, inside } = buffer.joined();
    expect(text).toBe('tab\there "x"');
    expect(JSON.parse(literal)).toBe(text); // escaped now, unlike the upstream's bytes
    expect(inside).toBeUndefined(); // which are not valid JSON, so not given out
  });
});
