/**
 * A byte string that events of one stream repeat (the bytes around a content literal), and a
 * fast test of whether a place in a chunk holds it: 8 bytes at a time where the chunk's memory
 * is aligned, one at a time only at the ends. A stream compares a few hundred bytes per event
 * this way.
 *
 * The 8-byte loads are Float64Array reads, the widest V8 has: about a third faster than 32-bit
 * ones (whose values past 2^31 are not small integers to V8) and three times faster than bytes.
 * Comparing them as numbers is comparing their bits, except for ±0 (equal, other bits) and NaN
 * (never equal). A template with a zero byte, 0x7F or 0xFF holds neither kind of word anywhere:
 * a ±0 word has seven zero bytes, and a NaN word a 0x7F or 0xFF. JSON text in UTF-8 has none of
 * those; a template that has them anyway (an upstream sent such bytes) is compared byte by byte.
 */
export class ByteTemplate {
  readonly length: number;
  private readonly bytes: Uint8Array;
  /** By the alignment (address mod 8) of the place compared: the template's whole words there, made when first needed. */
  private readonly wordsByAlignment: (Float64Array | undefined)[] = new Array(8).fill(undefined);
  /** Whether its words compare as numbers the way their bits do (see above). */
  private readonly wordsExact: boolean;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes.slice();
    this.length = bytes.length;
    this.wordsExact = !this.bytes.includes(0) && !this.bytes.includes(0x7f) && !this.bytes.includes(0xff);
  }

  /**
   * Whether `chunk[index, index + length)` holds the template; the caller checked it fits.
   * `chunkWords` views all of `chunk.buffer` as words (see `wordsOf`).
   */
  matches(chunk: Uint8Array, chunkWords: Float64Array, index: number): boolean {
    const template = this.bytes;
    if (!this.wordsExact) {
      for (let i = 0; i < this.length; i++) if (chunk[index + i] !== template[i]) return false;
      return true;
    }
    const address = chunk.byteOffset + index;
    const alignment = address & 7;
    const words = this.wordsByAlignment[alignment] ?? this.wordsAt(alignment);
    const head = Math.min((8 - alignment) & 7, this.length);
    for (let i = 0; i < head; i++) if (chunk[index + i] !== template[i]) return false;
    const base = (address + head) >>> 3;
    for (let k = 0; k < words.length; k++) if (chunkWords[base + k] !== words[k]) return false;
    for (let i = head + words.length * 8; i < this.length; i++) {
      if (chunk[index + i] !== template[i]) return false;
    }
    return true;
  }

  private wordsAt(alignment: number): Float64Array {
    const head = Math.min((8 - alignment) & 7, this.length);
    const count = (this.length - head) >>> 3;
    const words = new Float64Array(count);
    new Uint8Array(words.buffer).set(this.bytes.subarray(head, head + count * 8));
    this.wordsByAlignment[alignment] = words;
    return words;
  }
}

/** The words of a chunk's whole buffer, for `ByteTemplate.matches`. */
export function wordsOf(chunk: Uint8Array): Float64Array {
  return new Float64Array(chunk.buffer, 0, chunk.buffer.byteLength >>> 3);
}
