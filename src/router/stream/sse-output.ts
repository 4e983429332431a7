/**
 * A translator's client SSE, as it is made and as it goes out. Mostly text; but upstream content
 * literals pass through as the bytes they came in, beside frame parts encoded once. Once the
 * first such piece comes, everything is assembled straight into one growing byte buffer, so a
 * write costs one copy, whatever number of frames it holds.
 */
/** Text alone, or (when bytes were passed through) all of it as UTF-8. */
export type SseOutput = string | Uint8Array;

const encoder = new TextEncoder();

/** Gathers a translator's output between two takes. */
export class SseOutputBuffer {
  /** What was written while no bytes were passed. */
  private text = "";
  private bytes: Uint8Array | undefined;
  /** Bytes in use (none: the output is still text); the buffer is kept from one take to the next. */
  private length = 0;

  write(text: string): void {
    if (this.length > 0) this.appendText(text);
    else this.text += text;
  }

  /** Bytes that go out as they are, after everything written so far. */
  pass(bytes: Uint8Array): void {
    const target = this.room(bytes.length);
    target.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** `source[start, end)`: an upstream content literal, a few bytes. */
  passRange(source: Uint8Array, start: number, end: number): void {
    const target = this.room(end - start);
    // A loop beats making a view to copy from, for a few bytes.
    let at = this.length;
    for (let i = start; i < end; i++) target[at++] = source[i]!;
    this.length = at;
  }

  /** A whole number ≥ 0, in decimal. */
  passNumber(value: number): void {
    this.appendText(String(value));
  }

  /** Everything since the last take: text alone when no bytes were passed. */
  take(): SseOutput {
    if (this.length === 0) {
      const text = this.text;
      this.text = "";
      return text;
    }
    const taken = this.bytes!.slice(0, this.length);
    this.length = 0;
    return taken;
  }

  /** Everything since the last take, where nothing can have been passed (only content literals are). */
  takeText(): string {
    if (this.length > 0) throw new Error("SSE output holds passed bytes: take() it");
    return this.take() as string;
  }

  /** The buffer, with room for `extra` more bytes; what was written as text goes in first. */
  private room(extra: number): Uint8Array {
    if (this.text !== "") {
      const text = this.text;
      this.text = "";
      this.appendText(text);
    }
    const needed = this.length + extra;
    let bytes = this.bytes;
    if (!bytes || needed > bytes.length) {
      const grown = new Uint8Array(Math.max(needed, (bytes?.length ?? 2048) * 2));
      if (bytes) grown.set(bytes.subarray(0, this.length));
      this.bytes = bytes = grown;
    }
    return bytes;
  }

  /** Appends `text` as UTF-8; short ASCII (a number, a closing brace) without an encoder call. */
  private appendText(text: string): void {
    const bytes = this.room(text.length * 3);
    let at = this.length;
    if (text.length <= 32) {
      let i = 0;
      for (; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        bytes[at + i] = code;
      }
      if (i === text.length) {
        this.length = at + i;
        return;
      }
    }
    at += encoder.encodeInto(text, bytes.subarray(at)).written;
    this.length = at;
  }
}

/** One byte array for one write. */
export function toBytes(output: SseOutput): Uint8Array {
  return typeof output === "string" ? encoder.encode(output) : output;
}
