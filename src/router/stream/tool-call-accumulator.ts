/**
 * Collects streamed tool-call fragments into whole calls. Fragments are routed by `index`;
 * backends that omit it (Gemini's OpenAI endpoint sends each call whole, without an index)
 * are routed by id: a new id starts a new call, a fragment without one continues the last.
 */
import type { ChatToolCallDelta } from "../../protocol/openai-chat.js";

export interface AccumulatedToolCall {
  id: string | undefined;
  name: string;
  args: string;
}

export class ToolCallAccumulator {
  private readonly calls = new Map<number, AccumulatedToolCall>();
  private lastIndex = -1;

  get size(): number {
    return this.calls.size;
  }

  add(deltas: readonly ChatToolCallDelta[]): void {
    for (const delta of deltas) {
      const index = delta.index ?? this.indexWithoutHint(delta.id);
      let call = this.calls.get(index);
      if (!call) {
        call = { id: undefined, name: "", args: "" };
        this.calls.set(index, call);
      }
      this.lastIndex = index;
      if (delta.id && !call.id) call.id = delta.id;
      if (delta.function?.name && !call.name) call.name = delta.function.name;
      if (delta.function?.arguments) call.args += delta.function.arguments;
    }
  }

  /** The calls in index order; the accumulator is empty afterwards. */
  drain(): AccumulatedToolCall[] {
    const ordered = [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
    this.calls.clear();
    return ordered;
  }

  private indexWithoutHint(id: string | undefined): number {
    const last = this.calls.get(this.lastIndex);
    if (last && (!id || last.id === id || last.id === undefined)) return this.lastIndex;
    for (const [index, call] of this.calls) if (id && call.id === id) return index;
    return this.calls.size === 0 ? 0 : Math.max(...this.calls.keys()) + 1;
  }
}
