/**
 * Maps client tool names to names an upstream accepts (`^[A-Za-z0-9_-]{1,maxLength}$`) and back.
 * The conversation history is re-sent and re-translated on every request, so the mapping must
 * depend only on the names, never on randomness or time.
 */

export interface ToolNameMap {
  /** The name to send upstream for a client tool name. */
  toUpstream(name: string): string;
  /** The client's original name for an upstream name; unknown names pass through unchanged. */
  toClient(name: string): string;
}

const VALID_CHARS = /^[A-Za-z0-9_-]+$/;
const INVALID_CHAR = /[^A-Za-z0-9_-]/g;
const HASH_SUFFIX_LENGTH = 9; // "_" + 8 hex chars

/**
 * Builds the map for one request's tool list. Already-valid names map to themselves and
 * are reserved first, so a rewritten name can never steal one. Invalid characters become `_`;
 * names that are too long, or that collide after rewriting, become a prefix + `_` + the
 * FNV-1a hash of the original name. `toUpstream` also accepts names outside the list (tool
 * calls in history for a tool no longer offered) and maps them the same way.
 */
export function createToolNameMap(names: readonly string[], maxLength: number): ToolNameMap {
  if (!Number.isInteger(maxLength) || maxLength <= HASH_SUFFIX_LENGTH) {
    throw new RangeError(`maxLength must be an integer above ${HASH_SUFFIX_LENGTH}, got ${maxLength}`);
  }
  const isValid = (name: string) => name.length <= maxLength && VALID_CHARS.test(name);
  const toUpstream = new Map<string, string>();
  const toClient = new Map<string, string>();
  const reserved = new Set<string>();

  for (const name of names) if (isValid(name)) reserved.add(name);

  const hashed = (sanitized: string, hashInput: string) =>
    `${sanitized.slice(0, maxLength - HASH_SUFFIX_LENGTH)}_${fnv1a32Hex(hashInput)}`;

  const assign = (name: string): string => {
    const sanitized = name.replace(INVALID_CHAR, "_");
    let candidate =
      sanitized.length > 0 && sanitized.length <= maxLength ? sanitized : hashed(sanitized, name);
    // A clash after rewriting: fall back to the hashed form, then to rehashing with a counter.
    if (reserved.has(candidate)) candidate = hashed(sanitized, name);
    for (let i = 2; reserved.has(candidate); i++) candidate = hashed(sanitized, `${name}#${i}`);
    reserved.add(candidate);
    toUpstream.set(name, candidate);
    toClient.set(candidate, name);
    return candidate;
  };

  for (const name of names) if (!isValid(name) && !toUpstream.has(name)) assign(name);

  return {
    toUpstream(name) {
      const mapped = toUpstream.get(name);
      if (mapped !== undefined) return mapped;
      // Valid names pass through untouched unless a rewritten name already took them.
      if (isValid(name) && !toClient.has(name)) {
        reserved.add(name); // so a later rewritten name cannot take it
        return name;
      }
      return assign(name);
    },
    toClient(name) {
      return toClient.get(name) ?? name;
    },
  };
}

/** FNV-1a, 32-bit, over UTF-16 code units: tiny, synchronous, and the same on Node and Workers. */
function fnv1a32Hex(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
