/**
 * A translator's client SSE, as it is made and as it goes out. Mostly text; but upstream content
 * literals (and texts joined from them) pass through as the bytes they came in, beside frame
 * parts encoded once. Once the first such piece comes, everything is assembled straight into a
 * byte pool, and a take hands out a view of the pool's newest bytes: no copy and no allocation of
 * memory per write. A pool that is full is left to the views taken from it, and the next one is
 * twice as large (up to POOL_MAX), so a long stream allocates a few large buffers rather than one
 * per write.
 */
import { concatBytes } from "../bytes.js";
import { copyInsides, literalsLength } from "./literal-bounds.js";

/** Text alone, or (when bytes were passed through or written) all of it as UTF-8. */
export type SseOutput = string | Uint8Array;

const encoder = new TextEncoder();
const POOL_MIN = 4 * 1024;
const POOL_MAX = 64 * 1024;
const NOTHING = new Uint8Array(0);

/** Gathers a translator's output between two takes. */
export class SseOutputBuffer {
  /** What was written while no bytes were passed. */
  private text = "";
  private pool: Uint8Array | undefined;
  /** Where the bytes not taken yet start in the pool; the pool before it belongs to earlier takes. */
  private start = 0;
  /** Where they end. None (start = length): the output is still text. */
  private length = 0;
  private joinedInside: Uint8Array = NOTHING;

  write(text: string): void {
    if (this.length > this.start) this.appendText(text);
    else this.text += text;
  }

