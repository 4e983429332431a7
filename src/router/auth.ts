/**
 * Inbound authentication. A client presents its key as `x-api-key` or `Authorization: Bearer`,
 * the two ways Claude Code sends one. Router tokens are compared in constant time.
 */
export function clientKeyFrom(headers: Headers): string | undefined {
  const apiKey = headers.get("x-api-key");
  if (apiKey) return apiKey;
  const authorization = headers.get("authorization");
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match?.[1]?.trim() || undefined;
}

const encoder = new TextEncoder();

/** True when `presented` equals one of `tokens`; the time taken does not depend on where they differ. */
export function matchesToken(presented: string, tokens: readonly string[]): boolean {
  const given = encoder.encode(presented);
  let matched = false;
  for (const token of tokens) {
    if (constantTimeEqual(given, encoder.encode(token))) matched = true;
  }
  return matched;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++)
    difference |= (a[i % (a.length || 1)] ?? 0) ^ (b[i % (b.length || 1)] ?? 0);
  return difference === 0;
}
