/**
 * The inside of many JSON string literals, gathered as they come (text, or UTF-8 bytes passed
 * through from the upstream) and joined once at the end. Bytes are copied into one growing
 * buffer and decoded once, not one small decode per delta.
 */
import { copyInsides, literalsLength } from "./literal-bounds.js";

const decoder = new TextDecoder();

export class LiteralBuffer {
  private readonly parts: string[] = [];
  private bytes = new Uint8Array(256);
  private length = 0;

  /** A literal's inside, as text (no quotes). */
  addText(inside: string): void {
    this.flushBytes();
    this.parts.push(inside);
  }

  /** Literals, quotes included, as `source[bounds[2i], bounds[2i + 1])`: their insides are copied. */
  addLiterals(source: Uint8Array, bounds: ArrayLike<number>): void {
    // Two quotes per literal, and two bounds per literal.
    this.reserve(literalsLength(bounds) - bounds.length);
    this.length = copyInsides(source, bounds, this.bytes, this.length);
  }

  /** A literal's inside (no quotes) as UTF-8 bytes, copied. */
  addInside(inside: Uint8Array): void {
    this.reserve(inside.length);
    this.bytes.set(inside, this.length);
    this.length += inside.length;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /**
   * The text of every literal so far, and a JSON string literal of it. Joined before decoding, so
   * an escaped surrogate pair split across two deltas stays one character. The literal is the
   * upstream's own (its escapes as they came) when that parses, so a long text is not escaped
   * again for every event that repeats it; when every literal came as bytes, `inside` is that
   * literal's inside as the same bytes (quotes left out), for a writer that need not encode it.
   */
  joined(): { text: string; literal: string; inside?: Uint8Array } {
    const inside =
      this.parts.length === 0 && this.length > 0 ? this.bytes.subarray(0, this.length) : undefined;
    this.flushBytes();
    const pieces = this.parts;
    const literal = `"${pieces.join("")}"`;
    try {
      return { text: JSON.parse(literal) as string, literal, inside };
    } catch {
      // A backend put a raw control character in a string: decode what can be decoded.
      const text = pieces
        .map((piece) => {
          try {
            // biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what is being escaped.
            return JSON.parse(`"${piece.replace(/[\u0000-\u001f]/g, escapeControl)}"`) as string;
          } catch {
            return piece;
          }
        })
        .join("");
      return { text, literal: JSON.stringify(text) };
    }
  }

  private flushBytes(): void {
    if (this.length === 0) return;
    this.parts.push(decoder.decode(this.bytes.subarray(0, this.length)));
    this.length = 0;
  }
}

function escapeControl(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
