/** list: a directory's entries, directories marked with a trailing `/`. */
import type { Dirent } from "node:fs";
import { readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { confinePath } from "./confine.js";
import { defineTool, errnoCode, pathSchema } from "./define.js";
import { compareStrings } from "./files.js";
import { type AgentTool, ok, ToolError, type ToolOptions } from "./tool.js";

export const MAX_LIST_ENTRIES = 1000;

const schema = z.strictObject({
  path: pathSchema
    .optional()
    .describe(
      'The directory to list, relative to the working directory (default ".", the working directory).',
    ),
});

export function createListTool(options: ToolOptions): AgentTool {
  return defineTool({
    name: "list",
    readOnly: true,
    description:
      "List the entries of a directory (not recursive), sorted by name. Directories end with `/`; " +
      "symbolic links are shown as `name -> target`. `.git` is skipped. Use glob to find files by pattern.",
    schema,
    async run(input) {
      const path = input.path ?? ".";
      const target = await confinePath(options.cwd, path);
      let entries: Dirent[];
      try {
        entries = await readdir(target.absolute, { withFileTypes: true });
      } catch (error) {
        const code = errnoCode(error);
        if (code === "ENOENT") throw new ToolError(`directory "${path}" does not exist`);
        if (code === "ENOTDIR")
          throw new ToolError(`"${path}" is a file, not a directory; use the read tool to see its contents`);
        throw error;
      }
      const shown = entries
        .filter((entry) => entry.name !== ".git")
        .sort((a, b) => compareStrings(a.name, b.name));
      if (shown.length === 0) return ok(`"${path}" is empty.`);
      const lines = await Promise.all(
        shown.slice(0, MAX_LIST_ENTRIES).map((entry) => describeEntry(target.absolute, entry)),
      );
      const omitted = shown.length - lines.length;
      if (omitted > 0) lines.push(`[${omitted} more entries not shown]`);
      return ok(lines.join("\n"));
    },
  });
}

async function describeEntry(dir: string, entry: Dirent): Promise<string> {
  if (entry.isDirectory()) return `${entry.name}/`;
  if (!entry.isSymbolicLink()) return entry.name;
  const path = join(dir, entry.name);
  const target = await readlink(path).catch(() => "?");
  const isDirectory = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  return `${entry.name}${isDirectory ? "/" : ""} -> ${target}`;
}
