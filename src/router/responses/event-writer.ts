/**
 * A Responses stream's events as SSE, for the stream translator: each event numbered in turn
 * (`sequence_number`), and the output's text and reasoning parts opened, filled with deltas and
 * closed with their `.done` events. The translator decides what happens; this writes it.
 */
import type { ContentLiterals } from "../stream/chat-sse-parser.js";
import { LiteralBuffer } from "../stream/literal-buffer.js";
import { type SseOutput, SseOutputBuffer } from "../stream/sse-output.js";
import { type DeltaFrame, deltaFrame, frameBytes } from "./delta-frame.js";
import { closedPart } from "./output-items.js";
import { encodeReasoning } from "./reasoning-carrier.js";
import { newItemId, type OutputItem, type ResponseObject } from "./response-object.js";

type PartKind = "message" | "reasoning";

interface OpenPart {
  kind: PartKind;
  index: number;
  id: string;
  /** The deltas' JSON string literals: upstream text is never re-escaped. */
  literals: LiteralBuffer;
  signature?: string;
  redacted?: string;
  /** The constant parts of this part's delta frames, made on the first delta. */
  frame?: DeltaFrame;
}

/**
 * `textMark(i)` stands for the i-th text of an event (see emitWithTexts). The other strings of
 * the events that hold them are grove's own (types, ids, encrypted_content), request fields the
 * response echoes, or an upstream's error message, so a mark is found only where it was put
 * unless one of those holds a NUL followed by "text": such an event is made the slow way.
 */
const textMark = (index: number) => `\u0000text${index}\u0000`;
const TEXT_MARKS = /"\\u0000text(\d+)\\u0000"/g;
/**
 * A JSON string literal: as text, quotes included, or as the UTF-8 bytes of its inside (the
 * upstream's own, passed through), which are copied out rather than encoded again.
 */
type TextLiteral = string | Uint8Array;

export class ResponsesEventWriter {
  private readonly out = new SseOutputBuffer();
  private sequence = 0;
  /** The response's output items so far, closed parts with their texts. */
  readonly output: OutputItem[] = [];
  private open: OpenPart | undefined;
  /** Closed parts' texts as JSON literals, by output index, with how to make their items. */
  private readonly closedTexts = new Map<number, { literal: TextLiteral; item(text: string): OutputItem }>();

  /** @param coalesceDeltas plain text deltas that came in one upstream read go out as one delta */
  constructor(private readonly coalesceDeltas: boolean) {}

