/**
 * Bytes → SSE items for a Chat Completions stream, decoding only what must be decoded.
 *
 * Most events of a long answer are `data: {…"delta":{"content":"…"}…}` and nothing else that
 * matters. For those, the content's JSON string literal is found in the bytes and handed on as
 * a place in them (ContentLiterals, one object for a run of them): the router never decodes,
 * re-encodes or re-escapes it.
 * Every other event (role changes, tool calls, reasoning, finish, usage, errors, comments,
 * multi-line data, CRLF line ends) is decoded and parsed as SSE, in order. A stream that ends
 * lines with a lone CR goes to the general parser for good.
 *
 * Finding out that an event is plain content means looking at all of its bytes. But an
 * upstream sends the same bytes before the literal in every such event of a stream (id,
 * created, model, …) and after it, so once one event has been checked key by key, the next
 * ones are compared with it a word at a time (byte-template.ts), before even looking for
 * where they end, and checked key by key only where they differ from it.
 */
import { ByteTemplate, wordsOf } from "./byte-template.js";
import { createSseBatchParser, type SseEvent } from "./sse-parse-stream.js";

/**
 * Plain content deltas in a row (one or more): the JSON string literal (quotes included) of the
 * i-th is `bytes[bounds[2i], bounds[2i + 1])`, UTF-8 as the upstream sent it. One object per run,
 * not per delta. Both are valid until the parser's next feed: `bytes` may be the upstream's
 * chunk, and `bounds` a view of the parser's scratch space. Copy to keep them.
 */
export interface ContentLiterals {
  readonly bytes: Uint8Array;
  readonly bounds: Int32Array;
}

export type SseItem = SseEvent | ContentLiterals;

export const isContentLiterals = (item: SseItem): item is ContentLiterals => "bounds" in item;
export const isSseEvent = (item: SseItem): item is SseEvent => !("bounds" in item);

