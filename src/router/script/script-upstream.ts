/**
 * A script provider behaves like an OpenAI-compatible server: it receives the translated Chat
 * Completions request and answers with real SSE or JSON, so scripted replies travel the same
 * translation path as a real backend's.
 */
import type { ChatChunk, ChatCompletion, ChatRequest, ChatToolCall } from "../../protocol/openai-chat.js";
import { abortableSleep } from "../sleep.js";
import { contentText, ScriptCursor } from "./match-reply.js";
import type { Script, ScriptReply } from "./script-schema.js";

const encoder = new TextEncoder();

export type ScriptUpstream = (request: ChatRequest, signal?: AbortSignal | null) => Promise<Response>;

export function createScriptUpstream(name: string, script: Script): ScriptUpstream {
  const cursor = new ScriptCursor(name, script);
  return async (request, signal) => {
    const picked = cursor.next(request);
    if ("error" in picked) return errorResponse(500, picked.error);
    const { reply } = picked;
    if (reply.delayMs) await abortableSleep(reply.delayMs, signal);
    if (reply.status !== undefined || reply.error !== undefined) {
      return errorResponse(
        reply.status ?? 500,
        reply.error ?? `scripted error from "${name}"`,
        reply.headers,
      );
    }
    const context = { cwd: findCwd(request), model: request.model, lastUser: lastUserText(request) };
    if (!request.stream) return Response.json(completionFor(reply, request.model, context));
    return new Response(chunkStream(chunksFor(reply, request.model, context), reply, signal), {
      headers: { "content-type": "text/event-stream" },
    });
  };
}

interface TemplateContext {
  cwd: string;
  model: string;
  lastUser: string;
}

/**
 * `{{cwd}}` lets one script write absolute paths wherever the client runs; `{{user:REGEX}}`
 * echoes the first group (or the match) of REGEX in the newest user message, e.g. a file path
 * the prompt names. A pattern that does not match is left as it is, so the miss stays visible.
 */
function fill(text: string, context: TemplateContext): string {
  return text.replace(
    /\{\{(cwd|model|user:((?:(?!\}\}).)+))\}\}/g,
    (whole, key: string, pattern?: string) => {
      if (key === "cwd") return context.cwd;
      if (key === "model") return context.model;
      try {
        const match = new RegExp(pattern!).exec(context.lastUser);
        return match ? (match[1] ?? match[0]) : whole;
      } catch {
        return whole; // Not a valid regular expression: left visible, like a miss.
      }
    },
  );
}

/** Fills every string inside a tool call's arguments (before they are serialized). */
function fillValue(value: unknown, context: TemplateContext): unknown {
  if (typeof value === "string") return fill(value, context);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, context));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillValue(item, context)]));
  return value;
}

function lastUserText(request: ChatRequest): string {
  const message = request.messages.findLast((candidate) => candidate.role === "user");
  return message ? contentText(message) : "";
}

function findCwd(request: ChatRequest): string {
  for (const message of request.messages) {
    if (typeof message.content !== "string") continue;
    const match = /working directory: (\S+)/i.exec(message.content);
    if (match) return match[1]!;
  }
  return ".";
}

function toolCalls(reply: ScriptReply, context: TemplateContext): ChatToolCall[] {
  return (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_script_${index}_${Math.random().toString(36).slice(2, 10)}`,
    type: "function",
    function: {
      name: call.name,
      arguments:
        typeof call.arguments === "string"
          ? fill(call.arguments, context)
          : JSON.stringify(fillValue(call.arguments, context)),
    },
  }));
}

function usageFor(reply: ScriptReply, request: string) {
  const input = reply.usage?.input ?? Math.ceil(request.length / 4);
  const output =
    reply.usage?.output ?? Math.ceil(((reply.text?.length ?? 0) + (reply.reasoning?.length ?? 0)) / 4) + 1;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: reply.usage?.cached ?? 0 },
  };
}

function finishReason(reply: ScriptReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
}

function completionFor(reply: ScriptReply, model: string, context: TemplateContext): ChatCompletion {
  const calls = toolCalls(reply, context);
  return {
    id: "chatcmpl-script",
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: reply.text === undefined ? null : fill(reply.text, context),
          reasoning_content: reply.reasoning ?? null,
          tool_calls: calls.length > 0 ? calls : null,
        },
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageFor(reply, JSON.stringify(context)),
  };
}

function chunksFor(reply: ScriptReply, model: string, context: TemplateContext): ChatChunk[] {
  const size = reply.chunkSize ?? 16;
  const chunk = (delta: ChatChunk["choices"]) => ({ id: "chatcmpl-script", model, choices: delta });
  const chunks: ChatChunk[] = [];
  for (const piece of split(reply.reasoning ?? "", size))
    chunks.push(chunk([{ index: 0, delta: { reasoning_content: piece } }]));
  for (const piece of split(fill(reply.text ?? "", context), size))
    chunks.push(chunk([{ index: 0, delta: { content: piece } }]));
  toolCalls(reply, context).forEach((call, index) => {
    const args = split(call.function.arguments, Math.max(8, Math.ceil(call.function.arguments.length / 3)));
    args.forEach((piece, position) => {
      const head =
        position === 0
          ? { id: call.id, type: "function", function: { name: call.function.name, arguments: piece } }
          : { function: { arguments: piece } };
      chunks.push(chunk([{ index: 0, delta: { tool_calls: [{ index, ...head }] } }]));
    });
  });
  chunks.push(chunk([{ index: 0, delta: {}, finish_reason: finishReason(reply) }]));
  chunks.push({ id: "chatcmpl-script", model, choices: [], usage: usageFor(reply, JSON.stringify(context)) });
  return chunks;
}

function split(text: string, size: number): string[] {
  const pieces: string[] = [];
  const characters = [...text];
  for (let i = 0; i < characters.length; i += size) pieces.push(characters.slice(i, i + size).join(""));
  return pieces;
}

function chunkStream(
  chunks: ChatChunk[],
  reply: ScriptReply,
  signal?: AbortSignal | null,
): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (reply.cutAfterChunks !== undefined && sent >= reply.cutAfterChunks) {
        controller.error(new Error(`the script cut the stream after ${sent} chunks`));
        return;
      }
      if (sent > 0 && reply.chunkDelayMs) await abortableSleep(reply.chunkDelayMs, signal);
      const next = chunks[sent];
      sent += 1;
      if (next === undefined) {
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`data: ${JSON.stringify(next)}\n\n`));
    },
  });
}

function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { message, type: "script_error" } }, { status, headers });
}
