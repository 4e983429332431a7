/** write: creates or overwrites a file with the given content, creating parent directories. */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { confinePath } from "./confine.js";
import { defineTool, errnoCode, pathSchema } from "./define.js";
import { type AgentTool, ok, ToolError, type ToolOptions } from "./tool.js";

const schema = z.strictObject({
  path: pathSchema.describe("The file to write, relative to the working directory (or absolute inside it)."),
  content: z.string().describe("The complete new content of the file."),
});

export function createWriteTool(options: ToolOptions): AgentTool {
  return defineTool({
    name: "write",
    description:
      "Write a file with the given content, replacing the whole file if it exists and creating it " +
      "(and its parent directories) if it does not. To change part of an existing file, prefer edit.",
    schema,
    async run(input) {
      const target = await confinePath(options.cwd, input.path);
      const existing = await stat(target.absolute).catch(() => undefined);
      if (existing?.isDirectory())
        throw new ToolError(`"${input.path}" is a directory; cannot write a file there`);
      if (existing && !existing.isFile()) throw new ToolError(`"${input.path}" is not a regular file`);
      try {
        await mkdir(dirname(target.absolute), { recursive: true });
      } catch (error) {
        const code = errnoCode(error);
        if (code === "EEXIST" || code === "ENOTDIR")
          throw new ToolError(`cannot create "${input.path}": a parent of it is a file, not a directory`);
        throw error;
      }
      await writeFile(target.absolute, input.content, "utf8");
      const bytes = Buffer.byteLength(input.content, "utf8");
      return ok(
        `Wrote ${bytes} byte${bytes === 1 ? "" : "s"} to "${input.path}" (${existing ? "replaced the existing file" : "new file"}).`,
      );
    },
  });
}
