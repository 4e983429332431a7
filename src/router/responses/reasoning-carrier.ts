/**
 * A reasoning item's `encrypted_content` is opaque to the client, which sends it back verbatim
 * with the next request (Codex asks for it with `include: ["reasoning.encrypted_content"]`).
 * The router uses it to carry what it needs to replay the reasoning to a backend: the text,
 * and for Anthropic backends the thinking block's signature or redacted data.
 */

export interface CarriedReasoning {
  text: string;
  /** An Anthropic thinking block's signature. */
  signature?: string;
  /** An Anthropic `redacted_thinking` block's data. */
  redacted?: string;
}

const PREFIX = "grove.v1.";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeReasoning(reasoning: CarriedReasoning): string {
  const json = JSON.stringify({
    t: reasoning.text,
    ...(reasoning.signature ? { s: reasoning.signature } : {}),
    ...(reasoning.redacted ? { r: reasoning.redacted } : {}),
  });
  let binary = "";
  for (const byte of encoder.encode(json)) binary += String.fromCharCode(byte);
  return PREFIX + btoa(binary);
}

/** What grove put in an `encrypted_content`, or undefined for anything else (e.g. OpenAI's own). */
export function decodeReasoning(value: string | null | undefined): CarriedReasoning | undefined {
  if (!value?.startsWith(PREFIX)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(value.slice(PREFIX.length)), (char) => char.charCodeAt(0));
    const parsed = JSON.parse(decoder.decode(bytes)) as { t?: unknown; s?: unknown; r?: unknown };
    return {
      text: typeof parsed.t === "string" ? parsed.t : "",
      ...(typeof parsed.s === "string" ? { signature: parsed.s } : {}),
      ...(typeof parsed.r === "string" ? { redacted: parsed.r } : {}),
    };
  } catch {
    return undefined;
  }
}
