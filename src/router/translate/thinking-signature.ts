/**
 * Thinking blocks that grove builds from a backend's reasoning carry this signature. It is not
 * a real Anthropic signature, so the pass-through provider drops such blocks before they reach
 * a backend that would verify them ("Invalid `signature` in `thinking` block").
 */
export const UNSIGNED_THINKING_SIGNATURE = "grove-unsigned";
