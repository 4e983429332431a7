import { describe, expect, it } from "vitest";
import {
  type ChatSseParser,
  type ContentLiterals,
  createChatSseParser,
  isContentLiterals,
  type SseItem,
} from "./chat-sse-parser.js";
import { contentLiteralOf } from "./content-fast-path.js";
import { createSseBatchParser } from "./sse-parse-stream.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const chunk = (delta: unknown, extra: Record<string, unknown> = {}, finish: string | null = null) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  })}\n\n`;

/**
 * What a parser's items say, as the translators take them: content (from a byte literal, or an
 * event the text fast path reads as content) or any other event.
 */
type Seen = { content: string } | { event: string | undefined; data: string };

function seen(items: readonly SseItem[]): Seen[] {
  const result: Seen[] = [];
  for (const item of items) {
    if (isContentLiterals(item)) {
      for (const literal of literalsOf(item)) result.push({ content: JSON.parse(literal) as string });
      continue;
    }
    const literal = item.event === undefined ? contentLiteralOf(item.data) : undefined;
    if (literal === '""') continue;
    result.push(literal === undefined ? item : { content: JSON.parse(literal) as string });
  }
  return result;
}

/** Each literal of a run, as text (quotes included). */
function literalsOf(run: ContentLiterals): string[] {
  const literals: string[] = [];
  for (let i = 0; i < run.bounds.length; i += 2) {
    literals.push(decoder.decode(run.bytes.subarray(run.bounds[i], run.bounds[i + 1])));
  }
  return literals;
}

/** The general parser's events, seen the same way. */
function expected(stream: string): Seen[] {
  const parser = createSseBatchParser();
  return seen([...parser.feed(encoder.encode(stream)), ...parser.end()]);
}

function parseInPieces(parser: ChatSseParser, bytes: Uint8Array, cuts: readonly number[]): Seen[] {
  const result: Seen[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Each piece a copy, as a network read is; items are read at once, before the next feed.
    result.push(...seen(parser.feed(bytes.slice(from, cut))));
    from = cut;
  }
  return [...result, ...seen(parser.end())];
}

const REALISTIC =
  ": OPENROUTER PROCESSING\n\n" +
  chunk({ role: "assistant", content: "" }) +
  chunk({ role: "assistant", content: "Hel" }) +
  chunk({ content: 'lo "world"\n\t\\ ' }) +
  chunk({ content: "é 日本 🎉" }) +
  chunk({ content: 'looks like "finish_reason":"stop" and "usage":{ and "error" but is text' }) +
  chunk({ reasoning_content: "thinking" }) +
  chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: '{"a":' } }] }) +
  chunk({ content: "with usage" }, { usage: { prompt_tokens: 1, completion_tokens: 2 } }) +
  chunk({ content: "last" }, {}, "stop") +
  `data: ${JSON.stringify({ id: "x", choices: [], usage: { prompt_tokens: 1, completion_tokens: 3 } })}\n\n` +
  'data: {"error":{"message":"boom"}}\n\n' +
  'event: custom\ndata: {"delta":{"content":"named event"}}\n\n' +
  'data: {"a":1,\ndata: "b":2}\n\n' +
  "data: [DONE]\n\n";

