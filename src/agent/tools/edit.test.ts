import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEditTool } from "./edit.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-edit-")));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});
const edit = (input: unknown) => createEditTool({ cwd }).run(input, context());
const file = (name = "a.ts") => join(cwd, name);
const contents = (name = "a.ts") => readFile(file(name), "utf8");

const SOURCE = [
  "function greet(name) {",
  '  return "hello " + name;',
  "}",
  "",
  "const a = 1;",
  "const b = 1;",
  "const c = 1;",
  "",
].join("\n");

describe("edit", () => {
  beforeEach(async () => {
    await writeFile(file(), SOURCE);
  });

  it("replaces one exact, unique occurrence", async () => {
    const result = await edit({ path: "a.ts", old_string: "const b = 1;", new_string: "const b = 2;" });
    expect(result).toEqual({ output: 'Replaced 1 occurrence in "a.ts" (at line 6).', isError: false });
    expect(await contents()).toBe(SOURCE.replace("const b = 1;", "const b = 2;"));
  });

  it("inserts new_string literally ($ patterns are not special) and can delete text", async () => {
    await edit({ path: "a.ts", old_string: '"hello "', new_string: "'$& $1 $$ $` hi'" });
    expect(await contents()).toContain("return '$& $1 $$ $` hi' + name;");
    await edit({ path: "a.ts", old_string: "const c = 1;\n", new_string: "" });
    expect(await contents()).not.toContain("const c");
  });

  it("reports zero matches and leaves the file unchanged", async () => {
    const before = await stat(file());
    const result = await edit({ path: "a.ts", old_string: "const d = 1;", new_string: "const d = 2;" });
    expect(result).toEqual({
      output:
        'old_string was not found in "a.ts". Read the file again to get its exact current text (without the line-number prefixes).',
      isError: true,
    });
    expect(await contents()).toBe(SOURCE);
    expect((await stat(file())).mtimeMs).toBe(before.mtimeMs);
  });

  it("points at a match that differs only in whitespace", async () => {
    const result = await edit({
      path: "a.ts",
      old_string: 'function greet(name) {\n    return "hello " + name;',
      new_string: "x",
    });
    expect(result.isError).toBe(true);
    expect(result.output).toBe(
      'old_string was not found in "a.ts" exactly, but text that differs only in whitespace or indentation ' +
        "occurs at line 1. Read those lines again and copy them exactly, whitespace included.",
    );
    expect(await contents()).toBe(SOURCE);
  });

  it("notices line-number prefixes copied from read output", async () => {
    const result = await edit({ path: "a.ts", old_string: "     5\tconst a = 1;", new_string: "x" });
    expect(result.output).toContain("line-number prefixes that read adds");
    expect(await contents()).toBe(SOURCE);
  });

  it("reports several matches with their count and lines, leaving the file unchanged", async () => {
    const result = await edit({ path: "a.ts", old_string: " = 1;", new_string: " = 9;" });
    expect(result).toEqual({
      output:
        'old_string occurs 3 times in "a.ts" (at lines 5, 6, 7). Include more surrounding context to make it ' +
        "unique, or set replace_all to true to replace every occurrence.",
      isError: true,
    });
    expect(await contents()).toBe(SOURCE);
  });

  it("replaces every occurrence with replace_all", async () => {
    const result = await edit({ path: "a.ts", old_string: " = 1;", new_string: " = 9;", replace_all: true });
    expect(result).toEqual({
      output: 'Replaced 3 occurrences in "a.ts" (at lines 5, 6, 7).',
      isError: false,
    });
    expect(await contents()).toBe(SOURCE.replaceAll(" = 1;", " = 9;"));
  });

  it("refuses identical old_string and new_string, and an empty old_string", async () => {
    expect(await edit({ path: "a.ts", old_string: "const a", new_string: "const a" })).toEqual({
      output: "old_string and new_string are identical; there is nothing to change",
      isError: true,
    });
    expect((await edit({ path: "a.ts", old_string: "", new_string: "x" })).output).toContain(
      "- old_string: must not be empty (use write to create a file)",
    );
    expect(await contents()).toBe(SOURCE);
  });

  it("keeps CRLF line endings when old_string is given with LF", async () => {
    await writeFile(file("crlf.txt"), "one\r\ntwo\r\nthree\r\n");
    const result = await edit({ path: "crlf.txt", old_string: "one\ntwo", new_string: "uno\ndos" });
    expect(result.isError).toBe(false);
    expect(await contents("crlf.txt")).toBe("uno\r\ndos\r\nthree\r\n");
  });

  it("errors on a missing file, a directory and a binary file", async () => {
    expect(await edit({ path: "nope.ts", old_string: "a", new_string: "b" })).toEqual({
      output: 'file "nope.ts" does not exist (use write to create a file)',
      isError: true,
    });
    await mkdir(join(cwd, "dir"));
    expect((await edit({ path: "dir", old_string: "a", new_string: "b" })).output).toBe(
      '"dir" is a directory, not a file',
    );
    await writeFile(file("bin"), Buffer.from([0x61, 0x00, 0x62]));
    expect((await edit({ path: "bin", old_string: "a", new_string: "b" })).output).toBe(
      '"bin" is a binary file; edit only changes text files',
    );
  });
});
