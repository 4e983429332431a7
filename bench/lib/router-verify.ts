/** bench:router's correctness checks: each path must deliver exactly the upstream's content. */
import { type RequestSpec, timedRequest } from "./client.js";

/** The upstream itself: the `delta.content` concatenation. */
export async function verifyDirect(spec: RequestSpec, content: string, label = "direct"): Promise<boolean> {
  const reply = await timedRequest(spec, true);
  let text = "";
  for (const data of sseData(reply.text)) {
    if (data === "[DONE]") continue;
    const chunk = parseJson(data) as { choices?: Array<{ delta?: { content?: string | null } }> } | undefined;
    text += chunk?.choices?.[0]?.delta?.content ?? "";
  }
  const ok = reply.status === 200 && text === content;
  console.log(`verify: ${label} content ${ok ? "matches" : "DIFFERS"} (status ${reply.status})`);
  return ok;
}

/** `/v1/messages`: the `text_delta` concatenation, `message_stop` last, stop_reason end_turn. */
export async function verifyMessages(label: string, spec: RequestSpec, content: string): Promise<boolean> {
  const reply = await timedRequest(spec, true);
  let text = "";
  const types: string[] = [];
  let stopReason: unknown;
  for (const data of sseData(reply.text)) {
    const event = (parseJson(data) ?? { type: "(not JSON)" }) as {
      type: string;
      delta?: { type?: string; text?: string; stop_reason?: unknown };
    };
    types.push(event.type);
    if (event.type === "content_block_delta" && event.delta?.type === "text_delta")
      text += event.delta.text ?? "";
    if (event.type === "message_delta") stopReason = event.delta?.stop_reason;
  }
  const last = types[types.length - 1];
  const ok = reply.status === 200 && text === content && last === "message_stop" && stopReason === "end_turn";
  console.log(
    `verify: ${label} text_delta concatenation ${ok ? "matches" : "DIFFERS"} ` +
      `(status ${reply.status}, ${types.length} events, last ${last}, stop_reason ${String(stopReason)})`,
  );
  return ok;
}

/** `/v1/responses`: the `response.output_text.delta` concatenation, and `response.completed` last. */
export async function verifyResponses(label: string, spec: RequestSpec, content: string): Promise<boolean> {
  const reply = await timedRequest(spec, true);
  let text = "";
  const types: string[] = [];
  let status: unknown;
  for (const data of sseData(reply.text)) {
    const event = (parseJson(data) ?? { type: "(not JSON)" }) as {
      type: string;
      delta?: string;
      response?: { status?: unknown };
    };
    types.push(event.type);
    if (event.type === "response.output_text.delta") text += event.delta ?? "";
    if (event.type === "response.completed") status = event.response?.status;
  }
  const last = types[types.length - 1];
  const ok =
    reply.status === 200 && text === content && last === "response.completed" && status === "completed";
  console.log(
    `verify: ${label} output_text.delta concatenation ${ok ? "matches" : "DIFFERS"} ` +
      `(status ${reply.status}, ${types.length} events, last ${last}, response.status ${String(status)})`,
  );
  return ok;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `data:` payloads of an SSE body, one per event. */
function sseData(body: string): string[] {
  const out: string[] = [];
  for (const block of body.split("\n\n")) {
    const lines = block.split("\n").filter((line) => line.startsWith("data:"));
    if (lines.length > 0) out.push(lines.map((line) => line.slice(5).replace(/^ /, "")).join("\n"));
  }
  return out;
}
