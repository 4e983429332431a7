import { describe, expect, it } from "vitest";
import { ByteTemplate, wordsOf } from "./byte-template.js";

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** `text` placed at `index` in a chunk that itself starts `offset` bytes into its buffer. */
function chunkWith(text: string, offset: number, index: number): Uint8Array {
  const buffer = new ArrayBuffer(offset + index + text.length + 15);
  const chunk = new Uint8Array(buffer, offset, index + text.length + 3);
  chunk.fill(0x78);
  chunk.set(ascii(text), index);
  return chunk;
}

describe("ByteTemplate", () => {
  const texts = [
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "abcde",
    "abcdefg",
    "abcdefgh",
    "abcdefghi",
    "abcdefghijklmnopq",
    'data: {"id":"chatcmpl-1","choices":[{"delta":{"content":"',
  ];

  it("finds the template at every alignment of chunk and place", () => {
    for (const text of texts) {
      const template = new ByteTemplate(ascii(text));
      for (let offset = 0; offset < 8; offset++) {
        for (let index = 0; index < 9; index++) {
          const chunk = chunkWith(text, offset, index);
          expect(template.matches(chunk, wordsOf(chunk), index), `${text} +${offset}+${index}`).toBe(true);
        }
      }
    }
  });

  it("notices one different byte anywhere: the head, a word, the tail", () => {
    const text = texts.at(-1)!;
    const template = new ByteTemplate(ascii(text));
    for (let offset = 0; offset < 8; offset++) {
      for (let index = 0; index < 8; index++) {
        for (let changed = 0; changed < text.length; changed++) {
          const chunk = chunkWith(text, offset, index);
          chunk[index + changed] = chunk[index + changed]! ^ 1;
          expect(template.matches(chunk, wordsOf(chunk), index)).toBe(false);
        }
      }
    }
  });

  it("compares bytes, not numbers: zero bytes (+0 and -0) and NaN patterns match only themselves", () => {
    const zeros = new Uint8Array(24);
    const negativeZero = new Uint8Array(24);
    negativeZero[15] = 0x80; // bytes 8..15 read as a double: -0, which equals +0 as a number
    const nan = new Uint8Array(24).fill(0xff); // doubles that are NaN, unequal to themselves as numbers
    const withDel = ascii(`data: {"x":"${String.fromCharCode(0x7f)}"}`); // DEL is allowed raw in JSON strings
    for (const bytes of [zeros, negativeZero, nan, withDel]) {
      const template = new ByteTemplate(bytes);
      for (let offset = 0; offset < 8; offset++) {
        const same = new Uint8Array(new ArrayBuffer(bytes.length + 16), offset, bytes.length);
        same.set(bytes);
        expect(template.matches(same, wordsOf(same), 0)).toBe(true);
      }
    }
    const other = new Uint8Array(new ArrayBuffer(40), 0, 24);
    other.set(negativeZero);
    expect(new ByteTemplate(zeros).matches(other, wordsOf(other), 0)).toBe(false);
  });

  it("keeps its own copy of the bytes it was made from", () => {
    const source = ascii("abcdefgh");
    const template = new ByteTemplate(source);
    source[5] = 0;
    const chunk = ascii("abcdefgh");
    expect(template.matches(chunk, wordsOf(chunk), 0)).toBe(true);
  });
});
