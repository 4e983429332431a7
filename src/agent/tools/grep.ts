/** grep: lines matching a regular expression, across the files that .gitignore does not exclude. */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import { confinePath, realCwd } from "./confine.js";
import { defineTool, pathSchema } from "./define.js";
import { listFiles, looksBinary, throwIfAborted } from "./files.js";
import { type AgentTool, ok, ToolError, type ToolOptions } from "./tool.js";

export const MAX_GREP_MATCHES = 200;
/** Matching lines are cut to this many characters. */
export const MAX_GREP_LINE_CHARS = 500;
/** Larger files are skipped. */
export const MAX_GREP_FILE_BYTES = 10 * 1024 * 1024;

const schema = z.strictObject({
  pattern: z
    .string()
    .min(1, "must not be empty")
    .describe("A JavaScript regular expression to search for, such as `function\\s+\\w+`."),
  path: pathSchema
    .optional()
    .describe('A file or directory to search, relative to the working directory (default ".").'),
  glob: z
    .string()
    .min(1, "must not be empty")
    .optional()
    .describe(
      'Only search files matching this glob, relative to path: "*.ts" (a pattern without `/` matches file names anywhere), "src/**/*.test.ts".',
    ),
  ignore_case: z.boolean().optional().describe("Match case-insensitively (default false)."),
});

export function createGrepTool(options: ToolOptions): AgentTool {
  return defineTool({
    name: "grep",
    readOnly: true,
    description:
      "Search file contents with a regular expression (JavaScript syntax), line by line. Returns " +
      "`file:line:text` for each matching line, files relative to the working directory in sorted order, " +
      `at most ${MAX_GREP_MATCHES} matches. Files ignored by .gitignore, binary files and .git are skipped.`,
    schema,
    async run(input, { signal }) {
      let regex: RegExp;
      try {
        regex = new RegExp(input.pattern, input.ignore_case ? "i" : "");
      } catch (error) {
        throw new ToolError(
          `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const path = input.path ?? ".";
      const root = await realCwd(options.cwd);
      const base = await confinePath(options.cwd, path);
      const stats = await stat(base.absolute).catch(() => undefined);
      if (!stats) throw new ToolError(`"${path}" does not exist`);

      let files: string[];
      const prefix = base.relative === "." ? "" : `${base.relative}/`;
      if (stats.isDirectory()) {
        files = await listFiles(root, base.absolute, signal);
      } else if (stats.isFile()) {
        files = [base.relative];
      } else {
        throw new ToolError(`"${path}" is not a file or directory`);
      }
      if (input.glob !== undefined) {
        const matches = picomatch(input.glob.replace(/^\.\//, ""), { dot: true, basename: true });
        files = files.filter((file) => matches(stats.isDirectory() ? file.slice(prefix.length) : file));
      }

      const lines: string[] = [];
      let total = 0;
      let skippedLarge = 0;
      let binaryFiles = 0;
      const BATCH = 16;
      for (let start = 0; start < files.length; start += BATCH) {
        throwIfAborted(signal);
        const batch = files.slice(start, start + BATCH);
        const contents = await Promise.all(batch.map((file) => readSearchable(root, file)));
        batch.forEach((file, index) => {
          const content = contents[index];
          if (content?.kind === "large") skippedLarge += 1;
          else if (content?.kind === "binary") binaryFiles += 1;
          else if (content?.kind === "text") {
            const fileLines = content.text.split("\n");
            if (fileLines.at(-1) === "") fileLines.pop();
            fileLines.forEach((raw, lineIndex) => {
              const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
              if (!regex.test(text)) return;
              total += 1;
              if (lines.length < MAX_GREP_MATCHES) lines.push(`${file}:${lineIndex + 1}:${cut(text)}`);
            });
          }
        });
      }

      const notes: string[] = [];
      if (total > lines.length)
        notes.push(
          `[Showing ${lines.length} of ${total} matches; narrow the pattern, path or glob to see the rest.]`,
        );
      if (skippedLarge > 0)
        notes.push(
          `[${skippedLarge} file${skippedLarge === 1 ? "" : "s"} larger than ${MAX_GREP_FILE_BYTES} bytes skipped.]`,
        );
      if (!stats.isDirectory() && binaryFiles > 0) notes.push(`["${path}" is a binary file; not searched.]`);
      if (total === 0) return ok([`No matches for /${input.pattern}/ in "${path}".`, ...notes].join("\n"));
      return ok([lines.join("\n"), ...notes].join("\n\n"));
    },
  });
}

type Searchable = { kind: "text"; text: string } | { kind: "binary" } | { kind: "large" };

/** A file's text (path relative to root), or why it is not searched; undefined if it cannot be read. */
async function readSearchable(root: string, file: string): Promise<Searchable | undefined> {
  const path = join(root, file);
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) return undefined;
  if (stats.size > MAX_GREP_FILE_BYTES) return { kind: "large" };
  const bytes = await readFile(path).catch(() => undefined);
  if (!bytes) return undefined;
  return looksBinary(bytes) ? { kind: "binary" } : { kind: "text", text: bytes.toString("utf8") };
}

function cut(text: string): string {
  return text.length > MAX_GREP_LINE_CHARS ? `${text.slice(0, MAX_GREP_LINE_CHARS)}… [line cut]` : text;
}
