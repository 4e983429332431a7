/** A task prompt from the argument, a file, or stdin (when piped), in that order. */
import { readFile } from "node:fs/promises";
import { CliError } from "./errors.js";

export async function readPrompt(argument: string | undefined, file: string | undefined): Promise<string> {
  let prompt = argument;
  if (prompt === undefined && file !== undefined) {
    try {
      prompt = await readFile(file, "utf8");
    } catch (error) {
      throw new CliError(`cannot read the prompt file ${file}: ${(error as Error).message}`);
    }
  }
  if (prompt === undefined && !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    prompt = Buffer.concat(chunks).toString("utf8");
  }
  if (prompt === undefined || prompt.trim() === "") {
    throw new CliError('no prompt: pass it as an argument ("…"), with --file, or on stdin', 2);
  }
  return prompt.trim();
}
