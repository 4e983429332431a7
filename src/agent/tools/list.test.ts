import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createListTool, MAX_LIST_ENTRIES } from "./list.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-list-")));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});
const list = (input: unknown) => createListTool({ cwd }).run(input, context());

describe("list", () => {
  it("lists the working directory by default, sorted, directories with a trailing slash, without .git", async () => {
    await mkdir(join(cwd, ".git"));
    await mkdir(join(cwd, "src"));
    await mkdir(join(cwd, "B-dir"));
    await writeFile(join(cwd, "b.txt"), "");
    await writeFile(join(cwd, "a.txt"), "");
    await writeFile(join(cwd, ".env.example"), "");
    await symlink("src", join(cwd, "src-link"));
    await symlink("missing", join(cwd, "broken"));
    const expected = ".env.example\nB-dir/\na.txt\nb.txt\nbroken -> missing\nsrc/\nsrc-link/ -> src";
    expect(await list({})).toEqual({ output: expected, isError: false });
    expect((await list({ path: "." })).output).toBe(expected);
  });

  it("lists a subdirectory, and says when it is empty", async () => {
    await mkdir(join(cwd, "src", "empty"), { recursive: true });
    await writeFile(join(cwd, "src", "main.ts"), "");
    expect((await list({ path: "src" })).output).toBe("empty/\nmain.ts");
    expect((await list({ path: "src/empty" })).output).toBe('"src/empty" is empty.');
  });

  it("caps long listings", async () => {
    await Promise.all(
      Array.from({ length: MAX_LIST_ENTRIES + 5 }, (_, i) =>
        writeFile(join(cwd, `f${String(i).padStart(5, "0")}`), ""),
      ),
    );
    const lines = (await list({})).output.split("\n");
    expect(lines).toHaveLength(MAX_LIST_ENTRIES + 1);
    expect(lines.at(-1)).toBe("[5 more entries not shown]");
  });

  it("suggests read for a file, and says when a directory is missing", async () => {
    await writeFile(join(cwd, "a.txt"), "");
    expect(await list({ path: "a.txt" })).toEqual({
      output: '"a.txt" is a file, not a directory; use the read tool to see its contents',
      isError: true,
    });
    expect(await list({ path: "nope" })).toEqual({
      output: 'directory "nope" does not exist',
      isError: true,
    });
  });
});
