/** edit: replaces one exact, unique occurrence of a string in a file (or every one, with replace_all). */
import { readFile, stat, writeFile } from "node:fs/promises";
import { z } from "zod";
import { confinePath } from "./confine.js";
import { defineTool, errnoCode, pathSchema } from "./define.js";
import { looksBinary } from "./files.js";
import { type AgentTool, ok, ToolError, type ToolOptions } from "./tool.js";

const schema = z.strictObject({
  path: pathSchema.describe("The file to edit, relative to the working directory (or absolute inside it)."),
  old_string: z
    .string()
    .min(1, "must not be empty (use write to create a file)")
    .describe(
      "The exact text to replace, including whitespace and indentation, without line-number prefixes.",
    ),
  new_string: z.string().describe("The text to put in its place."),
  replace_all: z
    .boolean()
    .optional()
    .describe("Replace every occurrence instead of requiring exactly one (default false)."),
});

/** How many line numbers an error lists at most. */
const MAX_LISTED_LINES = 20;

export function createEditTool(options: ToolOptions): AgentTool {
  return defineTool({
    name: "edit",
    description:
      "Replace text in an existing file. old_string must match the file exactly (whitespace and " +
      "indentation included) and, unless replace_all is true, occur exactly once: include enough " +
      "surrounding lines to make it unique. Read the file first to get its exact current text.",
    schema,
    async run(input) {
      if (input.old_string === input.new_string)
        throw new ToolError("old_string and new_string are identical; there is nothing to change");
      const target = await confinePath(options.cwd, input.path);
      const stats = await stat(target.absolute).catch((error: unknown) => {
        if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR")
          throw new ToolError(`file "${input.path}" does not exist (use write to create a file)`);
        throw error;
      });
      if (stats.isDirectory()) throw new ToolError(`"${input.path}" is a directory, not a file`);
      if (!stats.isFile()) throw new ToolError(`"${input.path}" is not a regular file`);
      const bytes = await readFile(target.absolute);
      if (looksBinary(bytes))
        throw new ToolError(`"${input.path}" is a binary file; edit only changes text files`);
      const content = bytes.toString("utf8");

      let oldString = input.old_string;
      let newString = input.new_string;
      let found = occurrences(content, oldString);
      if (found.length === 0 && content.includes("\r\n") && /(?<!\r)\n/.test(oldString)) {
        // The file has CRLF line endings; the text was given with LF.
        const crlfOld = oldString.replace(/\r?\n/g, "\r\n");
        const crlfFound = occurrences(content, crlfOld);
        if (crlfFound.length > 0) {
          oldString = crlfOld;
          newString = newString.replace(/\r?\n/g, "\r\n");
          found = crlfFound;
        }
      }

      if (found.length === 0) throw new ToolError(notFoundMessage(input.path, content, oldString));
      const lines = found.map((index) => lineOf(content, index));
      if (found.length > 1 && !input.replace_all)
        throw new ToolError(
          `old_string occurs ${found.length} times in "${input.path}" (at lines ${listLines(lines)}). ` +
            "Include more surrounding context to make it unique, or set replace_all to true to replace every occurrence.",
        );

      const updated = input.replace_all
        ? content.split(oldString).join(newString)
        : content.slice(0, found[0]) + newString + content.slice(found[0]! + oldString.length);
      await writeFile(target.absolute, updated, "utf8");
      const count = found.length;
      return ok(
        `Replaced ${count} occurrence${count === 1 ? "" : "s"} in "${input.path}" (at line${count === 1 ? "" : "s"} ${listLines(lines)}).`,
      );
    },
  });
}

/** Start indices of the non-overlapping occurrences of `needle`. */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (
    let index = haystack.indexOf(needle);
    index !== -1;
    index = haystack.indexOf(needle, index + needle.length)
  )
    found.push(index);
  return found;
}

function lineOf(content: string, index: number): number {
  let line = 1;
  for (let at = content.indexOf("\n"); at !== -1 && at < index; at = content.indexOf("\n", at + 1)) line += 1;
  return line;
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, MAX_LISTED_LINES).join(", ");
  return lines.length > MAX_LISTED_LINES ? `${shown}, …` : shown;
}

function notFoundMessage(path: string, content: string, oldString: string): string {
  const base = `old_string was not found in "${path}"`;
  if (oldString.split("\n").every((line) => /^ *\d+\t/.test(line)))
    return `${base}. It seems to include the line-number prefixes that read adds; leave them out.`;
  const tokens = oldString.split(/\s+/).filter((token) => token !== "");
  if (tokens.length > 0) {
    const loose = new RegExp(tokens.map(escapeRegExp).join("\\s+"), "g");
    const lines = [...content.matchAll(loose)].map((match) => lineOf(content, match.index));
    if (lines.length > 0)
      return (
        `${base} exactly, but text that differs only in whitespace or indentation occurs at ` +
        `line${lines.length === 1 ? "" : "s"} ${listLines(lines)}. Read those lines again and copy ` +
        "them exactly, whitespace included."
      );
  }
  return `${base}. Read the file again to get its exact current text (without the line-number prefixes).`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
