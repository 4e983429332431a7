/**
 * Keeps a long session inside the model's context window: when the transcript nears the limit,
 * the outputs of older tool calls are shortened (the model can always run the tool again).
 * The newest turns are never touched, so the model keeps what it is working on.
 */
import type { MessageParam } from "./model-turn.js";

export interface PruneOptions {
  contextWindow: number;
  /** Start pruning above this share of the window. */
  threshold?: number;
  /** Leave the tool results of this many newest user turns alone. */
  keepRecentTurns?: number;
  /** Shortened outputs keep this many characters from each end. */
  keepChars?: number;
}

/** A rough count (4 characters a token): cheap, and only used to decide when to prune. */
export function estimateTokens(messages: readonly MessageParam[], system = ""): number {
  return Math.ceil((system.length + JSON.stringify(messages).length) / 4);
}

/** Shortens old tool results in place; returns how many were shortened. */
export function pruneToolOutputs(messages: MessageParam[], system: string, options: PruneOptions): number {
  const limit = options.contextWindow * (options.threshold ?? 0.7);
  if (estimateTokens(messages, system) <= limit) return 0;
  const keepRecent = options.keepRecentTurns ?? 2;
  const keepChars = options.keepChars ?? 200;
  const userTurns = messages
    .map((message, index) => (message.role === "user" ? index : -1))
    .filter((i) => i >= 0);
  const protectedFrom = userTurns[Math.max(0, userTurns.length - keepRecent)] ?? messages.length;
  let pruned = 0;
  for (let i = 0; i < protectedFrom; i++) {
    const message = messages[i]!;
    if (message.role !== "user" || typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type !== "tool_result" || typeof block.content !== "string") continue;
      if (block.content.length <= keepChars * 2 + 100) continue;
      const cut = block.content.length - keepChars * 2;
      block.content = `${block.content.slice(0, keepChars)}\n[… ${cut} characters of old tool output removed to save context; run the tool again if needed …]\n${block.content.slice(-keepChars)}`;
      pruned += 1;
      if (estimateTokens(messages, system) <= limit) return pruned;
    }
  }
  return pruned;
}
