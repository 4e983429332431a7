/**
 * Upstream content literals given as places in their bytes: the i-th, quotes included, is
 * `source[bounds[2i], bounds[2i + 1])` (see ContentLiterals in chat-sse-parser.ts).
 */

/** How many bytes the literals take, quotes included. */
export function literalsLength(bounds: ArrayLike<number>): number {
  let length = 0;
  for (let i = 0; i < bounds.length; i += 2) length += bounds[i + 1]! - bounds[i]!;
  return length;
}

/**
 * Copies the literals' insides (quotes left out) one after another to `target` from `at`, and
 * returns the index after them. Joined so, they are the inside of the joined text's literal: an
 * escape never spans two literals, and a surrogate pair split between two comes together again.
 */
export function copyInsides(
  source: Uint8Array,
  bounds: ArrayLike<number>,
  target: Uint8Array,
  at: number,
): number {
  let to = at;
  for (let i = 0; i < bounds.length; i += 2) {
    const end = bounds[i + 1]! - 1;
    for (let j = bounds[i]! + 1; j < end; j++) target[to++] = source[j]!;
  }
  return to;
}
