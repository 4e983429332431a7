import { describe, expect, it } from "vitest";
import { createSseParseStream, type SseEvent } from "./sse-parse-stream.js";

const encoder = new TextEncoder();

/** Pipes the given byte chunks through the parser and returns the batches it emitted. */
async function parse(chunks: Uint8Array[]): Promise<SseEvent[][]> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const batches: SseEvent[][] = [];
  const reader = source.pipeThrough(createSseParseStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return batches;
    batches.push(value);
  }
}

async function parseText(...chunks: string[]): Promise<SseEvent[]> {
  return (await parse(chunks.map((chunk) => encoder.encode(chunk)))).flat();
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    pieces.push(bytes.slice(start, offset));
    start = offset;
  }
  return pieces;
}

const data = (value: string, event?: string): SseEvent => ({ event, data: value });

describe("createSseParseStream", () => {
  describe("multi-byte UTF-8 split across chunks", () => {
    const payload = '{"text":"é 日本 😀 👩‍👩‍👧"}';
    const bytes = encoder.encode(`data: ${payload}\n\n`);

    it("decodes correctly when cut at every byte offset", async () => {
      for (let at = 1; at < bytes.length; at++) {
        const events = (await parse(cut(bytes, [at]))).flat();
        expect(events, `cut at byte ${at}`).toEqual([data(payload)]);
      }
    });

    it("decodes correctly when cut at every pair of byte offsets", async () => {
      for (let a = 1; a < bytes.length; a++) {
        for (let b = a + 1; b < bytes.length; b++) {
          const events = (await parse(cut(bytes, [a, b]))).flat();
          expect(events, `cut at bytes ${a} and ${b}`).toEqual([data(payload)]);
        }
      }
    });

    it("survives empty chunks and chunks holding only part of one character", async () => {
      const emoji = encoder.encode("😀"); // 4 bytes
      const chunks = [
        encoder.encode("data: "),
        new Uint8Array(0),
        ...cut(emoji, [1, 2, 3]),
        new Uint8Array(0),
        encoder.encode("\n\n"),
      ];
      expect((await parse(chunks)).flat()).toEqual([data("😀")]);
    });
  });

  describe("line endings", () => {
    it("accepts CRLF", async () => {
      expect(await parseText("event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n")).toEqual([
        data("1", "a"),
        data("2"),
      ]);
    });

    it("accepts CRLF split between CR and LF at every position", async () => {
      const bytes = encoder.encode("data: 1\r\n\r\ndata: 2\r\n\r\n");
      for (let at = 1; at < bytes.length; at++) {
        expect((await parse(cut(bytes, [at]))).flat(), `cut at ${at}`).toEqual([data("1"), data("2")]);
      }
    });

    it("accepts CR-only", async () => {
      expect(await parseText("event: a\rdata: 1\r\rdata: 2\r\r")).toEqual([data("1", "a"), data("2")]);
    });

    it("accepts CR-only split at every position", async () => {
      const bytes = encoder.encode("data: 1\r\rdata: 2\r\r");
      for (let at = 1; at < bytes.length; at++) {
        expect((await parse(cut(bytes, [at]))).flat(), `cut at ${at}`).toEqual([data("1"), data("2")]);
      }
    });

    it("accepts mixed line endings in one stream", async () => {
      expect(await parseText("data: 1\n\ndata: 2\r\n\r\ndata: 3\r\r")).toEqual([
        data("1"),
        data("2"),
        data("3"),
      ]);
    });
  });

  describe("fields", () => {
    it("joins multi-line data with \\n", async () => {
      expect(await parseText("data: line one\ndata: line two\ndata:\ndata: four\n\n")).toEqual([
        data("line one\nline two\n\nfour"),
      ]);
    });

    it("strips exactly one space after the colon", async () => {
      expect(await parseText("data:tight\n\ndata:  two spaces\n\n")).toEqual([
        data("tight"),
        data(" two spaces"),
      ]);
    });

    it("passes [DONE] through as ordinary data", async () => {
      expect(await parseText('data: {"a":1}\n\ndata: [DONE]\n\n')).toEqual([data('{"a":1}'), data("[DONE]")]);
    });

    it("ignores comments, including keep-alives between and inside events", async () => {
      expect(
        await parseText(": keep-alive\n\n:ping\ndata: 1\n: inside\n\n: OPENROUTER PROCESSING\n\n"),
      ).toEqual([data("1")]);
    });

    it("keeps event names and resets them between events", async () => {
      expect(
        await parseText("event: message_start\ndata: {}\n\ndata: plain\n\nevent: error\ndata: x\n\n"),
      ).toEqual([data("{}", "message_start"), data("plain"), data("x", "error")]);
    });

    it("ignores id, retry and unknown fields, and events with no data", async () => {
      expect(await parseText("id: 7\nretry: 1000\nfoo: bar\ndata: 1\n\nevent: empty\n\n")).toEqual([
        data("1"),
      ]);
    });
  });

  describe("end of stream", () => {
    it("emits a final event that has no trailing blank line", async () => {
      expect(await parseText('data: {"a":1}\n\ndata: {"b":2}')).toEqual([data('{"a":1}'), data('{"b":2}')]);
    });

    it("emits a final event that ends with a single newline or CR", async () => {
      expect(await parseText("data: last\n")).toEqual([data("last")]);
      expect(await parseText("data: last\r")).toEqual([data("last")]);
      expect(await parseText("data: last\r\n")).toEqual([data("last")]);
    });

    it("emits a final multi-line event", async () => {
      expect(await parseText("event: e\ndata: a\ndata: b")).toEqual([data("a\nb", "e")]);
    });

    it("emits a final event whose last character was cut mid-sequence as U+FFFD", async () => {
      const bytes = encoder.encode("data: é");
      expect((await parse([bytes.slice(0, -1)])).flat()).toEqual([data("\uFFFD")]);
    });

    it("emits nothing for an empty stream or one with only comments", async () => {
      expect(await parse([])).toEqual([]);
      expect(await parseText(": hi\n\n")).toEqual([]);
    });
  });

  describe("batching", () => {
    it("delivers several events from one chunk as one batch", async () => {
      const batches = await parse([encoder.encode("data: 1\n\ndata: 2\n\nevent: x\ndata: 3\n\n")]);
      expect(batches).toEqual([[data("1"), data("2"), data("3", "x")]]);
    });

    it("emits one batch per chunk that completes events and none for chunks that do not", async () => {
      const batches = await parse(
        ["data: 1\n\ndata: 2\n\ndata: 3", "", "\n", "\ndata: 4\n\n", ": keep-alive\n\n", "data: 5"].map((s) =>
          encoder.encode(s),
        ),
      );
      // The trailing "data: 5" is completed by flush, in its own batch.
      expect(batches).toEqual([[data("1"), data("2")], [data("3"), data("4")], [data("5")]]);
    });
  });

  describe("a recorded upstream stream", () => {
    const recorded = [
      ": OPENROUTER PROCESSING",
      "",
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":"Thinking… 🤔"},"finish_reason":null}]}',
      "",
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Voilà: 日本語"},"finish_reason":null}]}',
      "",
      ": keep-alive",
      "",
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"é.ts\\"}"}}]},"finish_reason":null}]}',
      "",
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
      "",
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}',
      "",
      "data: [DONE]",
      "",
      "",
    ].join("\n");
    const bytes = encoder.encode(recorded);

    it("gives the same events fed byte by byte as fed at once", async () => {
      const whole = (await parse([bytes])).flat();
      expect(whole).toHaveLength(6);
      expect(whole.at(-1)).toEqual(data("[DONE]"));
      for (const event of whole.slice(0, -1)) expect(() => JSON.parse(event.data)).not.toThrow();

      const byteByByte = await parse(Array.from(bytes, (byte) => Uint8Array.of(byte)));
      expect(byteByByte.flat()).toEqual(whole);
      // Each event is completed by exactly one byte, so each arrives in its own batch.
      expect(byteByByte.every((batch) => batch.length === 1)).toBe(true);
    });

    it("gives the same events for the CRLF variant and for random chunkings", async () => {
      const whole = (await parse([bytes])).flat();
      expect((await parseText(recorded.replaceAll("\n", "\r\n"))).flat()).toEqual(whole);

      // Deterministic pseudo-random cut points (LCG) so a failure is reproducible.
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let round = 0; round < 50; round++) {
        const offsets = Array.from({ length: 1 + Math.floor(random() * 20) }, () =>
          Math.floor(random() * bytes.length),
        ).sort((a, b) => a - b);
        expect((await parse(cut(bytes, offsets))).flat(), `round ${round}: ${offsets.join(",")}`).toEqual(
          whole,
        );
      }
    });
  });
});
