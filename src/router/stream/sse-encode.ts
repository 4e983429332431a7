/** Serialises Anthropic-style SSE frames: both `event:` and `data:` lines, which Claude Code requires. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
