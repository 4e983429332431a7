/**
 * Splits `location — text` as written in review findings and triage decisions. A location is a
 * path-like token (`src/a.ts:3`, `README.md`, `` `lib/x.js:3-7` ``) followed by a separator
 * (`—`, `–`, ` - ` or `:`); anything else is plain text with no location.
 */

const PATH = /^[\w.~@+/\\-]+$/;
const LINE_SUFFIX = /(?::\d+(?:[-–]\d+)?(?::\d+)?|#L\d+(?:-L?\d+)?)$/;

/** Whether `token` looks like a file path, optionally with a line suffix. */
export function isLocationLike(token: string): boolean {
  const hasLine = LINE_SUFFIX.test(token);
  const path = token.replace(LINE_SUFFIX, "");
  if (path === "" || !PATH.test(path) || /^[-.]+$/.test(path)) return false;
  return hasLine || /[/\\]/.test(path) || /\.[A-Za-z][A-Za-z0-9]*$/.test(path);
}

export function splitLocation(text: string): { location: string; text: string } {
  const trimmed = text.trim();
  let token: string;
  let after: string;
  let quoted = false;
  if (trimmed.startsWith("`")) {
    const close = trimmed.indexOf("`", 1);
    if (close === -1) return { location: "", text: trimmed };
    token = trimmed.slice(1, close).trim();
    after = trimmed.slice(close + 1);
    quoted = true;
  } else {
    const match = /^[^\s—–]+/.exec(trimmed);
    token = match?.[0] ?? "";
    after = trimmed.slice(token.length);
  }
  let separated = false;
  if (token.endsWith(":")) {
    token = token.slice(0, -1);
    separated = true;
  }
  const separator = /^\s*(?:[—–]|-(?=\s|$)|:(?=\s|$))\s*/.exec(after);
  if (!separated && separator) {
    after = after.slice(separator[0].length);
    separated = true;
  }
  if (!isLocationLike(token)) return { location: "", text: trimmed };
  if (!separated && !quoted && !LINE_SUFFIX.test(token) && after.trim() !== "") {
    return { location: "", text: trimmed };
  }
  return { location: token, text: after.trim() };
}
