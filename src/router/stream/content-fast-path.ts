/**
 * Most chunks of a long answer carry only a few characters of `delta.content`. For those, the
 * content's JSON string literal is lifted out of the raw event and spliced into the Anthropic
 * frame as it is: no JSON.parse, no JSON.stringify. Anything else, or anything in doubt, takes
 * the full path, so a miss only costs speed, never correctness.
 */

/** `"delta":{"content":"…"}`, optionally with the role first; nothing else inside the delta. */
const CONTENT_ONLY_DELTA = /"delta":\{(?:"role":"assistant",)?"content":("(?:[^"\\]|\\.)*")\}/;

/**
 * Fields that need the full path. JSON escapes every quote inside strings, so these can only
 * match as real keys. (A regex, because V8's `includes` sets up a search table on every call.)
 */
const NEEDS_FULL_PATH = /"finish_reason":"|"usage":\{|"error"/;

/** The content's JSON string literal (quotes included), or undefined when the full path is needed. */
export function contentLiteralOf(data: string): string | undefined {
  if (NEEDS_FULL_PATH.test(data)) return undefined;
  return CONTENT_ONLY_DELTA.exec(data)?.[1];
}