  emit(type: string, fields: Record<string, unknown>): void {
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...fields });
    this.out.write(`event: ${type}\ndata: ${data}\n\n`);
  }

  /**
   * A `response.*` event whose response object (made by `snapshot` from output items) holds
   * every closed part's text.
   */
  emitResponse(type: string, snapshot: (items?: OutputItem[]) => ResponseObject): void {
    const literals: TextLiteral[] = [];
    const marked = this.output.map((item, index) => {
      const closed = this.closedTexts.get(index);
      if (!closed) return item;
      literals.push(closed.literal);
      return closed.item(textMark(literals.length - 1));
    });
    this.emitWithTexts(type, { response: snapshot(marked) }, literals, () => ({ response: snapshot() }));
  }

  /** The kind of the part open now, if any. */
  openKind(): PartKind | undefined {
    return this.open?.kind;
  }

  /** `literal` is a JSON string literal, quotes included. */
  appendDelta(kind: PartKind, literal: string): void {
    const { frame, literals } = this.partFor(kind);
    literals.addText(literal.slice(1, -1));
    this.out.write(`${frame.head}${this.sequence++}${frame.middle}${literal}${frame.tail}`);
  }

  /** Text deltas whose literals pass through as the upstream's bytes. */
  appendTextBytes({ bytes, bounds }: ContentLiterals): void {
    const { frame, literals } = this.partFor("message");
    if (this.coalesceDeltas) {
      this.out.passJoinedLiteralFrame(bytes, bounds, frameBytes(frame), this.sequence++);
      literals.addInside(this.out.lastJoinedInside());
      return;
    }
    literals.addLiterals(bytes, bounds);
    this.out.passLiteralFrames(bytes, bounds, frameBytes(frame), this.sequence);
    this.sequence += bounds.length >>> 1;
  }

  /** The signature of the reasoning part open now (one is opened if none is). */
  reasoningSignature(signature: string): void {
    if (this.open?.kind !== "reasoning") this.openPart("reasoning");
    (this.open as OpenPart).signature = signature;
  }

  /** A whole redacted thinking block: a reasoning item of its own, opened and closed. */
  redactedReasoning(data: string): void {
    this.openPart("reasoning");
    (this.open as OpenPart).redacted = data;
    this.closePart();
  }

  closePart(): void {
    if (!this.open) return;
    const part = this.open;
    this.open = undefined;
    const { text, literal: textLiteral, inside } = part.literals.joined();
    const literal: TextLiteral = inside ?? textLiteral;
    const encrypted =
      part.kind === "reasoning"
        ? encodeReasoning(
            Object.assign(
              { text },
              part.signature ? { signature: part.signature } : undefined,
              part.redacted ? { redacted: part.redacted } : undefined,
            ),
          )
        : undefined;
    const closed = closedPart(part.kind, part.id, part.index, encrypted);
    // Each done event is made with a mark in place of the text, which goes in as `literal`.
    const TEXT = textMark(0);
    const emitWithText = (type: string, fields: (text: string) => Record<string, unknown>) =>
      this.emitWithTexts(type, fields(TEXT), [literal], () => fields(text));
    emitWithText(closed.textDoneType, closed.textDone);
    emitWithText("response.content_part.done", closed.partDone);
    this.output[part.index] = closed.item(text);
    this.closedTexts.set(part.index, { literal, item: closed.item });
    emitWithText("response.output_item.done", (text) => ({
      output_index: part.index,
      item: closed.item(text),
    }));
  }

  /** Everything written since the last take. */
  take(): SseOutput {
    return this.out.take();
  }

  /** The same, where no upstream bytes can have been passed through. */
  takeText(): string {
    return this.out.takeText();
  }

  private openPart(kind: PartKind): void {
    this.closePart();
    const part: OpenPart = {
      kind,
      index: this.output.length,
      id: newItemId(kind === "message" ? "msg" : "rs"),
      literals: new LiteralBuffer(),
    };
    this.open = part;
    const item: OutputItem =
      kind === "message"
        ? { type: "message", id: part.id, status: "in_progress", role: "assistant", content: [] }
        : { type: "reasoning", id: part.id, status: "in_progress", summary: [], content: [] };
    this.output.push(item);
    this.emit("response.output_item.added", { output_index: part.index, item });
    this.emit("response.content_part.added", {
      item_id: part.id,
      output_index: part.index,
      content_index: 0,
      part:
        kind === "message"
          ? { type: "output_text", text: "", annotations: [] }
          : { type: "reasoning_text", text: "" },
    });
  }

  /** The open part of `kind` (opened if another kind, or none, is), with its delta frame. */
  private partFor(kind: PartKind): OpenPart & { frame: DeltaFrame } {
    if (this.open?.kind !== kind) this.openPart(kind);
    const part = this.open as OpenPart;
    part.frame ??= deltaFrame(kind, part.id, part.index);
    return part as OpenPart & { frame: DeltaFrame };
  }

  /**
   * `emit`, with `literals[i]` (a part's whole text as a JSON literal, escaped once) where the
   * fields hold `textMark(i)`: a long text is not escaped again for every event that repeats it.
   * `plain` is the same fields with the texts themselves, for the rare event where a mark does
   * not come out exactly once per text.
   */
  private emitWithTexts(
    type: string,
    fields: Record<string, unknown>,
    literals: readonly TextLiteral[],
    plain: () => Record<string, unknown>,
  ): void {
    const number = this.sequence++;
    const data = JSON.stringify({ type, sequence_number: number, ...fields });
    const marks = [...data.matchAll(TEXT_MARKS)];
    // Marks are made in order, so the i-th found must be textMark(i), each once.
    if (marks.length !== literals.length || marks.some((mark, i) => mark[1] !== String(i))) {
      const written = JSON.stringify({ type, sequence_number: number, ...plain() });
      this.out.write(`event: ${type}\ndata: ${written}\n\n`);
      return;
    }
    let from = 0;
    this.out.write(`event: ${type}\ndata: `);
    for (const mark of marks) {
      this.out.write(data.slice(from, mark.index));
      const literal = literals[Number(mark[1])]!;
      if (typeof literal === "string") this.out.write(literal);
      else this.out.writeQuoted(literal);
      from = mark.index + mark[0].length;
    }
    this.out.write(`${data.slice(from)}\n\n`);
  }
}
