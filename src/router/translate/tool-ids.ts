/**
 * Ids for translated messages and tool calls. Anthropic requires tool_use ids to match
 * `^[A-Za-z0-9_-]+$`; upstreams send other shapes (Kimi: `functions.Bash:0`, some: `0`).
 * Uses the global Web Crypto, available on Node 20 and Cloudflare Workers without imports.
 */

const INVALID_ID_CHAR = /[^A-Za-z0-9_-]/g;
const VALID_ID = /^[A-Za-z0-9_-]+$/;
const NUMERIC_ID = /^[0-9]+$/;

/**
 * Makes an upstream tool-call id safe for Anthropic clients: other characters become `_`.
 * Missing, blank or purely numeric ids (index-like, so not unique across turns) get a fresh
 * `toolu_` id instead.
 */
export function sanitizeToolId(id: string | undefined | null): string {
  if (id === undefined || id === null || id.trim() === "" || NUMERIC_ID.test(id)) return newToolUseId();
  return VALID_ID.test(id) ? id : id.replace(INVALID_ID_CHAR, "_");
}

/** `toolu_` + 24 random hex characters. */
export function newToolUseId(): string {
  return `toolu_${randomHex(12)}`;
}

/** `msg_` + 24 random hex characters. */
export function newMessageId(): string {
  return `msg_${randomHex(12)}`;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Random bytes fetched in bulk: each getRandomValues call costs far more than the bytes (on Node). */
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  if (bytes > pool.length) throw new RangeError(`randomHex: at most ${pool.length} bytes`);
  if (poolUsed + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  let hex = "";
  for (let i = poolUsed; i < poolUsed + bytes; i++) hex += HEX[pool[i]!];
  poolUsed += bytes;
  return hex;
}
