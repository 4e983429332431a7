/**
 * An estimate of what Anthropic's `count_tokens` would return, for backends that cannot
 * count. Claude's tokenizer is not public, so text is counted with o200k_base (a modern
 * BPE of similar density); everything else uses Anthropic's published formulas or guesses.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { AnthropicTool, CountTokensRequest } from "../../protocol/anthropic.js";
import { imageDimensionsFromBase64 } from "./image-dimensions.js";

// Structural overheads are estimates, not measurements of Claude's hidden prompt format:
/** Start/end of the conversation. */
const REQUEST_OVERHEAD = 3;
/** Role markers around each message. */
const MESSAGE_OVERHEAD = 4;
/** Wrapping around each tool definition (name/description/parameters markup). */
const TOOL_OVERHEAD = 8;
/** Wrapping around each tool_use / tool_result block (ids, invoke markup). */
const TOOL_BLOCK_OVERHEAD = 10;
/** Anthropic documents a hidden tool-use system prompt: 346 tokens (auto/none), 313 (any/tool). */
const TOOL_PROMPT_AUTO = 346;
const TOOL_PROMPT_FORCED = 313;

/** Anthropic downsizes images so the long edge is ≤ 1568 px and the area ≤ ~1.15 MP. */
const IMAGE_MAX_EDGE = 1568;
const IMAGE_MAX_PIXELS = 1_150_000;
const PIXELS_PER_TOKEN = 750;
/** Images whose size cannot be read (URLs, unknown formats): roughly a full-size image. */
const UNKNOWN_IMAGE_TOKENS = 1600;
/** URL documents are fetched by Anthropic; their size is unknowable here. */
const UNKNOWN_DOCUMENT_TOKENS = 3000;
/** Chars per token for opaque data we refuse to tokenize (encrypted thinking, PDF bytes). */
const OPAQUE_CHARS_PER_TOKEN = 4;

/** Special-token text (e.g. "<|endoftext|>") in a prompt is plain text, not an error. */
const ENCODE_OPTIONS = { disallowedSpecial: new Set<string>() };

/**
 * Text is gathered and counted in one tokenizer call: joining is cheap, and one call over a
 * Claude Code request's ~350 pieces measured as fast warm (and faster cold) as one per piece.
 */
class Tally {
  readonly texts: string[] = [];
  tokens = 0;

  text(value: string | null | undefined): void {
    if (value) this.texts.push(value);
  }

  json(value: unknown): void {
    if (value === undefined) return;
    this.text(JSON.stringify(value));
  }

  total(): number {
    return this.tokens + countTokens(this.texts.join("\n"), ENCODE_OPTIONS);
  }
}

export function countRequestTokens(request: CountTokensRequest): number {
  const tally = new Tally();
  tally.tokens += REQUEST_OVERHEAD;

  if (typeof request.system === "string") tally.text(request.system);
  else for (const block of request.system ?? []) tally.text(block.text);

  for (const message of request.messages) {
    tally.tokens += MESSAGE_OVERHEAD;
    if (typeof message.content === "string") tally.text(message.content);
    else for (const block of message.content) addBlock(tally, block);
  }

  const tools = request.tools ?? [];
  if (tools.length > 0) {
    const forced = request.tool_choice?.type === "any" || request.tool_choice?.type === "tool";
    tally.tokens += forced ? TOOL_PROMPT_FORCED : TOOL_PROMPT_AUTO;
    for (const tool of tools) addTool(tally, tool);
  }
  return tally.total();
}

function addTool(tally: Tally, tool: AnthropicTool): void {
  tally.tokens += TOOL_OVERHEAD;
  tally.text(tool.name);
  tally.text(tool.description);
  // Server tools (web_search, bash, ...) carry no schema; their config is the best proxy.
  if (tool.input_schema) tally.json(tool.input_schema);
  else tally.json({ ...tool, name: undefined, description: undefined });
}

/**
 * Reads fields defensively rather than by type: the schema's catch-all variant has
 * `type: string`, and document `content` sources reach here unvalidated.
 */
function addBlock(tally: Tally, fields: Record<string, unknown>): void {
  switch (fields.type) {
    case "text":
      tally.text(str(fields.text));
      return;
    case "image":
      tally.tokens += imageTokens(fields);
      return;
    case "document":
      addDocument(tally, fields);
      return;
    case "tool_use":
      tally.tokens += TOOL_BLOCK_OVERHEAD;
      tally.text(str(fields.name));
      tally.json(fields.input);
      return;
    case "tool_result":
      tally.tokens += TOOL_BLOCK_OVERHEAD;
      addToolResultContent(tally, fields.content);
      return;
    case "thinking":
      tally.text(str(fields.thinking));
      return;
    case "redacted_thinking":
      tally.tokens += opaqueTokens(str(fields.data));
      return;
    default:
      // Server tool blocks and future kinds: their JSON is a fair size proxy.
      tally.json(fields);
  }
}

function addToolResultContent(tally: Tally, content: unknown): void {
  if (typeof content === "string") tally.text(content);
  else if (Array.isArray(content)) for (const item of content) if (isRecord(item)) addBlock(tally, item);
}

function addDocument(tally: Tally, doc: Record<string, unknown>): void {
  tally.text(str(doc.title));
  tally.text(str(doc.context));
  const source = isRecord(doc.source) ? doc.source : {};
  const data = str(source.data);
  if (source.type === "text") tally.text(data);
  else if (source.type === "content") addToolResultContent(tally, source.content);
  else if (source.type === "base64" && data) {
    // A PDF's text is compressed and Anthropic also renders each page as an image, so
    // neither text nor page count is readable without decoding and parsing the whole file
    // (too slow here). Decoded bytes / 4 lands in the right order of magnitude.
    tally.tokens += opaqueTokens(data, 3 / 4);
  } else tally.tokens += UNKNOWN_DOCUMENT_TOKENS;
}

function imageTokens(image: Record<string, unknown>): number {
  const source = isRecord(image.source) ? image.source : {};
  if (source.type !== "base64" || typeof source.data !== "string") return UNKNOWN_IMAGE_TOKENS;
  const dims = imageDimensionsFromBase64(source.data, str(source.media_type));
  return dims ? imageTokensForSize(dims.width, dims.height) : UNKNOWN_IMAGE_TOKENS;
}

/** Anthropic's formula: ceil(width * height / 750) after downscaling oversized images. */
export function imageTokensForSize(width: number, height: number): number {
  const scale = Math.min(
    1,
    IMAGE_MAX_EDGE / Math.max(width, height),
    Math.sqrt(IMAGE_MAX_PIXELS / (width * height)),
  );
  const w = Math.max(1, Math.floor(width * scale));
  const h = Math.max(1, Math.floor(height * scale));
  return Math.ceil((w * h) / PIXELS_PER_TOKEN);
}

function opaqueTokens(data: string, bytesPerChar = 1): number {
  return Math.ceil((data.length * bytesPerChar) / OPAQUE_CHARS_PER_TOKEN);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
