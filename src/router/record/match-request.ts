/**
 * What `match: "request"` compares: the whole Chat Completions body except the fields that
 * legitimately differ between a recording and its replay — `model` (the replay config picks
 * its own), `user` (a session id) and tool-call ids (minted fresh when the backend sent none),
 * which are compared by order of first appearance instead. Key order never matters.
 */

export function requestKey(request: unknown): string {
  if (typeof request !== "object" || request === null || Array.isArray(request)) return canonical(request);
  const { model: _model, user: _user, ...rest } = request as Record<string, unknown>;
  const ids = new Map<string, string>();
  const idFor = (id: unknown) => {
    if (typeof id !== "string") return id;
    if (!ids.has(id)) ids.set(id, `tool-call-${ids.size + 1}`);
    return ids.get(id);
  };
  if (Array.isArray(rest.messages)) {
    rest.messages = rest.messages.map((message: unknown) => {
      if (typeof message !== "object" || message === null) return message;
      const copy = { ...(message as Record<string, unknown>) };
      if (Array.isArray(copy.tool_calls)) {
        copy.tool_calls = copy.tool_calls.map((call: unknown) =>
          typeof call === "object" && call !== null
            ? { ...call, id: idFor((call as { id?: unknown }).id) }
            : call,
        );
      }
      if ("tool_call_id" in copy) copy.tool_call_id = idFor(copy.tool_call_id);
      return copy;
    });
  }
  return canonical(rest);
}

/** JSON with object keys sorted, so equal values give equal strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
