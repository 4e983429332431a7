/** Reads a `replay` provider's cassette: JSON lines, one exchange each, as the recorder writes. */
import type { ProviderConfig } from "../config/config-schema.js";
import { type Exchange, exchangeSchema } from "./exchange.js";

type ReplayProvider = Extract<ProviderConfig, { type: "replay" }>;

/** Replaces a cassette path with its exchanges; a problem is pushed, not thrown, like every config problem. */
export function resolveCassette(
  provider: ReplayProvider,
  path: string,
  loadFile: ((path: string) => string) | undefined,
  problems: string[],
): void {
  if (typeof provider.cassette !== "string") return;
  const file = provider.cassette;
  provider.name ??= file;
  provider.cassette = [];
  if (!loadFile) {
    problems.push(`${path}: cassette files cannot be read on this runtime; put the exchanges inline`);
    return;
  }
  let text: string;
  try {
    text = loadFile(file);
  } catch (error) {
    problems.push(
      `${path}: cannot load "${file}": ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  const parsed = parseCassette(text);
  if ("error" in parsed) problems.push(`${path} ("${file}"): ${parsed.error}`);
  else provider.cassette = parsed.exchanges;
}

export function parseCassette(text: string): { exchanges: Exchange[] } | { error: string } {
  const exchanges: Exchange[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      return { error: `line ${index + 1} is not valid JSON: ${(error as Error).message}` };
    }
    const parsed = exchangeSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
      return { error: `line ${index + 1}: ${where}${issue.message}` };
    }
    exchanges.push(parsed.data);
  }
  return { exchanges };
}