export interface ChatSseParser {
  feed(chunk: Uint8Array): SseItem[];
  end(): SseItem[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const DATA = ascii("data:");
/** Keys that need the full path. Quotes inside JSON strings are escaped, so these are real keys. */
const FINISH = ascii('"finish_reason":"');
const USAGE = ascii('"usage":{');
const ERROR = ascii('"error"');
const DELTA = ascii('"delta":{');
const ROLE = ascii('"role":"assistant",');
const CONTENT = ascii('"content":"');

/** An event's bytes before and after its content literal, once checked key by key. */
interface Template {
  /** From the event's start up to the literal's opening quote, included. */
  before: ByteTemplate;
  /** From just after the literal's closing quote to the end of the event's line. */
  after: ByteTemplate;
}

export function createChatSseParser(): ChatSseParser {
  const general = createSseBatchParser();
  let carry: Uint8Array | undefined;
  let generalOnly = false;
  let first = true;
  let template: Template | undefined;
  /** Where runs' bounds are written; reused by every feed (see ContentLiterals). */
  let scratch = new Int32Array(512);

  /**
   * The event at `start`, when it is the template's with another literal and ends the usual way
   * ("\n\n"): the end of its literal (just past the closing quote), found without looking for
   * the event's end first; else -1. The literal starts at the template's last byte.
   */
  const templateLiteralEnd = (bytes: Uint8Array, words: Float64Array, start: number): number => {
    if (!template || start + template.before.length >= bytes.length) return -1;
    if (!template.before.matches(bytes, words, start)) return -1;
    const close = closingQuote(bytes, start + template.before.length, bytes.length);
    if (close < 0) return -1;
    const lineEnd = close + 1 + template.after.length;
    if (lineEnd + 2 > bytes.length || bytes[lineEnd] !== LF || bytes[lineEnd + 1] !== LF) return -1;
    return template.after.matches(bytes, words, close + 1) ? close + 1 : -1;
  };

  /** For a one-line event at [start, end): where its content literal is, or undefined for the full path. */
  const literalOf = (bytes: Uint8Array, start: number, end: number) => {
    const literal = checkedLiteral(bytes, start, end);
    if (literal) {
      template = {
        before: new ByteTemplate(bytes.subarray(start, literal.start + 1)),
        after: new ByteTemplate(bytes.subarray(literal.end, end)),
      };
    }
    return literal;
  };

  return {
    feed(chunk) {
      if (generalOnly) return general.feed(chunk);
      let bytes = carry ? concat(carry, chunk) : plain(chunk);
      carry = undefined;
      if (first) {
        if (bytes.length < 3) {
          carry = bytes;
          return [];
        }
        first = false;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      const words = wordsOf(bytes);
      const items: SseItem[] = [];
      // Runs' bounds go to the scratch space, each run's as a view made when it ends.
      let used = 0;
      let run: { bytes: Uint8Array; bounds: Int32Array; from: number } | undefined;
      const endRun = () => {
        if (run) run.bounds = scratch.subarray(run.from, used);
        run = undefined;
      };
      const addLiteral = (literalStart: number, literalEnd: number) => {
        if (literalEnd - literalStart <= 2) return; // "" adds nothing.
        if (used + 2 > scratch.length) {
          const grown = new Int32Array(scratch.length * 2);
          grown.set(scratch.subarray(0, used));
          scratch = grown;
        }
        if (!run) {
          run = { bytes, bounds: scratch, from: used };
          items.push(run);
        }
        scratch[used++] = literalStart;
        scratch[used++] = literalEnd;
      };
      let start = 0;
      let from = 0;
      let singleLine = true;
      for (;;) {
        if (start === from) {
          const literalEnd = templateLiteralEnd(bytes, words, start);
          if (literalEnd >= 0) {
            addLiteral(start + template!.before.length - 1, literalEnd);
            // The rest of the line, then "\n\n".
            start = from = literalEnd + template!.after.length + 2;
            continue;
          }
        }
        const newline = bytes.indexOf(LF, from);
        if (newline < 0 || newline + 1 >= bytes.length) break;
        const after = bytes[newline + 1];
        const blankLine = after === LF ? 2 : after === CR && bytes[newline + 2] === LF ? 3 : 0;
        if (blankLine === 0) {
          if (after === CR && newline + 2 >= bytes.length) break; // the rest of "\n\r\n" is still to come
          singleLine = false;
          from = newline + 1;
          continue;
        }
        const next = newline + blankLine;
        const literal = singleLine ? literalOf(bytes, start, newline) : undefined;
        if (literal) {
          addLiteral(literal.start, literal.end);
        } else {
          const event = bytes.subarray(start, next);
          if (hasLoneCr(event)) {
            // CR alone ends lines too: event boundaries are not where they seemed.
            generalOnly = true;
            endRun();
            return [...items, ...general.feed(bytes.subarray(start))];
          }
          endRun();
          for (const parsed of general.feed(event)) items.push(parsed);
        }
        start = from = next;
        singleLine = true;
      }
      endRun();
      if (start < bytes.length) {
        carry = bytes.subarray(start);
        if (items.length === 0 && hasLoneCr(carry)) {
          generalOnly = true;
          carry = undefined;
          return general.feed(bytes.subarray(start));
        }
      }
      return items;
    },
    end() {
      if (generalOnly) return general.end();
      const rest = carry;
      carry = undefined;
      return rest ? [...general.feed(rest), ...general.end()] : general.end();
    },
  };
}

/**
 * For a one-line event at [start, end), checked key by key: its content literal (quotes
 * included) when it is `data: {…}` whose delta holds only content (and perhaps the assistant
 * role), with no finish reason, usage or error; undefined when it needs the full path.
 */
function checkedLiteral(
  bytes: Uint8Array,
  start: number,
  end: number,
): { start: number; end: number } | undefined {
  if (!startsWith(bytes, start, DATA)) return undefined;
  let i = start + DATA.length;
  if (bytes[i] === 32) i++;
  if (bytes[i] !== OPEN_BRACE || bytes[end - 1] !== CLOSE_BRACE) return undefined;
  const delta = findKey(bytes, i, end, true);
  if (delta < 0) return undefined;
  let at = delta + DELTA.length;
  if (startsWith(bytes, at, ROLE)) at += ROLE.length;
  if (!startsWith(bytes, at, CONTENT)) return undefined;
  const open = at + CONTENT.length - 1;
  const close = closingQuote(bytes, open + 1, end);
  if (close < 0 || bytes[close + 1] !== CLOSE_BRACE || !keysClear(bytes, close + 2, end)) return undefined;
  return { start: open, end: close + 1 };
}

/** No finish reason, usage, error or other delta in [from, end), and no CR. */
function keysClear(bytes: Uint8Array, from: number, end: number): boolean {
  return findKey(bytes, from, end, false) === -2;
}

/**
 * Scans [from, end) for the keys that matter. Returns where `"delta":{` starts when
 * `stopAtDelta` (and nothing needing the full path came first), -1 when something needs the
 * full path (a finish reason, usage, an error, a CR, or a delta when not looked for), else -2.
 */
function findKey(bytes: Uint8Array, from: number, end: number, stopAtDelta: boolean): number {
  for (let i = from; i < end; i++) {
    const byte = bytes[i];
    if (byte === CR) return -1;
    if (byte !== QUOTE) continue;
    const next = bytes[i + 1];
    if (next === 102 /* f */) {
      if (startsWith(bytes, i, FINISH)) return -1;
    } else if (next === 117 /* u */) {
      if (startsWith(bytes, i, USAGE)) return -1;
    } else if (next === 101 /* e */) {
      if (startsWith(bytes, i, ERROR)) return -1;
    } else if (next === 100 /* d */ && startsWith(bytes, i, DELTA)) {
      return stopAtDelta ? i : -1;
    }
  }
  return -2;
}

/**
 * The index of the quote that closes a JSON string whose contents start at `from`, or -1: also
 * for a line end, escaped or not, which would end the event inside the string.
 */
function closingQuote(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    let byte = bytes[i];
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH) byte = bytes[++i];
    if (byte === CR || byte === LF) return -1;
  }
  return -1;
}

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** A CR not followed by LF (one at the very end may still be). */
function hasLoneCr(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(CR); i >= 0; i = bytes.indexOf(CR, i + 1)) {
    if (i + 1 < bytes.length && bytes[i + 1] !== LF) return true;
  }
  return false;
}

/**
 * The same bytes as a plain Uint8Array (a Node Buffer is a subclass): the scanning loops stay
 * monomorphic, which makes them several times faster.
 */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
