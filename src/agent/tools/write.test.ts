import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWriteTool } from "./write.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-write-")));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});
const write = (input: unknown) => createWriteTool({ cwd }).run(input, context());

describe("write", () => {
  it("creates a file and its parent directories, reporting the bytes written", async () => {
    const result = await write({ path: "a/b/c.txt", content: "héllo\n" });
    expect(result).toEqual({ output: 'Wrote 7 bytes to "a/b/c.txt" (new file).', isError: false });
    expect(await readFile(join(cwd, "a/b/c.txt"), "utf8")).toBe("héllo\n");
  });

  it("replaces an existing file, and writes empty files", async () => {
    await writeFile(join(cwd, "x.txt"), "old content");
    expect((await write({ path: "x.txt", content: "new" })).output).toBe(
      'Wrote 3 bytes to "x.txt" (replaced the existing file).',
    );
    expect(await readFile(join(cwd, "x.txt"), "utf8")).toBe("new");
    expect((await write({ path: join(cwd, "empty.txt"), content: "" })).output).toBe(
      `Wrote 0 bytes to "${join(cwd, "empty.txt")}" (new file).`,
    );
    expect(await readFile(join(cwd, "empty.txt"), "utf8")).toBe("");
  });

  it("refuses to write a directory path", async () => {
    await mkdir(join(cwd, "dir"));
    expect(await write({ path: "dir", content: "x" })).toEqual({
      output: '"dir" is a directory; cannot write a file there',
      isError: true,
    });
    expect((await write({ path: ".", content: "x" })).isError).toBe(true);
  });

  it("refuses a path whose parent is a file", async () => {
    await writeFile(join(cwd, "file"), "keep");
    expect(await write({ path: "file/child.txt", content: "x" })).toEqual({
      output: 'cannot create "file/child.txt": a parent of it is a file, not a directory',
      isError: true,
    });
    expect(await readFile(join(cwd, "file"), "utf8")).toBe("keep");
  });

  it("requires content", async () => {
    expect(await write({ path: "a.txt" })).toEqual({
      output:
        'Invalid input for tool "write":\n- content: Invalid input: expected string, received undefined',
      isError: true,
    });
  });
});
