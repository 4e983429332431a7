/**
 * A translator's client SSE, as it is made and as it goes out. Mostly text; but upstream content
 * literals pass through as the bytes they came in, beside frame parts encoded once, so the
 * output is text and such pieces in order, assembled into one byte array per write.
 */
import type { ContentLiteral } from "./chat-sse-parser.js";

export type SsePiece = string | Uint8Array | ContentLiteral;
export type SseOutput = string | readonly SsePiece[];

const encoder = new TextEncoder();

/** Gathers a translator's output between two takes. */
export class SseOutputBuffer {
  private text = "";
  private pieces: SsePiece[] = [];

  write(text: string): void {
    this.text += text;
  }

  /** A piece that goes out as it is, after everything written so far. */
  pass(piece: SsePiece): void {
    if (this.text !== "") {
      this.pieces.push(this.text);
      this.text = "";
    }
    this.pieces.push(piece);
  }

  /** Everything since the last take: text alone when nothing was passed. */
  take(): SseOutput {
    const text = this.text;
    this.text = "";
    if (this.pieces.length === 0) return text;
    const taken = this.pieces;
    this.pieces = [];
    if (text !== "") taken.push(text);
    return taken;
  }

  /** Everything since the last take, where nothing can have been passed (only content literals are). */
  takeText(): string {
    const taken = this.take();
    if (typeof taken !== "string") throw new Error("SSE output holds passed pieces: take() it");
    return taken;
  }
}

export function asPieces(output: SseOutput): readonly SsePiece[] {
  return typeof output === "string" ? [output] : output;
}

/** One byte array for one write, however many pieces the translator made (one allocation). */
export function toBytes(output: SseOutput): Uint8Array {
  if (typeof output === "string") return encoder.encode(output);
  let room = 0;
  for (const piece of output) {
    room +=
      typeof piece === "string"
        ? piece.length * 3
        : piece instanceof Uint8Array
          ? piece.length
          : piece.end - piece.start;
  }
  const bytes = new Uint8Array(room);
  let at = 0;
  for (const piece of output) {
    if (typeof piece === "string") {
      at = writeText(bytes, at, piece);
    } else if (piece instanceof Uint8Array) {
      bytes.set(piece, at);
      at += piece.length;
    } else {
      // Literals are a few bytes: a loop beats making a view to copy from.
      const source = piece.bytes;
      for (let i = piece.start; i < piece.end; i++) bytes[at++] = source[i]!;
    }
  }
  return bytes.subarray(0, at);
}

/** Writes `text` as UTF-8 at `at`; short ASCII (a number, a closing brace) without an encoder call. */
function writeText(bytes: Uint8Array, at: number, text: string): number {
  if (text.length <= 32) {
    let i = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      bytes[at + i] = code;
    }
    if (i === text.length) return at + i;
  }
  return at + encoder.encodeInto(text, bytes.subarray(at)).written;
}
