/** glob: files matching a glob pattern, respecting .gitignore. */
import { stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import { confinePath, realCwd } from "./confine.js";
import { defineTool, pathSchema } from "./define.js";
import { listFiles } from "./files.js";
import { type AgentTool, ok, ToolError, type ToolOptions } from "./tool.js";

export const MAX_GLOB_RESULTS = 1000;

const schema = z.strictObject({
  pattern: z
    .string()
    .min(1, "must not be empty")
    .describe('A glob pattern relative to path, such as "**/*.ts" or "src/**/*.{js,json}".'),
  path: pathSchema
    .optional()
    .describe('The directory to search, relative to the working directory (default ".").'),
});

export function createGlobTool(options: ToolOptions): AgentTool {
  return defineTool({
    name: "glob",
    readOnly: true,
    description:
      "Find files by glob pattern (`*` within a directory, `**` across directories, `{a,b}`, `[abc]`), " +
      "matched against paths relative to path. Files ignored by .gitignore and `.git` are skipped. " +
      `Returns matching file paths relative to the working directory, sorted, at most ${MAX_GLOB_RESULTS}.`,
    schema,
    async run(input, { signal }) {
      if (isAbsolute(input.pattern))
        throw new ToolError(
          "pattern must be relative; put the directory to search in path and the pattern relative to it",
        );
      const path = input.path ?? ".";
      const root = await realCwd(options.cwd);
      const base = await confinePath(options.cwd, path);
      const stats = await stat(base.absolute).catch(() => undefined);
      if (!stats) throw new ToolError(`directory "${path}" does not exist`);
      if (!stats.isDirectory()) throw new ToolError(`"${path}" is a file, not a directory`);

      const matches = picomatch(input.pattern.replace(/^\.\//, ""), { dot: true });
      const prefix = base.relative === "." ? "" : `${base.relative}/`;
      const files = (await listFiles(root, base.absolute, signal)).filter((file) =>
        matches(file.slice(prefix.length)),
      );
      if (files.length === 0) return ok(`No files match "${input.pattern}" in "${path}".`);
      const shown = files.slice(0, MAX_GLOB_RESULTS);
      const omitted = files.length - shown.length;
      if (omitted > 0)
        shown.push(
          `[${omitted} more file${omitted === 1 ? "" : "s"} omitted; use a narrower pattern or path]`,
        );
      return ok(shown.join("\n"));
    },
  });
}
