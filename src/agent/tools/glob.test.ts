import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGlobTool, MAX_GLOB_RESULTS } from "./glob.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-glob-")));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});
const glob = (input: unknown) => createGlobTool({ cwd }).run(input, context());
const git = (...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe" });

async function files(entries: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(entries)) {
    await mkdir(dirname(join(cwd, path)), { recursive: true });
    await writeFile(join(cwd, path), content);
  }
}

describe("glob in a git repository", () => {
  beforeEach(async () => {
    git("init", "-q");
    await files({
      ".gitignore": "dist/\n*.log\n",
      "src/a.ts": "",
      "src/b.ts": "",
      "src/deep/c.ts": "",
      "src/readme.md": "",
      ".github/ci.ts": "",
      "dist/out.ts": "",
      "debug.log": "",
      "gone.ts": "",
      "untracked.ts": "",
      "dist/forced.ts": "",
      "local-only.ts": "",
    });
    await writeFile(join(cwd, ".git", "info", "exclude"), "local-only.ts\n");
    git("add", ".gitignore", "src/a.ts", "gone.ts");
    git("add", "-f", "dist/forced.ts");
    await unlink(join(cwd, "gone.ts"));
  });

  it("lists what git lists: tracked (even if ignored) and untracked files, not ignored or deleted ones", async () => {
    expect(await glob({ pattern: "**/*.ts" })).toEqual({
      output: [
        ".github/ci.ts",
        "dist/forced.ts",
        "src/a.ts",
        "src/b.ts",
        "src/deep/c.ts",
        "untracked.ts",
      ].join("\n"),
      isError: false,
    });
    expect((await glob({ pattern: "**/*" })).output.split("\n")).toEqual([
      ".github/ci.ts",
      ".gitignore",
      "dist/forced.ts",
      "src/a.ts",
      "src/b.ts",
      "src/deep/c.ts",
      "src/readme.md",
      "untracked.ts",
    ]);
  });

  it("matches relative to path, returning paths relative to the working directory", async () => {
    expect((await glob({ pattern: "*.ts", path: "src" })).output).toBe("src/a.ts\nsrc/b.ts");
    expect((await glob({ pattern: "**/*.{ts,md}", path: "src/" })).output).toBe(
      "src/a.ts\nsrc/b.ts\nsrc/deep/c.ts\nsrc/readme.md",
    );
    expect((await glob({ pattern: "*.ts" })).output).toBe("untracked.ts");
  });

  it("says when nothing matches, and rejects absolute patterns and missing directories", async () => {
    expect(await glob({ pattern: "**/*.py" })).toEqual({
      output: 'No files match "**/*.py" in ".".',
      isError: false,
    });
    expect((await glob({ pattern: join(cwd, "**/*.ts") })).isError).toBe(true);
    expect(await glob({ pattern: "*", path: "nope" })).toEqual({
      output: 'directory "nope" does not exist',
      isError: true,
    });
    expect((await glob({ pattern: "*", path: "src/a.ts" })).output).toBe(
      '"src/a.ts" is a file, not a directory',
    );
  });
});

describe("glob outside a git repository", () => {
  it("honours .gitignore files at every level, including negations", async () => {
    await files({
      ".gitignore": "node_modules/\n*.tmp\n",
      "keep.ts": "",
      "scratch.tmp": "",
      "node_modules/pkg/index.ts": "",
      "pkg/.gitignore": "generated/\n!keep.tmp\n",
      "pkg/keep.tmp": "",
      "pkg/other.tmp": "",
      "pkg/generated/x.ts": "",
      "pkg/src/y.ts": "",
      ".git/HEAD": "",
    });
    expect((await glob({ pattern: "**/*" })).output.split("\n")).toEqual([
      ".gitignore",
      "keep.ts",
      "pkg/.gitignore",
      "pkg/keep.tmp",
      "pkg/src/y.ts",
    ]);
    // Rules from the working directory apply when searching below it.
    expect((await glob({ pattern: "**", path: "pkg" })).output.split("\n")).toEqual([
      "pkg/.gitignore",
      "pkg/keep.tmp",
      "pkg/src/y.ts",
    ]);
  });

  it(`caps results at ${MAX_GLOB_RESULTS}, saying how many were omitted`, async () => {
    await mkdir(join(cwd, "many"));
    await Promise.all(
      Array.from({ length: MAX_GLOB_RESULTS + 3 }, (_, i) =>
        writeFile(join(cwd, "many", `f${String(i).padStart(5, "0")}.txt`), ""),
      ),
    );
    const lines = (await glob({ pattern: "many/*.txt" })).output.split("\n");
    expect(lines).toHaveLength(MAX_GLOB_RESULTS + 1);
    expect(lines[0]).toBe("many/f00000.txt");
    expect(lines.at(-1)).toBe("[3 more files omitted; use a narrower pattern or path]");
  });
});
