/**
 * A byte string that events of one stream repeat (the bytes around a content literal), and a
 * fast test of whether a place in a chunk holds it: 32-bit words where the chunk's memory is
 * aligned, bytes only at the ends. Typed-array word loads are about twice as fast as DataView
 * reads, and a stream compares a few hundred bytes per event this way.
 */
export class ByteTemplate {
  readonly length: number;
  private readonly bytes: Uint8Array;
  /** By the alignment (address mod 4) of the place compared: the template's whole words there. */
  private readonly wordsByAlignment: Uint32Array[];

  constructor(bytes: Uint8Array) {
    this.bytes = bytes.slice();
    this.length = bytes.length;
    this.wordsByAlignment = [0, 1, 2, 3].map((alignment) => {
      const head = Math.min((4 - alignment) & 3, bytes.length);
      const count = (bytes.length - head) >>> 2;
      const words = new Uint32Array(count);
      new Uint8Array(words.buffer).set(bytes.subarray(head, head + count * 4));
      return words;
    });
  }

  /**
   * Whether `chunk[index, index + length)` holds the template; the caller checked it fits.
   * `chunkWords` views all of `chunk.buffer` as words (see `wordsOf`).
   */
  matches(chunk: Uint8Array, chunkWords: Uint32Array, index: number): boolean {
    const template = this.bytes;
    const address = chunk.byteOffset + index;
    const words = this.wordsByAlignment[address & 3]!;
    const head = Math.min((4 - address) & 3, this.length);
    for (let i = 0; i < head; i++) if (chunk[index + i] !== template[i]) return false;
    const base = (address + head) >>> 2;
    for (let k = 0; k < words.length; k++) if (chunkWords[base + k] !== words[k]) return false;
    for (let i = head + words.length * 4; i < this.length; i++) {
      if (chunk[index + i] !== template[i]) return false;
    }
    return true;
  }
}

/** The words of a chunk's whole buffer, for `ByteTemplate.matches`. */
export function wordsOf(chunk: Uint8Array): Uint32Array {
  return new Uint32Array(chunk.buffer, 0, chunk.buffer.byteLength >>> 2);
}
