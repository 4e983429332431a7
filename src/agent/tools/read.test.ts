import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadTool, DEFAULT_READ_LIMIT, MAX_LINE_CHARS } from "./read.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-read-")));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});
const read = (input: unknown) => createReadTool({ cwd }).run(input, context());
const lines = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}`).join("\n");

describe("read", () => {
  it("numbers lines like cat -n", async () => {
    await writeFile(join(cwd, "a.txt"), "alpha\n\tbeta\n\ngamma");
    expect(await read({ path: "a.txt" })).toEqual({
      output: "     1\talpha\n     2\t\tbeta\n     3\t\n     4\tgamma",
      isError: false,
    });
  });

  it("reads absolute paths inside the working directory and strips CR from CRLF lines", async () => {
    await writeFile(join(cwd, "crlf.txt"), "one\r\ntwo\r\n");
    expect((await read({ path: join(cwd, "crlf.txt") })).output).toBe("     1\tone\n     2\ttwo");
  });

  it("reads a window with offset and limit, and says how to read further", async () => {
    await writeFile(join(cwd, "long.txt"), `${lines(10)}\n`);
    const result = await read({ path: "long.txt", offset: 3, limit: 2 });
    expect(result.isError).toBe(false);
    expect(result.output).toBe(
      "     3\tline 3\n     4\tline 4\n\n[Showing lines 3-4 of 10. To read further, use offset=5.]",
    );
    const tail = await read({ path: "long.txt", offset: 9 });
    expect(tail.output).toBe("     9\tline 9\n    10\tline 10\n\n[Showing lines 9-10 of 10.]");
  });

  it(`stops at ${DEFAULT_READ_LIMIT} lines by default`, async () => {
    await writeFile(join(cwd, "big.txt"), lines(DEFAULT_READ_LIMIT + 500));
    const result = await read({ path: "big.txt" });
    const shown = result.output.split("\n").filter((line) => /^ *\d+\t/.test(line));
    expect(shown).toHaveLength(DEFAULT_READ_LIMIT);
    expect(shown.at(-1)).toBe(`  ${DEFAULT_READ_LIMIT}\tline ${DEFAULT_READ_LIMIT}`);
    expect(result.output).toContain(
      `[Showing lines 1-${DEFAULT_READ_LIMIT} of ${DEFAULT_READ_LIMIT + 500}. To read further, use offset=${DEFAULT_READ_LIMIT + 1}.]`,
    );
  });

  it("reads files larger than one read chunk, multi-byte characters intact", async () => {
    const line = "é".repeat(1000);
    await writeFile(join(cwd, "wide.txt"), Array.from({ length: 100 }, () => line).join("\n"));
    const result = await read({ path: "wide.txt", offset: 100 });
    expect(result.output).toBe(`   100\t${line}\n\n[Showing lines 100-100 of 100.]`);
  });

  it("cuts very long lines", async () => {
    await writeFile(join(cwd, "min.js"), `${"x".repeat(MAX_LINE_CHARS * 10)}\nshort\n`);
    const result = await read({ path: "min.js" });
    expect(result.output).toContain(`     1\t${"x".repeat(MAX_LINE_CHARS)}… [line cut]\n     2\tshort`);
    expect(result.output).toContain("[1 line was longer than 2000 characters and cut.]");
    const second = await read({ path: "min.js", offset: 2 });
    expect(second.output).toBe("     2\tshort\n\n[Showing lines 2-2 of 2.]");
  });

  it("detects binary files instead of dumping them", async () => {
    await writeFile(join(cwd, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    expect(await read({ path: "image.png" })).toEqual({
      output: '"image.png" is a binary file (7 bytes); its contents are not shown.',
      isError: false,
    });
  });

  it("says when a file is empty", async () => {
    await writeFile(join(cwd, "empty.txt"), "");
    expect((await read({ path: "empty.txt" })).output).toBe('"empty.txt" is empty.');
  });

  it("refuses an offset past the end", async () => {
    await writeFile(join(cwd, "short.txt"), "one\ntwo\n");
    expect(await read({ path: "short.txt", offset: 5 })).toEqual({
      output: 'offset 5 is past the end of "short.txt", which has 2 lines',
      isError: true,
    });
  });

  it("suggests list for a directory, and says when a file is missing", async () => {
    await mkdir(join(cwd, "src"));
    expect(await read({ path: "src" })).toEqual({
      output: '"src" is a directory, not a file; use the list tool to see its entries',
      isError: true,
    });
    expect(await read({ path: "nope.txt" })).toEqual({
      output: 'file "nope.txt" does not exist',
      isError: true,
    });
    expect((await read({ path: "nope/deeper.txt" })).output).toBe('file "nope/deeper.txt" does not exist');
  });

  it("returns precise error results for bad input, never throwing", async () => {
    const missing = await read({});
    expect(missing.isError).toBe(true);
    expect(missing.output).toBe(
      'Invalid input for tool "read":\n- path: Invalid input: expected string, received undefined',
    );
    expect((await read({ path: "a", offset: 0 })).output).toContain("- offset: Too small");
    expect((await read({ path: "a", limit: 1.5 })).output).toContain("- limit:");
    expect((await read({ path: "a", extra: true })).output).toContain('Unrecognized key: "extra"');
    expect((await read({ path: "" })).output).toContain("- path: must not be empty");
    expect((await read("a.txt")).output).toContain("expected object, received string");
    expect((await read(null)).isError).toBe(true);
  });
});
