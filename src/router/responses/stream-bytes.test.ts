import { describe, expect, it } from "vitest";
import { parseResponsesSse } from "../../../test/router/codex-captures.js";
import { pipeUpstream } from "../stream/translating-stream.js";
import { responsesRequestSchema } from "./request-schema.js";
import { createResponsesTranslator } from "./stream-translator.js";
import { buildToolTable } from "./tool-table.js";

const encoder = new TextEncoder();
const tools = buildToolTable(responsesRequestSchema.parse({ model: "m" }).tools ?? [], 64);

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** Upstream bytes, cut into `pieces` reads, through the Responses translator as the router runs it. */
async function translate(stream: string, pieces: number, coalesceDeltas = false): Promise<string> {
  const translator = createResponsesTranslator({
    responseId: "resp_1",
    createdAt: 1,
    clientModel: "m",
    tools,
    coalesceDeltas,
  });
  const bytes = encoder.encode(stream);
  const size = Math.ceil(bytes.length / pieces);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
      controller.close();
    },
  });
  const output = pipeUpstream(body, translator, { pingIntervalMs: 0, pingFrame: "" });
  return new Response(output).text();
}

describe("Responses stream from upstream bytes", () => {
  const words = ["Hel", 'lo "wörld"', "\n🎉", " \\ end"];
  const stream =
    chunk({ role: "assistant", content: "" }) +
    words.map((word) => chunk({ content: word })).join("") +
    chunk({}, "stop") +
    "data: [DONE]\n\n";

  it.each([1, 3, 40, stream.length])(
    "passes content literals through intact, read in %i pieces",
    async (pieces) => {
      const events = parseResponsesSse(await translate(stream, pieces));
      const deltas = events.filter((event) => event.event === "response.output_text.delta");
      expect(deltas.map((event) => (event.data as unknown as { delta: string }).delta)).toEqual(words);
      expect(deltas.map((event) => (event.data as { sequence_number: number }).sequence_number)).toEqual(
        [0, 1, 2, 3].map((i) => deltas[0]!.data.sequence_number + i),
      );
      expect(closingTexts(events)).toEqual(Array(4).fill(words.join("")));
      expect(events.at(-1)?.event).toBe("response.completed");
    },
  );

  it.each([1, 3, stream.length])(
    "joins deltas read together, and repeats the text whole, in %i pieces",
    async (pieces) => {
      const events = parseResponsesSse(await translate(stream, pieces, true));
      const deltas = events.filter((event) => event.event === "response.output_text.delta");
      expect(deltas.map((event) => (event.data as unknown as { delta: string }).delta).join("")).toBe(
        words.join(""),
      );
      expect(closingTexts(events)).toEqual(Array(4).fill(words.join("")));
    },
  );

  it("still decodes the final text when an upstream put a raw control character in a string", async () => {
    // JSON forbids a raw tab inside a string; some backends send one anyway.
    const tab = chunk({ content: "TAB" }).replace("TAB", "b\tc");
    const raw = `${chunk({ content: "a" })}${tab}${chunk({ content: ' say "hi"' })}${chunk({}, "stop")}data: [DONE]\n\n`;
    const text = await translate(raw, 1);
    // The deltas pass the upstream's bytes on as they came; every event that repeats the whole
    // text is valid JSON.
    const events = parseResponsesSse(text.replace(/("delta":"[^"]*)\t/, "$1\\t"));
    expect(closingTexts(events)).toEqual(Array(4).fill('ab\tc say "hi"'));
  });
});

/** The first message's whole text, from each event that repeats it (done, part done, item done, completed). */
function closingTexts(events: ReturnType<typeof parseResponsesSse>): string[] {
  type Message = { content: { text: string }[] };
  const data = <T>(type: string) => events.find((event) => event.event === type)?.data as unknown as T;
  return [
    data<{ text: string }>("response.output_text.done").text,
    data<{ part: { text: string } }>("response.content_part.done").part.text,
    data<{ item: Message }>("response.output_item.done").item.content[0]!.text,
    data<{ response: { output: Message[] } }>("response.completed").response.output[0]!.content[0]!.text,
  ];
}
