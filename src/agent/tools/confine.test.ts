import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { confinePath, isInside } from "./confine.js";
import { ToolError } from "./tool.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "grove-confine-")));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A working directory `work` with a sibling `outside` holding secret.txt. */
async function layout() {
  const base = await tempDir();
  const cwd = join(base, "work");
  const outside = join(base, "outside");
  await mkdir(join(cwd, "src"), { recursive: true });
  await mkdir(outside);
  await writeFile(join(cwd, "src", "a.ts"), "a\n");
  await writeFile(join(outside, "secret.txt"), "secret\n");
  return { base, cwd, outside };
}

async function refusal(cwd: string, path: string): Promise<string> {
  try {
    await confinePath(cwd, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return (error as ToolError).message;
  }
  throw new Error(`expected "${path}" to be refused`);
}

describe("confinePath", () => {
  it("accepts relative paths inside, existing or not", async () => {
    const { cwd } = await layout();
    expect(await confinePath(cwd, "src/a.ts")).toEqual({
      input: "src/a.ts",
      absolute: join(cwd, "src", "a.ts"),
      relative: "src/a.ts",
    });
    expect((await confinePath(cwd, "new/dir/file.txt")).relative).toBe("new/dir/file.txt");
    expect((await confinePath(cwd, ".")).relative).toBe(".");
    expect((await confinePath(cwd, "src/../src/a.ts")).relative).toBe("src/a.ts");
  });

  it("accepts absolute paths inside", async () => {
    const { cwd } = await layout();
    expect((await confinePath(cwd, join(cwd, "src/a.ts"))).relative).toBe("src/a.ts");
    expect((await confinePath(cwd, cwd)).relative).toBe(".");
  });

  it("refuses .. escapes with the working directory in the message", async () => {
    const { cwd } = await layout();
    expect(await refusal(cwd, "../x")).toBe(`path "../x" is outside the working directory ${cwd}`);
    expect(await refusal(cwd, "src/../../outside/secret.txt")).toContain("outside the working directory");
    expect(await refusal(cwd, "..")).toContain("outside the working directory");
  });

  it("refuses absolute paths elsewhere", async () => {
    const { cwd, outside } = await layout();
    expect(await refusal(cwd, "/etc/passwd")).toBe(
      `path "/etc/passwd" is outside the working directory ${cwd}`,
    );
    expect(await refusal(cwd, join(outside, "secret.txt"))).toContain("outside the working directory");
    expect(await refusal(cwd, `${cwd}-sibling/x`)).toContain("outside the working directory");
  });

  it("refuses symlinks that resolve outside, anywhere along the path", async () => {
    const { cwd, outside } = await layout();
    await symlink("/etc", join(cwd, "etc"));
    await symlink(join(outside, "secret.txt"), join(cwd, "secret-link"));
    await symlink("../../outside", join(cwd, "src", "up"));
    await symlink(join(outside, "missing.txt"), join(cwd, "dangling"));
    await symlink("dangling", join(cwd, "chain"));
    for (const path of [
      "etc",
      "etc/passwd",
      "secret-link",
      "src/up/secret.txt",
      "src/up/new/x",
      "dangling",
      "chain",
    ])
      expect(await refusal(cwd, path)).toMatch(/outside the working directory .* \(it resolves to /);
  });

  it("accepts symlinks that stay inside, resolving to their targets", async () => {
    const { cwd } = await layout();
    await symlink("src/a.ts", join(cwd, "link.ts"));
    await symlink(join(cwd, "src", "new.ts"), join(cwd, "dangling-inside"));
    expect((await confinePath(cwd, "link.ts")).absolute).toBe(join(cwd, "src", "a.ts"));
    expect((await confinePath(cwd, "dangling-inside")).absolute).toBe(join(cwd, "src", "new.ts"));
  });

  it("works when the working directory itself is behind a symlink", async () => {
    const { base, cwd } = await layout();
    const alias = join(base, "alias");
    await symlink(cwd, alias);
    expect((await confinePath(alias, "src/a.ts")).absolute).toBe(join(cwd, "src", "a.ts"));
    expect((await confinePath(alias, join(cwd, "src/a.ts"))).relative).toBe("src/a.ts");
    expect((await confinePath(alias, join(alias, "src/a.ts"))).relative).toBe("src/a.ts");
    expect(await refusal(alias, "../outside/secret.txt")).toContain(`outside the working directory ${alias}`);
  });

  it("reports symlink loops", async () => {
    const { cwd } = await layout();
    await symlink("loop-b", join(cwd, "loop-a"));
    await symlink("loop-a", join(cwd, "loop-b"));
    expect(await refusal(cwd, "loop-a")).toContain("too many levels of symbolic links");
  });

  it("isInside compares path components, not prefixes", () => {
    expect(isInside("/a/b", "/a/b")).toBe(true);
    expect(isInside("/a/b", "/a/b/c")).toBe(true);
    expect(isInside("/a/b", "/a/bc")).toBe(false);
    expect(isInside("/a/b", "/a")).toBe(false);
    expect(isInside("/a/b", "/a/b/..foo")).toBe(true);
  });
});
