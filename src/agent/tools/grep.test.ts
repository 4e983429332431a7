import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrepTool, MAX_GREP_MATCHES } from "./grep.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-grep-")));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});
const grep = (input: unknown) => createGrepTool({ cwd }).run(input, context());

async function files(entries: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(entries)) {
    await mkdir(dirname(join(cwd, path)), { recursive: true });
    await writeFile(join(cwd, path), content);
  }
}

describe("grep in a git repository", () => {
  beforeEach(async () => {
    execFileSync("git", ["init", "-q"], { cwd, stdio: "pipe" });
    await files({
      ".gitignore": "build/\n",
      "src/a.ts": "import x from 'y';\nexport function alpha() {}\n",
      "src/b.js": "function Beta() {}\r\nconst alphabet = 1;\n",
      "build/out.js": "function alpha() {}\n",
      "logo.png": Buffer.from([0x89, 0x00, ...Buffer.from("function alpha")]),
      "notes.md": "Alpha notes\n",
    });
  });

  it("prints file:line:text for each match, skipping ignored and binary files", async () => {
    expect(await grep({ pattern: "function\\s+\\w+" })).toEqual({
      output: "src/a.ts:2:export function alpha() {}\nsrc/b.js:1:function Beta() {}",
      isError: false,
    });
  });

  it("matches case-insensitively when asked", async () => {
    expect((await grep({ pattern: "^alpha", ignore_case: true })).output).toBe("notes.md:1:Alpha notes");
    expect((await grep({ pattern: "^alpha" })).output).toBe('No matches for /^alpha/ in ".".');
  });

  it("filters files with glob, and searches a directory or a single file", async () => {
    expect((await grep({ pattern: "alpha", glob: "*.ts" })).output).toBe(
      "src/a.ts:2:export function alpha() {}",
    );
    expect((await grep({ pattern: "alpha", path: "src", glob: "*.js" })).output).toBe(
      "src/b.js:2:const alphabet = 1;",
    );
    expect((await grep({ pattern: "alpha", path: "src/b.js" })).output).toBe(
      "src/b.js:2:const alphabet = 1;",
    );
    // A file named explicitly is searched even if ignored.
    expect((await grep({ pattern: "alpha", path: "build/out.js" })).output).toBe(
      "build/out.js:1:function alpha() {}",
    );
    expect((await grep({ pattern: "alpha", path: "logo.png" })).output).toBe(
      'No matches for /alpha/ in "logo.png".\n["logo.png" is a binary file; not searched.]',
    );
  });

  it("reports an invalid regular expression and a missing path as errors", async () => {
    const bad = await grep({ pattern: "foo(" });
    expect(bad.isError).toBe(true);
    expect(bad.output).toMatch(/^invalid regular expression: /);
    expect(await grep({ pattern: "x", path: "nope" })).toEqual({
      output: '"nope" does not exist',
      isError: true,
    });
  });
});

describe("grep outside a git repository", () => {
  it("honours .gitignore while walking the tree", async () => {
    await files({
      ".gitignore": "vendor/\n",
      "main.go": "package main // TODO\n",
      "vendor/lib.go": "package lib // TODO\n",
      "sub/.gitignore": "*.gen.go\n",
      "sub/x.gen.go": "// TODO\n",
      "sub/y.go": "// TODO y\n",
    });
    expect((await grep({ pattern: "TODO" })).output).toBe(
      "main.go:1:package main // TODO\nsub/y.go:1:// TODO y",
    );
  });

  it(`caps output at ${MAX_GREP_MATCHES} matches with a note`, async () => {
    await files({
      "many.txt": Array.from({ length: 250 }, (_, i) => `match ${i + 1}`).join("\n"),
      "z.txt": "match last\n",
    });
    const result = await grep({ pattern: "match" });
    const lines = result.output.split("\n");
    expect(lines[0]).toBe("many.txt:1:match 1");
    expect(lines[MAX_GREP_MATCHES - 1]).toBe(`many.txt:${MAX_GREP_MATCHES}:match ${MAX_GREP_MATCHES}`);
    expect(lines.slice(MAX_GREP_MATCHES)).toEqual([
      "",
      `[Showing ${MAX_GREP_MATCHES} of 251 matches; narrow the pattern, path or glob to see the rest.]`,
    ]);
  });
});
