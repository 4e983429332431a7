/** Every path-taking tool refuses paths outside its working directory and leaves the outside untouched. */
import { existsSync } from "node:fs";
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEditTool } from "./edit.js";
import { createGlobTool } from "./glob.js";
import { createGrepTool } from "./grep.js";
import { createListTool } from "./list.js";
import { createReadTool } from "./read.js";
import type { AgentTool, ToolResult } from "./tool.js";
import { createWriteTool } from "./write.js";

const SECRET = "TOP SECRET CONTENT\n";
const NOT_IN_ETC = `/etc/grove-tools-test-${process.pid}-should-not-exist`;
const context = () => ({ signal: new AbortController().signal });

let base: string;
let cwd: string;
let outside: string;
let secretPath: string;
let secretMtime: number;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), "grove-escape-")));
  cwd = join(base, "work");
  outside = join(base, "outside");
  await mkdir(join(cwd, "src"), { recursive: true });
  await mkdir(outside);
  secretPath = join(outside, "secret.txt");
  await writeFile(secretPath, SECRET);
  await writeFile(join(cwd, "src", "inside.txt"), "inside TOP\n");
  await symlink("/etc", join(cwd, "etc"));
  await symlink(secretPath, join(cwd, "secret-link"));
  await symlink(outside, join(cwd, "outdir"));
  await symlink(join(outside, "created-through-link.txt"), join(cwd, "dangling"));
  // Date the secret file far back, so that any rewrite would show in its mtime.
  await utimes(secretPath, new Date(2_000_000_000), new Date(2_000_000_000));
  secretMtime = (await stat(secretPath)).mtimeMs;
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function expectOutsideUntouched(): Promise<void> {
  expect(await readFile(secretPath, "utf8")).toBe(SECRET);
  expect((await stat(secretPath)).mtimeMs).toBe(secretMtime);
  expect((await readdir(outside)).sort()).toEqual(["secret.txt"]);
  expect(existsSync(NOT_IN_ETC)).toBe(false);
}

function expectRefused(result: ToolResult, path: string): void {
  expect(result.isError).toBe(true);
  expect(result.output).toContain(`path "${path}" is outside the working directory ${cwd}`);
  expect(result.output).not.toContain("TOP SECRET");
  expect(result.output).not.toContain("root:");
}

const escapes = () => ({
  dotdot: "../outside/secret.txt",
  absolute: secretPath,
  etcPasswd: "/etc/passwd",
  viaEtcLink: "etc/passwd",
  fileLink: "secret-link",
  dirLink: "outdir/secret.txt",
});

describe("confinement of every path-taking tool", () => {
  const tool = (create: (options: { cwd: string }) => AgentTool) => create({ cwd });

  it("read refuses each escape", async () => {
    for (const path of Object.values(escapes()))
      expectRefused(await tool(createReadTool).run({ path }, context()), path);
    await expectOutsideUntouched();
  });

  it("write refuses each escape and creates nothing outside", async () => {
    const targets = [
      ...Object.values(escapes()).filter((path) => path !== "/etc/passwd" && path !== "etc/passwd"),
      "../outside/new.txt",
      "dangling",
      "outdir/new-dir/new.txt",
      NOT_IN_ETC,
      `etc/${NOT_IN_ETC.slice("/etc/".length)}`,
    ];
    for (const path of targets)
      expectRefused(await tool(createWriteTool).run({ path, content: "pwned" }, context()), path);
    await expectOutsideUntouched();
  });

  it("edit refuses each escape and leaves the outside file unchanged", async () => {
    for (const path of Object.values(escapes()).filter((p) => p !== "/etc/passwd" && p !== "etc/passwd"))
      expectRefused(
        await tool(createEditTool).run({ path, old_string: "TOP", new_string: "PWNED" }, context()),
        path,
      );
    await expectOutsideUntouched();
  });

  it("list refuses directories outside", async () => {
    for (const path of ["..", "/etc", "etc", "outdir", outside])
      expectRefused(await tool(createListTool).run({ path }, context()), path);
  });

  it("glob and grep refuse search paths outside", async () => {
    for (const path of ["..", "/etc", "etc", "outdir"]) {
      expectRefused(await tool(createGlobTool).run({ pattern: "**/*", path }, context()), path);
      expectRefused(await tool(createGrepTool).run({ pattern: "TOP", path }, context()), path);
    }
    for (const path of ["/etc/passwd", "secret-link", "../outside/secret.txt"])
      expectRefused(await tool(createGrepTool).run({ pattern: "root|TOP", path }, context()), path);
  });

  it("glob and grep do not follow symlinks out of the tree", async () => {
    const globbed = await tool(createGlobTool).run({ pattern: "**/*" }, context());
    expect(globbed.output.split("\n")).toEqual(["src/inside.txt"]);
    const grepped = await tool(createGrepTool).run({ pattern: "TOP|root" }, context());
    expect(grepped.output).toBe("src/inside.txt:1:inside TOP");
  });

  it("write and edit go through a symlink that stays inside", async () => {
    await symlink("src/inside.txt", join(cwd, "inside-link"));
    const written = await tool(createWriteTool).run({ path: "inside-link", content: "one two\n" }, context());
    expect(written.isError).toBe(false);
    const edited = await tool(createEditTool).run(
      { path: "inside-link", old_string: "two", new_string: "three" },
      context(),
    );
    expect(edited.isError).toBe(false);
    expect(await readFile(join(cwd, "src", "inside.txt"), "utf8")).toBe("one three\n");
  });
});
