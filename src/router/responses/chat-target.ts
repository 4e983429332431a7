/** A Responses request to a chat provider (`openai-chat`, `script`, `replay`): build it, and translate the reply. */
import type { Target } from "../config/select-route.js";
import { collectChatStream } from "../stream/collect-chat-stream.js";
import { type ChatProvider, chatEndpoint, compatFor, readJson } from "../upstream/chat-target.js";
import { type BuiltResponsesChatRequest, buildResponsesChatRequest } from "./build-chat-request.js";
import { completionChunks } from "./convert-completion.js";
import { chunksReply, type ResponsesReplyContext, streamReply } from "./reply.js";
import type { ResponsesRequest } from "./request-schema.js";

export function prepareResponsesChatRequest(
  target: Target & { provider: ChatProvider },
  request: ResponsesRequest,
  clientKey: string | undefined,
): { url: string; init: RequestInit; prepared: BuiltResponsesChatRequest } {
  const compat = compatFor(target.provider, target.model);
  const built = buildResponsesChatRequest(request, target.model, compat);
  return { ...chatEndpoint(target, compat, built.body, clientKey), prepared: built };
}

export async function translateChatReply(
  upstream: Response,
  context: ResponsesReplyContext,
): Promise<Response> {
  const isSse = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
  if (context.stream && isSse && upstream.body) return streamReply(upstream.body, context);
  const completion =
    isSse && upstream.body ? await collectChatStream(upstream.body) : await readJson(upstream);
  return chunksReply(completionChunks(completion), context);
}