  /**
   * One frame per upstream literal `source[bounds[2i], bounds[2i + 1])`: `frame.head`, then (when
   * `firstNumber` is given) the frame's number counting up from it and `frame.middle`, then the
   * literal, then `frame.tail`. The hot path of a long answer: room is made once for the run.
   */
  passLiteralFrames(
    source: Uint8Array,
    bounds: ArrayLike<number>,
    frame: LiteralFrame,
    firstNumber = -1,
  ): void {
    if (bounds.length === 0) return;
    const { head, middle, tail } = frame;
    // One frame's tail and the next one's head are copied as one piece.
    frame.joint ??= joined(tail, head);
    const joint = frame.joint;
    const count = bounds.length >>> 1;
    const numbered = firstNumber >= 0;
    const perFrame = joint.length + (numbered ? middle.length + MAX_DIGITS : 0);
    const target = this.room(literalsLength(bounds) + count * perFrame);
    let at = this.length;
    // The frame's number in decimal, counted up in place (no division per frame).
    let digits = numbered ? writeDigits(DIGITS, 0, firstNumber) : 0;
    target.set(head, at);
    at += head.length;
    for (let i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        target.set(joint, at);
        at += joint.length;
      }
      if (numbered) {
        for (let d = 0; d < digits; d++) target[at++] = DIGITS[d]!;
        digits = countUp(DIGITS, digits);
        target.set(middle, at);
        at += middle.length;
      }
      const end = bounds[i + 1]!;
      for (let j = bounds[i]!; j < end; j++) target[at++] = source[j]!;
    }
    target.set(tail, at);
    at += tail.length;
    this.length = at;
  }

  /**
   * One frame for all the upstream literals `source[bounds[2i], bounds[2i + 1])`, their texts
   * joined: `frame.head`, then (when `number` is given) the number and `frame.middle`, then one
   * literal, then `frame.tail` (see `copyInsides` for why joining literals is exact).
   */
  passJoinedLiteralFrame(
    source: Uint8Array,
    bounds: ArrayLike<number>,
    frame: LiteralFrame,
    number = -1,
  ): void {
    if (bounds.length === 0) {
      this.joinedInside = NOTHING;
      return;
    }
    const { head, middle, tail } = frame;
    const numbered = number >= 0;
    const target = this.room(
      head.length + (numbered ? MAX_DIGITS + middle.length : 0) + literalsLength(bounds) + tail.length,
    );
    let at = this.length;
    target.set(head, at);
    at += head.length;
    if (numbered) {
      at = writeDigits(target, at, number);
      target.set(middle, at);
      at += middle.length;
    }
    target[at++] = QUOTE;
    const inside = at;
    at = copyInsides(source, bounds, target, at);
    this.joinedInside = target.subarray(inside, at);
    target[at++] = QUOTE;
    target.set(tail, at);
    this.length = at + tail.length;
  }

  /**
   * A JSON string literal whose inside (quotes left out) is given as UTF-8 bytes, escaped already:
   * a long text that several events repeat is copied, not encoded again for each.
   */
  writeQuoted(inside: Uint8Array): void {
    const target = this.room(inside.length + 2);
    let at = this.length;
    target[at++] = QUOTE;
    target.set(inside, at);
    at += inside.length;
    target[at++] = QUOTE;
    this.length = at;
  }

  /**
   * The joined literal's inside that the last `passJoinedLiteralFrame` wrote (quotes left out),
   * as a view of the pool: one copy of it, for a caller that keeps the text too, instead of a
   * second gathering of the same literals.
   */
  lastJoinedInside(): Uint8Array {
    return this.joinedInside;
  }

  /**
   * Everything since the last take: text alone when no bytes were passed, else a view of the
   * pool that later writes never touch.
   */
  take(): SseOutput {
    if (this.length === this.start) {
      const text = this.text;
      this.text = "";
      return text;
    }
    const taken = this.pool!.subarray(this.start, this.length);
    this.start = this.length;
    return taken;
  }

  /** Everything since the last take, where no bytes can have been written (see `SseOutput`). */
  takeText(): string {
    if (this.length > this.start) throw new Error("SSE output holds passed bytes: take() it");
    return this.take() as string;
  }

  /** The pool, with room for `extra` more bytes after `length`; what was written as text goes in first. */
  private room(extra: number): Uint8Array {
    if (this.text !== "") {
      const text = this.text;
      this.text = "";
      this.appendText(text);
    }
    let pool = this.pool;
    if (!pool || this.length + extra > pool.length) {
      const pending = this.length - this.start;
      const size = Math.max(pending + extra, pool ? Math.min(pool.length * 2, POOL_MAX) : POOL_MIN);
      const next = new Uint8Array(size);
      if (pool && pending > 0) next.set(pool.subarray(this.start, this.length));
      this.pool = pool = next;
      this.start = 0;
      this.length = pending;
    }
    return pool;
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

/** The constant parts of frames around upstream literals (see `passLiteralFrames`), as UTF-8. */
export interface LiteralFrame {
  head: Uint8Array;
  /** Between the number and the literal; only for numbered frames. */
  middle: Uint8Array;
  tail: Uint8Array;
  /** `tail` then `head`, made on first use. */
  joint?: Uint8Array;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

const QUOTE = 34;

/** Digits of the largest safe integer. */
const MAX_DIGITS = 16;

/** Scratch for the decimal digits of a frame number. */
const DIGITS = new Uint8Array(MAX_DIGITS + 1);

/** Adds one to the decimal number in `digits[0, count)`; returns its new count of digits. */
function countUp(digits: Uint8Array, count: number): number {
  let d = count - 1;
  while (d >= 0 && digits[d] === 57) digits[d--] = 48;
  if (d >= 0) {
    digits[d]! += 1;
    return count;
  }
  digits.copyWithin(1, 0, count); // 99 → 100
  digits[0] = 49;
  return count + 1;
}

/** `value` (a whole number ≥ 0) in decimal at `target[at]`; returns the index after it. */
function writeDigits(target: Uint8Array, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let i = at + digits - 1; i >= at; i--) {
    target[i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** One byte array for one write. */
export function toBytes(output: SseOutput): Uint8Array {
  return typeof output === "string" ? encoder.encode(output) : output;
}

/** Outputs one after another, as one body: text when they all are. */
export function joinOutputs(outputs: readonly SseOutput[]): string | Uint8Array<ArrayBuffer> {
  if (outputs.every((output) => typeof output === "string")) return outputs.join("");
  return concatBytes(outputs.map(toBytes));
}
