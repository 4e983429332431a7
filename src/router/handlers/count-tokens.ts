/** `POST /v1/messages/count_tokens`: a local estimate; no backend is asked. */
import { countTokensRequestSchema } from "../../protocol/anthropic.js";
import { formatZodIssues } from "../config/resolve-config.js";
import { RouterError } from "../errors.js";
import { readJsonBody } from "./read-body.js";

export async function handleCountTokens(request: Request): Promise<Response> {
  const parsed = countTokensRequestSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new RouterError(400, formatZodIssues(parsed.error));
  const { countRequestTokens } = await import("../tokens/count-tokens.js");
  return Response.json({ input_tokens: countRequestTokens(parsed.data) });
}
