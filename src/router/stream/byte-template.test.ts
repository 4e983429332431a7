import { describe, expect, it } from "vitest";
import { ByteTemplate, wordsOf } from "./byte-template.js";

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** `text` placed at `index` in a chunk that itself starts `offset` bytes into its buffer. */
function chunkWith(text: string, offset: number, index: number): Uint8Array {
  const buffer = new ArrayBuffer(offset + index + text.length + 7);
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
    'data: {"id":"chatcmpl-1","choices":[{"delta":{"content":"',
  ];

  it("finds the template at every alignment of chunk and place", () => {
    for (const text of texts) {
      const template = new ByteTemplate(ascii(text));
      for (let offset = 0; offset < 4; offset++) {
        for (let index = 0; index < 5; index++) {
          const chunk = chunkWith(text, offset, index);
          expect(template.matches(chunk, wordsOf(chunk), index), `${text} +${offset}+${index}`).toBe(true);
        }
      }
    }
  });

  it("notices one different byte anywhere: the head, a word, the tail", () => {
    const text = texts.at(-1)!;
    const template = new ByteTemplate(ascii(text));
    for (let offset = 0; offset < 4; offset++) {
      for (let index = 0; index < 4; index++) {
        for (let changed = 0; changed < text.length; changed++) {
          const chunk = chunkWith(text, offset, index);
          chunk[index + changed] = chunk[index + changed]! ^ 1;
          expect(template.matches(chunk, wordsOf(chunk), index)).toBe(false);
        }
      }
    }
  });

  it("keeps its own copy of the bytes it was made from", () => {
    const source = ascii("abcdefgh");
    const template = new ByteTemplate(source);
    source[5] = 0;
    const chunk = ascii("abcdefgh");
    expect(template.matches(chunk, wordsOf(chunk), 0)).toBe(true);
  });
});
