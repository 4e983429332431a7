/** Chat Completions usage → Anthropic usage, where input_tokens excludes cache reads and writes. */
import type { Usage } from "../../protocol/anthropic.js";
import type { ChatUsage } from "../../protocol/openai-chat.js";

export function mapUsage(usage: ChatUsage | null | undefined): Usage {
  const prompt = usage?.prompt_tokens ?? 0;
  const cacheRead = usage?.prompt_tokens_details?.cached_tokens ?? usage?.prompt_cache_hit_tokens ?? 0;
  const cacheWrite = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, prompt - cacheRead - cacheWrite),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}
