/** read: a text file's lines, numbered like `cat -n`, a window at a time. */
import { type FileHandle, open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { z } from "zod";
import { confinePath } from "./confine.js";
import { defineTool, errnoCode, pathSchema } from "./define.js";
import { BINARY_SNIFF_BYTES, looksBinary, throwIfAborted } from "./files.js";
import { type AgentTool, ok, ToolError, type ToolOptions } from "./tool.js";

export const DEFAULT_READ_LIMIT = 2000;
/** Longer lines are cut to this many characters. */
export const MAX_LINE_CHARS = 2000;

const schema = z.strictObject({
  path: pathSchema.describe("The file to read, relative to the working directory (or absolute inside it)."),
  offset: z.int().min(1).optional().describe("The 1-based line number to start at (default 1)."),
  limit: z
    .int()
    .min(1)
    .optional()
    .describe(`The maximum number of lines to return (default ${DEFAULT_READ_LIMIT}).`),
});

export function createReadTool(options: ToolOptions): AgentTool {
  return defineTool({
    name: "read",
    readOnly: true,
    description:
      "Read a text file. Lines are returned prefixed with their line numbers (as `cat -n` prints them: " +
      "number, tab, text); the prefix is not part of the file. Reads up to " +
      `${DEFAULT_READ_LIMIT} lines from the start by default; use offset and limit to read other parts of a ` +
      `long file. Lines longer than ${MAX_LINE_CHARS} characters are cut. Binary files are not shown. ` +
      "Use list for directories.",
    schema,
    async run(input, { signal }) {
      const target = await confinePath(options.cwd, input.path);
      const stats = await stat(target.absolute).catch((error: unknown) => {
        if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR")
          throw new ToolError(`file "${input.path}" does not exist`);
        throw error;
      });
      if (stats.isDirectory())
        throw new ToolError(
          `"${input.path}" is a directory, not a file; use the list tool to see its entries`,
        );
      if (!stats.isFile()) throw new ToolError(`"${input.path}" is not a regular file`);

      const offset = input.offset ?? 1;
      const limit = input.limit ?? DEFAULT_READ_LIMIT;
      const handle = await open(target.absolute, "r");
      let window: LineWindow;
      try {
        window = await readWindow(handle, offset, limit, signal);
      } finally {
        await handle.close();
      }
      if (window.binary)
        return ok(`"${input.path}" is a binary file (${stats.size} bytes); its contents are not shown.`);
      if (window.totalLines === 0) return ok(`"${input.path}" is empty.`);
      if (offset > window.totalLines)
        throw new ToolError(
          `offset ${offset} is past the end of "${input.path}", which has ${window.totalLines} line${window.totalLines === 1 ? "" : "s"}`,
        );

      const numbered = window.lines.map((line, index) => `${String(offset + index).padStart(6)}\t${line}`);
      const notes: string[] = [];
      const last = offset + window.lines.length - 1;
      if (offset > 1 || last < window.totalLines) {
        const more = last < window.totalLines ? ` To read further, use offset=${last + 1}.` : "";
        notes.push(`[Showing lines ${offset}-${last} of ${window.totalLines}.${more}]`);
      }
      if (window.cutLines > 0)
        notes.push(
          `[${window.cutLines} line${window.cutLines === 1 ? " was" : "s were"} longer than ${MAX_LINE_CHARS} characters and cut.]`,
        );
      return ok([numbered.join("\n"), ...notes].join("\n\n"));
    },
  });
}

interface LineWindow {
  binary: boolean;
  lines: string[];
  totalLines: number;
  cutLines: number;
}

/** Streams the file: keeps lines offset..offset+limit-1, counts all of them, never holds the whole file. */
async function readWindow(
  handle: FileHandle,
  offset: number,
  limit: number,
  signal: AbortSignal,
): Promise<LineWindow> {
  const buffer = Buffer.alloc(64 * 1024);
  const decoder = new StringDecoder("utf8");
  const lines: string[] = [];
  let totalLines = 0;
  let cutLines = 0;
  let sniffed = 0;
  let pending = "";

  const take = (raw: string) => {
    totalLines += 1;
    if (totalLines < offset || totalLines >= offset + limit) return;
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.length > MAX_LINE_CHARS) {
      line = `${line.slice(0, MAX_LINE_CHARS)}… [line cut]`;
      cutLines += 1;
    }
    lines.push(line);
  };

  for (;;) {
    throwIfAborted(signal);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    if (sniffed < BINARY_SNIFF_BYTES) {
      if (looksBinary(chunk.subarray(0, BINARY_SNIFF_BYTES - sniffed)))
        return { binary: true, lines: [], totalLines: 0, cutLines: 0 };
      sniffed += bytesRead;
    }
    pending += decoder.write(chunk);
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) take(part);
    // A very long unfinished line: keep only what can be shown (a line outside the window keeps one
    // character, so that it is still counted).
    if (pending.length > MAX_LINE_CHARS * 4) {
      const line = totalLines + 1;
      pending = pending.slice(0, line < offset || line >= offset + limit ? 1 : MAX_LINE_CHARS + 1);
    }
  }
  pending += decoder.end();
  if (pending !== "") take(pending);
  return { binary: false, lines, totalLines, cutLines };
}
