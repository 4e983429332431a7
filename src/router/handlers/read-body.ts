import { RouterError } from "../errors.js";

export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new RouterError(400, "request body is empty; expected a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RouterError(400, `request body is not valid JSON: ${detail}`);
  }
}