describe("createChatSseParser", () => {
  it("sees what the general parser sees, with plain content deltas as byte literals", () => {
    const parser = createChatSseParser();
    const items = [...parser.feed(encoder.encode(REALISTIC)), ...parser.end()];
    expect(seen(items)).toEqual(expected(REALISTIC));
    const literals = items.filter(isContentLiterals).flatMap(literalsOf);
    // The role-only "" is dropped; the plain ones are literals; the rest go the full way.
    expect(literals).toEqual([
      '"Hel"',
      '"lo \\"world\\"\\n\\t\\\\ "',
      '"é 日本 🎉"',
      '"looks like \\"finish_reason\\":\\"stop\\" and \\"usage\\":{ and \\"error\\" but is text"',
    ]);
  });

  it("gives the same items however the bytes are cut, even inside a character", () => {
    const bytes = encoder.encode(REALISTIC);
    const want = expected(REALISTIC);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseInPieces(createChatSseParser(), bytes, [cut]), `cut at ${cut}`).toEqual(want);
    }
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(parseInPieces(createChatSseParser(), bytes, everyByte)).toEqual(want);
  });

  it("takes the full path for a content chunk that also finishes, reports usage or an error", () => {
    const stream =
      chunk({ content: "a" }, {}, "length") +
      chunk({ content: "b" }, { usage: { prompt_tokens: 1 } }) +
      chunk({ content: "c" }, { error: { message: "x" } });
    const parser = createChatSseParser();
    const items = [...parser.feed(encoder.encode(stream)), ...parser.end()];
    expect(items.some(isContentLiterals)).toBe(false);
    expect(items).toHaveLength(3);
  });

  it("takes the full path when the delta holds more than content", () => {
    const stream = chunk({ content: "a", tool_calls: [] }) + chunk({ role: "user", content: "b" });
    const parser = createChatSseParser();
    expect([...parser.feed(encoder.encode(stream)), ...parser.end()].some(isContentLiterals)).toBe(false);
  });

  it("reads CRLF line ends, a lone-CR stream and a byte-order mark", () => {
    const plain = `${chunk({ content: "one" })}${chunk({ content: "two" }, {}, "stop")}data: [DONE]\n\n`;
    const want = expected(plain);
    for (const stream of [plain.replace(/\n/g, "\r\n"), plain.replace(/\n/g, "\r"), `\ufeff${plain}`]) {
      const bytes = encoder.encode(stream);
      for (let cut = 1; cut < bytes.length; cut += 7) {
        expect(
          parseInPieces(createChatSseParser(), bytes, [cut]),
          JSON.stringify(stream.slice(0, 12)),
        ).toEqual(want);
      }
    }
  });

  it("counts a last event that the upstream never ended with a blank line", () => {
    const parser = createChatSseParser();
    expect(parser.feed(encoder.encode('data: {"delta":{"content":"x"}}'))).toEqual([]);
    expect(seen(parser.end())).toEqual([{ content: "x" }]);
  });

  it("keeps long runs intact in one read, with other events between them", () => {
    // More literals than the parser's first scratch space holds, in runs split by a tool call.
    const words = Array.from({ length: 700 }, (_, i) => `w${i} `);
    const tool = chunk({
      tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: "{}" } }],
    });
    const stream = [
      ...words.slice(0, 300).map((word) => chunk({ content: word })),
      tool,
      ...words.slice(300).map((word) => chunk({ content: word })),
    ].join("");
    const items = createChatSseParser().feed(encoder.encode(stream));
    expect(items.map((item) => (isContentLiterals(item) ? item.bounds.length / 2 : "event"))).toEqual([
      300,
      "event",
      400,
    ]);
    expect(seen(items)).toEqual(expected(stream));
  });

  it("reads a view into a larger buffer", () => {
    const stream = chunk({ content: "view" });
    const backing = encoder.encode(`xxxx${stream}yyyy`);
    const parser = createChatSseParser();
    const items = parser.feed(backing.subarray(4, 4 + encoder.encode(stream).length));
    expect(seen(items)).toEqual([{ content: "view" }]);
  });

  it("reads events that start like the stream's usual ones but end differently the full way", () => {
    const usual = chunk({ content: "usual" });
    const [head, tail] = usual.split('"usual"') as [string, string];
    const line = tail.slice(0, -2);
    const variants = [
      `${head}"raw\nline end"${line}\n\n`, // a raw LF inside the string: two lines, not one event
      `${head}"multi"${line}\ndata: "usage":{"prompt_tokens":5}\n\n`, // a second data line
      `${head}"crlf"${line}\r\n\r\n`,
      `${head}"escaped line end\\\nx"${line}\n\n`,
      chunk({ content: "finishing" }, {}, "stop"),
      `${head}"short"}]}\n\n`,
    ];
    for (const variant of variants) {
      const stream = usual + variant + usual;
      const bytes = encoder.encode(stream);
      const want = expected(stream);
      for (let cut = 1; cut < bytes.length; cut += 5) {
        expect(parseInPieces(createChatSseParser(), bytes, [cut]), JSON.stringify(variant)).toEqual(want);
      }
    }
  });
});
